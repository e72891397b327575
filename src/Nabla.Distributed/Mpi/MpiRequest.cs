using System.Diagnostics;

namespace Nabla.Distributed.Mpi;

/// <summary>
/// A non-blocking collective in flight (an <c>MPI_Request</c>). <see cref="Test"/> asks once (and lets Open MPI
/// progress it); <see cref="Wait"/> polls until it completes or the group's timeout passes, which then throws
/// <see cref="DistributedTimeoutException"/> instead of hanging on a dead peer.
/// </summary>
public sealed class MpiRequest
{
    private readonly MpiProcessGroup _group;
    private nint _request;

    internal MpiRequest(MpiProcessGroup group, nint request, string what)
    {
        _group = group;
        _request = request;
        What = what;
    }

    /// <summary>What this collective is, for messages ("all-reduce of bucket 2 (1.6 MB)").</summary>
    public string What { get; }

    public bool IsCompleted { get; private set; }

    /// <summary>One <c>MPI_Test</c>: true once the collective has completed.</summary>
    public unsafe bool Test()
    {
        if (IsCompleted) return true;
        int flag = 0;
        nint r = _request;
        _group.Check(MpiNative.Test(&r, &flag, 0), "MPI_Test", What);
        _request = r;
        if (flag != 0) IsCompleted = true;
        return IsCompleted;
    }

    /// <summary>Polls until complete; throws <see cref="DistributedTimeoutException"/> after the group's timeout.</summary>
    public void Wait()
    {
        if (Test()) return;
        long start = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (!Test())
        {
            var waited = Stopwatch.GetElapsedTime(start);
            if (waited > _group.Timeout)
                throw new DistributedTimeoutException($"rank {_group.Rank} of {_group.Size}: {What} did not complete within {_group.Timeout.TotalSeconds:0.#} s; " +
                    "another rank has most likely died, raised an error or hung");
            if (waited.TotalMilliseconds < 20) spin.SpinOnce(sleep1Threshold: -1);
            else Thread.Sleep(1);
        }
    }
}
