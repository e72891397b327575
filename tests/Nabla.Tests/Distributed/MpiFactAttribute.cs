using Nabla.Distributed.Mpi;

namespace Nabla.Tests.Distributed;

/// <summary>A [Fact] that needs Open MPI (mpirun on PATH and libmpi.so.40); skipped with the reason otherwise
/// (.ci/run installs openmpi-bin and libopenmpi-dev).</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    internal static string? SkipReason =>
        MpiRun.Mpirun is null ? "mpirun is not on PATH: install Open MPI (apt-get install openmpi-bin libopenmpi-dev)"
        : MpiLibrary.Problem;

    public MpiFactAttribute()
    {
        if (SkipReason is string reason) Skip = reason;
    }
}

/// <summary>The [Theory] form of <see cref="MpiFactAttribute"/>.</summary>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (MpiFactAttribute.SkipReason is string reason) Skip = reason;
    }
}
