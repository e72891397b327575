using System.Runtime.ExceptionServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Fork-join over a fixed pool of persistent worker threads (one per extra core), for kernels that split their
/// work into a few large, roughly equal parts. The calling thread runs parts too, so on a machine with P cores
/// <c>Run(P, body)</c> uses every core without creating a thread per call.
/// </summary>
/// <remarks>
/// Parts are claimed dynamically (an atomic counter), so uneven parts balance. A call made while the pool is busy
/// (another thread's kernel, or a nested call from inside a part) runs its parts inline on the caller: correct,
/// never deadlocks, just not parallel. Idle workers spin for ~50 µs (back-to-back kernels, e.g. the GEMMs of one
/// training step, then start without a kernel wake-up), then block on an event.
/// </remarks>
public static class ParallelFor
{
    /// <summary>How many parts can run at once: the worker threads plus the caller.</summary>
    public static int MaxDegree { get; } = Math.Max(1, Environment.ProcessorCount);

    private sealed class Job(int count, Action<int> body)
    {
        public readonly int Count = count;
        public readonly Action<int> Body = body;
        public int Next;            // next part to claim
        public int Pending = count; // parts not yet finished
        public Exception? Error;

        /// <summary>Claims and runs parts until none are left.</summary>
        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count)
            {
                try { Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref Error, e, null); }
                Interlocked.Decrement(ref Pending);
            }
        }
    }

    private static readonly ManualResetEventSlim JobPosted = new(false, spinCount: 0);
    private static readonly long IdleSpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000;   // 50 µs
    private static readonly Lock StartLock = new();
    private static Job? _current;
    private static int _busy;
    private static bool _started;

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>) and returns when all finished.
    /// The first exception thrown by a part is rethrown on the caller.</summary>
    public static void Run(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) return;
        if (count == 1 || MaxDegree == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        try
        {
            EnsureStarted();
            var job = new Job(count, body);
            Volatile.Write(ref _current, job);
            JobPosted.Set();
            job.Work();
            // The remaining parts are already running on workers: spin (then yield) until they finish.
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            JobPosted.Reset();
            if (job.Error is { } e) ExceptionDispatchInfo.Throw(e);
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started)) return;
        lock (StartLock)
        {
            if (_started) return;
            for (int w = 1; w < MaxDegree; w++)
                new Thread(WorkerLoop) { IsBackground = true, Name = $"Nabla.ParallelFor.{w}" }.Start();
            Volatile.Write(ref _started, true);
        }
    }

    private static void WorkerLoop()
    {
        Job? last = null;
        long idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var job = Volatile.Read(ref _current);
            if (job != last && job is not null)
            {
                last = job;
                job.Work();   // claims parts only while some are left, so a late arrival costs nothing
                idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            else if (System.Diagnostics.Stopwatch.GetTimestamp() - idleSince < IdleSpinTicks) Thread.SpinWait(20);
            else
            {
                // The event stays set until the poster's job is finished, so a Set between the check above and
                // this Wait is never lost; a Wait that returns for an already-seen job just loops (briefly).
                JobPosted.Wait();
                idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
    }
}
