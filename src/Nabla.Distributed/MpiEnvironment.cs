namespace Nabla.Distributed;

/// <summary>
/// Whether this process was started by <c>mpirun</c>/<c>mpiexec</c>, read from the variables the launcher sets
/// (Open MPI: <c>OMPI_COMM_WORLD_SIZE</c>, <c>OMPI_COMM_WORLD_RANK</c>; PMIx/PMI launchers: <c>PMIX_RANK</c>,
/// <c>PMI_SIZE</c>, <c>PMI_RANK</c>). Only the entry points (the CLI, the test worker) ask; the training code is given a
/// process group explicitly.
/// </summary>
public sealed record MpiEnvironment(int WorldSize, int Rank, string Source)
{
    /// <summary>The launcher's world size and this rank, or null when not started by an MPI launcher.</summary>
    public static MpiEnvironment? Detect(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        foreach (var (size, rank) in new[] { ("OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"), ("PMI_SIZE", "PMI_RANK") })
            if (int.TryParse(getVariable(size), out int n) && n >= 1)
                return new MpiEnvironment(n, int.TryParse(getVariable(rank), out int r) ? r : 0, size);
        return null;
    }
}
