using Nabla.Distributed.Mpi;

namespace Nabla.Tests.Distributed;

/// <summary>A [Fact] that needs Open MPI (mpirun on PATH and libmpi.so.40); skipped with the reason otherwise
/// (.ci/run installs openmpi-bin and libopenmpi-dev). With <c>dataset</c>, that data set must be present too.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute(string dataset)
    {
        var spec = Nabla.Data.DatasetSpec.Find(dataset);
        if (SkipReason is string reason) Skip = reason;
        else if (Nabla.Data.DataRoot.Find(spec) is null) Skip = $"{spec.Title} not found; set {Nabla.Data.DataRoot.EnvironmentVariable} to run this test";
    }

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
