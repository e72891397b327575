using Nabla.Distributed;
using Nabla.Distributed.Mpi;

namespace Nabla.Tests.Distributed;

public class MpiEnvironmentTests
{
    [Fact]
    public void Detects_open_mpi_and_pmi_launchers_and_their_absence()
    {
        Assert.Null(MpiEnvironment.Detect(_ => null));
        Assert.Equal(new MpiEnvironment(4, 3, "OMPI_COMM_WORLD_SIZE"),
            MpiEnvironment.Detect(k => k switch { "OMPI_COMM_WORLD_SIZE" => "4", "OMPI_COMM_WORLD_RANK" => "3", _ => null }));
        Assert.Equal(new MpiEnvironment(2, 1, "PMI_SIZE"), MpiEnvironment.Detect(k => k switch { "PMI_SIZE" => "2", "PMI_RANK" => "1", _ => null }));
        Assert.Null(MpiEnvironment.Detect(k => k == "OMPI_COMM_WORLD_SIZE" ? "not a number" : null));
    }

    [Fact]
    public void The_library_probe_gives_a_reason_exactly_when_unavailable()
    {
        Assert.Equal(MpiLibrary.IsAvailable, MpiLibrary.Problem is null);
        if (!MpiLibrary.IsAvailable) Assert.Contains("libmpi", MpiLibrary.Problem!);
    }

    [Fact]
    public void A_missing_or_foreign_library_is_reported_with_the_fix()
    {
        var (handle, problem) = MpiLibrary.Probe("libmpi-does-not-exist.so.99");
        Assert.Equal(0, handle);
        Assert.Equal("libmpi-does-not-exist.so.99 (Open MPI 4.x) was not found; install it with `apt-get install openmpi-bin libopenmpi-dev`", problem);
        var (_, foreign) = MpiLibrary.Probe("libc.so.6");   // loads, but is not MPI
        Assert.Equal("libc.so.6 was found but does not export MPI_Iallreduce: it is not Open MPI 4.x", foreign);
    }
}
