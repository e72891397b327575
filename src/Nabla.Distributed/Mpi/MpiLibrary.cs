using System.Runtime.InteropServices;

namespace Nabla.Distributed.Mpi;

/// <summary>Whether Open MPI's library can be loaded here, and why not.</summary>
public static class MpiLibrary
{
    private static readonly Lazy<(nint Handle, string? Problem)> Loaded = new(() => Probe(MpiNative.Library));

    /// <summary>True when <c>libmpi.so.40</c> (Open MPI 4.x) loads and exports the symbols Nabla uses.</summary>
    public static bool IsAvailable => Loaded.Value.Problem is null;

    /// <summary>Null when available; otherwise why distributed training cannot run (and how to fix it).</summary>
    public static string? Problem => Loaded.Value.Problem;

    internal static nint Handle =>
        Loaded.Value.Problem is { } p ? throw new DistributedException(p) : Loaded.Value.Handle;

    /// <summary>Loads <paramref name="library"/> and checks that it is Open MPI 4.x: (handle, null) or (0, the problem).</summary>
    internal static (nint Handle, string? Problem) Probe(string library)
    {
        if (!OperatingSystem.IsLinux())
            return (0, $"distributed training is supported on Linux with Open MPI 4.x; this is {RuntimeInformation.OSDescription}");
        if (!NativeLibrary.TryLoad(library, out var handle))
            return (0, $"{library} (Open MPI 4.x) was not found; install it with `apt-get install openmpi-bin libopenmpi-dev`");
        foreach (var symbol in new[] { "MPI_Iallreduce", "ompi_mpi_comm_world", "ompi_mpi_errors_return" })
            if (!NativeLibrary.TryGetExport(handle, symbol, out _))
                return (0, $"{library} was found but does not export {symbol}: it is not Open MPI 4.x");
        return (handle, null);
    }
}
