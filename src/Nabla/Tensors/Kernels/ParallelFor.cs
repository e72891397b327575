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
/// <para>Oversubscription guard: on a shared machine a worker can be preempted while it holds a part, and the caller
/// then waits a scheduler time slice (milliseconds) for a part worth microseconds, or the threads are time-sliced on
/// one core; on 2 cores under a load of ~18, an MLP training step ran twice as fast on one thread. So every parallel
/// run is timed: it is "slow" when its wall time exceeds 90% of its parts' summed durations. A few slow runs in a row
/// switch the pool to solo mode for a period (100 ms, doubled while it keeps recurring, at most 1.6 s): runs execute
/// their parts inline on the caller, in the same order, so results do not change. Then parallel runs are tried again.
/// Only runs posted while every worker was awake are judged: a worker blocked on the event needs a kernel wake-up
/// (tens of µs on a VM) before it joins, and meanwhile the caller may run every part itself, which looks like
/// oversubscription but is not. Judging those runs too put an MLP training step (kernels ~100 µs apart, so the worker
/// often sleeps between them) into solo mode on a quiet machine: mlp-train 24,900 → 37,200–39,100 samples/s once
/// they were excluded (2026-12-06, 2 cores, `./nabla bench mlp-train`).</para>
/// </remarks>
internal static class ParallelFor
{
    /// <summary>How many parts can run at once: the worker threads plus the caller. The number of cores unless
    /// <see cref="SetMaxDegree"/> chose fewer before the first parallel kernel.</summary>
    public static int MaxDegree { get; private set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Sets <see cref="MaxDegree"/> (what <c>torch.set_num_threads</c> does): 1 ≤ <paramref name="threads"/>
    /// ≤ the number of cores. The worker threads are created by the first parallel kernel, so this must come before
    /// it; a later call that changes the value is an <see cref="InvalidOperationException"/>.</summary>
    public static void SetMaxDegree(int threads)
    {
        int cores = Math.Max(1, Environment.ProcessorCount);
        if (threads < 1 || threads > cores)
            throw new ArgumentOutOfRangeException(nameof(threads), $"threads must lie in 1..{cores} (the cores of this machine), got {threads}");
        lock (StartLock)
        {
            if (threads == MaxDegree) return;
            if (_started)
                throw new InvalidOperationException($"the thread count is fixed once the first parallel kernel has run ({MaxDegree} threads); set it first");
            MaxDegree = threads;
        }
    }

    private sealed class Job(int count, Action<int> body)
    {
        public readonly int Count = count;
        public readonly Action<int> Body = body;
        public int Next;            // next part to claim
        public int Pending = count; // parts not yet finished
        public long PartTicks;      // summed duration of the parts, whichever thread ran them
        public Exception? Error;

        /// <summary>Claims and runs parts until none are left.</summary>
        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count)
            {
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                try { Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref Error, e, null); }
                Interlocked.Add(ref PartTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t0);
                Interlocked.Decrement(ref Pending);
            }
        }
    }

    private static readonly ManualResetEventSlim JobPosted = new(false, spinCount: 0);
    private static readonly long IdleSpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000;   // 50 µs
    private static readonly Lock StartLock = new();
    private static Job? _current;
    private static int _busy;
    private static int _spinning;   // workers awake and polling for a job (not blocked on JobPosted)
    private static bool _started;

    // Oversubscription guard (see remarks). Written only by the caller that holds _busy.
    private static readonly long SlowMarginTicks = System.Diagnostics.Stopwatch.Frequency / 50_000;   // 20 µs
    private static readonly long BaseSoloTicks = System.Diagnostics.Stopwatch.Frequency / 10;         // 100 ms
    private static long _soloUntil;       // timestamp before which runs go inline
    private static long _soloTicks = BaseSoloTicks;
    private static long _parallelSince;   // start of the current parallel phase
    private static int _slowScore;        // +4 per slow run, −1 per good one; solo at 12

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>) and returns when all finished.
    /// The first exception thrown by a part is rethrown on the caller.</summary>
    public static void Run(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) return;
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        if (count == 1 || MaxDegree == 1 || start < Volatile.Read(ref _soloUntil) || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        try
        {
            EnsureStarted();
            var job = new Job(count, body);
            bool judged = Scored(Volatile.Read(ref _spinning), MaxDegree);   // a sleeping worker's wake-up is not oversubscription
            Volatile.Write(ref _current, job);
            JobPosted.Set();
            job.Work();
            // The remaining parts are already running on workers: spin (then yield) until they finish.
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            JobPosted.Reset();
            if (judged) RecordRun(start, System.Diagnostics.Stopwatch.GetTimestamp(), Volatile.Read(ref job.PartTicks));
            if (job.Error is { } e) ExceptionDispatchInfo.Throw(e);
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    /// <summary>Whether the guard may judge a run: only when every worker was awake (spinning) as it was posted.</summary>
    internal static bool Scored(int spinningWorkers, int degree) => spinningWorkers >= degree - 1;

    /// <summary>Scores one parallel run: it is slow when its wall time exceeds 90% of the summed part times, i.e. the
    /// parts did not really overlap (workers preempted, or time-sliced on the caller's core). Enough slow runs start a
    /// solo period, doubled if the last parallel phase was short (the machine is still oversubscribed).</summary>
    private static void RecordRun(long start, long end, long partTicks)
    {
        if (partTicks < 2 * SlowMarginTicks) return;   // too short to tell
        if (10 * (end - start) <= 9 * partTicks + 10 * SlowMarginTicks)
        {
            if (_slowScore > 0) _slowScore--;
            return;
        }
        _slowScore += 4;
        if (_slowScore < 12) return;
        _slowScore = 0;
        _soloTicks = end - _parallelSince < 10 * BaseSoloTicks ? Math.Min(2 * _soloTicks, 16 * BaseSoloTicks) : BaseSoloTicks;
        _parallelSince = end + _soloTicks;
        Volatile.Write(ref _soloUntil, _parallelSince);
    }

    /// <summary>Whether runs currently execute inline because recent parallel runs kept waiting on preempted workers.</summary>
    internal static bool IsSolo => System.Diagnostics.Stopwatch.GetTimestamp() < Volatile.Read(ref _soloUntil);

    /// <summary>Whether the worker threads exist (after the first parallel run).</summary>
    internal static bool IsStarted => Volatile.Read(ref _started);

    /// <summary>Enters (or, with zero, leaves) solo mode for a period (tests).</summary>
    internal static void SoloFor(TimeSpan period) =>
        Volatile.Write(ref _soloUntil, System.Diagnostics.Stopwatch.GetTimestamp() + (long)(period.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));

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
        Interlocked.Increment(ref _spinning);
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
                Interlocked.Decrement(ref _spinning);
                JobPosted.Wait();
                Interlocked.Increment(ref _spinning);
                idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
    }
}
