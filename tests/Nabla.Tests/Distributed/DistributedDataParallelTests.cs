using Nabla.IO;

namespace Nabla.Tests.Distributed;

/// <summary>
/// DistributedDataParallel under a real mpirun (tiny synthetic MLP, 512 examples, 1 thread per rank). Equivalence:
/// N ranks × per-rank batch 128/N for one epoch end with the parameters of one process with batch 128 over the same
/// data order — and since each rank starts from a different random initialisation, this also checks the broadcast.
/// </summary>
public class DistributedDataParallelTests
{
    [MpiTheory]
    [InlineData(2, "float64", 1e-5)]
    [InlineData(4, "float64", 1e-5)]
    [InlineData(2, "float32", 1e-4)]
    [InlineData(4, "float32", 1e-4)]
    public void N_ranks_with_batch_128_over_N_match_one_process_with_batch_128(int ranks, string dtype, double tolerance)
    {
        string single = MpiRun.TempDir("single"), multi = MpiRun.TempDir("multi");
        var one = MpiRun.Single("--dtype", dtype, "--batch", "128", "--out", single);
        Assert.True(one.ExitCode == 0, one.Output);
        var job = MpiRun.Job(ranks, TimeSpan.FromMinutes(2), "--dtype", dtype, "--batch", (128 / ranks).ToString(), "--out", multi);
        Assert.True(job.ExitCode == 0, job.Output);

        var a = Npz.Load(Path.Combine(single, "final.npz"));
        var b = Npz.Load(Path.Combine(multi, "final.npz"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a)
        {
            double[] x = t.ToDoubleArray(), y = b[name].ToDoubleArray();
            double scale = x.Max(Math.Abs), diff = x.Zip(y, (p, q) => Math.Abs(p - q)).Max();
            Assert.True(diff <= tolerance * scale, $"{name}: max |difference| {diff:E2} exceeds {tolerance:E0} × max |value| {scale:E2}");
        }
        // The run moved away from the initialisation (an untrained model would also "agree").
        Assert.Contains("rank 0 of " + ranks + ": done, 1 epochs", job.Output);
        Directory.Delete(single, true);
        Directory.Delete(multi, true);
    }

    /// <summary>Overlap, as an order of events on rank 0: with one bucket per tensor, the first bucket's all-reduce
    /// starts while gradients of earlier layers are still to come from backward, buckets start in index order, and
    /// backward ends only after every bucket completed.</summary>
    [MpiFact]
    public void Bucket_all_reduce_starts_while_backward_is_still_computing()
    {
        string dir = MpiRun.TempDir("trace");
        var job = MpiRun.Job(2, TimeSpan.FromMinutes(2), "--batch", "64", "--bucket-mb", "0.001", "--trace", "--out", dir);
        Assert.True(job.ExitCode == 0, job.Output);
        var lines = File.ReadAllLines(Path.Combine(dir, "trace.txt"));
        Assert.Equal("buckets 6 parameters 6", lines[0]);
        var events = lines.Skip(1).Select(l => l.Split(' ')).Select(f => (Kind: f[0], Index: int.Parse(f[1]), Time: long.Parse(f[2]))).ToList();

        int firstStart = events.FindIndex(e => e.Kind == "BucketStarted");
        int lastGrad = events.FindLastIndex(e => e.Kind == "GradReady");
        Assert.True(firstStart >= 0 && firstStart < lastGrad, "the first all-reduce must start before backward produced the last gradient:\n" + string.Join("\n", lines));
        int gradsAfterStart = events.Skip(firstStart).Count(e => e.Kind == "GradReady");
        Assert.True(gradsAfterStart >= 4, $"only {gradsAfterStart} gradients were computed after the first all-reduce started");
        Assert.Equal([0, 1, 2, 3, 4, 5], events.Where(e => e.Kind == "BucketStarted").Select(e => e.Index));
        Assert.Equal([0, 1, 2, 3, 4, 5], events.Where(e => e.Kind == "BucketCompleted").Select(e => e.Index).Order());
        Assert.Equal("Synchronized", events[^1].Kind);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Time <= p.Second.Time), "timestamps must follow the event order");
        Directory.Delete(dir, true);
    }
}

/// <summary>BatchNorm under DDP: batch statistics per replica, running statistics broadcast from rank 0, so after
/// training every replica holds exactly the same parameters and buffers (what rank 0 checkpoints is what all hold).</summary>
public class DistributedBatchNormTests
{
    [MpiFact]
    public void Replicas_with_batch_norm_end_identical_with_rank_0s_running_statistics()
    {
        string dir = MpiRun.TempDir("bn");
        var job = MpiRun.Job(2, TimeSpan.FromMinutes(2), "--batch", "32", "--epochs", "2", "--batch-norm", "--every-rank", "--out", dir);
        Assert.True(job.ExitCode == 0, job.Output);
        var r0 = Npz.Load(Path.Combine(dir, "final-rank0.npz"));
        var r1 = Npz.Load(Path.Combine(dir, "final-rank1.npz"));
        Assert.Contains("1.running_mean", r0.Keys);
        Assert.Equal(r0.Keys.Order(), r1.Keys.Order());
        foreach (var (name, t) in r0)
            Assert.Equal(t.ToDoubleArray(), r1[name].ToDoubleArray());
        Assert.NotEqual(new double[32], r0["1.running_mean"].ToDoubleArray());   // the statistics did move
        Directory.Delete(dir, true);
    }
}
