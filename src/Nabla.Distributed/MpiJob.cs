using Nabla.Distributed.Mpi;

namespace Nabla.Distributed;

/// <summary>
/// Runs the body of one rank of an MPI job so that a failure anywhere stops everyone: an exception on any rank is
/// printed as "rank R of N failed: ..." on standard error and the whole job is ended with <c>MPI_Abort</c> (mpirun then
/// kills the other ranks and reports the rank); a rank that dies is noticed by mpirun itself, which ends the job; a
/// rank left waiting on a peer that hangs gives up after the group's timeout (<see cref="DistributedTimeoutException"/>)
/// and aborts the same way. On success every rank finalises MPI.
/// </summary>
public static class MpiJob
{
    /// <summary>Initialises MPI, runs <paramref name="body"/> and returns its exit code (never returns after a failure).</summary>
    public static int Run(TimeSpan timeout, Func<MpiProcessGroup, int> body, TextWriter? error = null)
    {
        error ??= Console.Error;
        var group = MpiProcessGroup.Initialize(timeout);
        int code;
        try
        {
            code = body(group);
        }
        catch (Exception e)
        {
            error.WriteLine($"nabla: rank {group.Rank} of {group.Size} failed: {Describe(e)}");
            error.WriteLine($"nabla: aborting all {group.Size} ranks (MPI_Abort); the last checkpoint written is left as it was");
            error.Flush();
            group.Abort(1);
            return 1;   // not reached: MPI_Abort ends the process
        }
        MpiProcessGroup.Shutdown();
        return code;
    }

    private static string Describe(Exception e)
    {
        var s = $"{e.GetType().Name}: {e.Message}";
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException) s += $" ← {inner.GetType().Name}: {inner.Message}";
        return s;
    }
}
