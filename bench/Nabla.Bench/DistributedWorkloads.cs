using System.Text.Json.Nodes;
using Nabla.Distributed;
using Nabla.Distributed.Mpi;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

// mlp-train and cnn-train data-parallel (`mpirun -np N ./nabla bench mlp-train --distributed`): every rank runs the
// single-process workload's step on its own batch of 64 with DistributedDataParallel attached, so each step ends with
// the bucketed all-reduce of the gradients. value = global samples/s = N · 64 / (median step time), where a
// repetition's time is the slowest rank's (the ranks wait for each other in every all-reduce anyway).
public static partial class Workloads
{
    /// <summary>The workloads that have a data-parallel form.</summary>
    public static IReadOnlyList<string> DistributedNames { get; } = ["mlp-train", "cnn-train"];

    /// <summary>Runs <paramref name="name"/> data-parallel on <paramref name="group"/>; every rank returns the same record.</summary>
    /// <summary>Where a step's time goes, after the timed repetitions: medians over <paramref name="steps"/> steps of
    /// zero_grad, forward + loss, backward until the last gradient is final (the hooks' copies included), the wait from
    /// the first bucket's start to the last one's completion, the copy-out of the averaged gradients, the rest of
    /// backward, and the optimizer step (milliseconds, this rank's clock; rank 0's figures are reported).</summary>
    private static JsonObject Profile(Module model, Optimizer opt, DistributedDataParallel ddp, (Tensor X, Tensor Y)[] batches, MpiProcessGroup group, int steps)
    {
        string[] names = ["zero_grad", "forward", "backward_compute", "allreduce_wait", "copy_out", "backward_rest", "optimizer", "step"];
        var t = names.Select(_ => new double[steps]).ToArray();
        double ms(long a, long b) => (b - a) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        for (int i = 0; i < steps; i++)
        {
            var (x, y) = batches[i % batches.Length];
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            opt.ZeroGrad();
            long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            var loss = model.Invoke(x).CrossEntropy(y);
            long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            loss.Backward(freeIntermediates: true);
            long t3 = System.Diagnostics.Stopwatch.GetTimestamp();
            opt.Step();
            long t4 = System.Diagnostics.Stopwatch.GetTimestamp();
            var tr = ddp.LastStepTrace;
            long lastGrad = tr.Last(e => e.Kind == DdpEventKind.GradReady).Timestamp;
            long firstStart = tr.First(e => e.Kind == DdpEventKind.BucketStarted).Timestamp;
            long lastDone = tr.Last(e => e.Kind == DdpEventKind.BucketCompleted).Timestamp;
            long synced = tr.Last(e => e.Kind == DdpEventKind.Synchronized).Timestamp;
            double[] v = [ms(t0, t1), ms(t1, t2), ms(t2, lastGrad), ms(Math.Min(firstStart, lastGrad), lastDone), ms(lastDone, synced), ms(synced, t3), ms(t3, t4), ms(t0, t4)];
            for (int k = 0; k < names.Length; k++) t[k][i] = v[k];
        }
        var o = new JsonObject { ["steps"] = steps };
        for (int k = 0; k < names.Length; k++)
        {
            Array.Sort(t[k]);
            o[names[k]] = Math.Round(t[k][steps / 2], 4);
        }
        return o;
    }

    public static JsonObject RunDistributed(string name, BenchOptions o, MpiProcessGroup group)
    {
        const int batch = 64, pool = 16;
        bool mlp = name switch
        {
            "mlp-train" => true,
            "cnn-train" => false,
            _ => throw new ArgumentException($"bench --distributed: workload '{name}' has no data-parallel form; choose from {string.Join(", ", DistributedNames)}"),
        };
        var g = new Generator((ulong)o.Seed);
        Module model = mlp ? MakeMlp(g) : MakeCnn(g);
        model.Train();
        var opt = new Sgd(model.Parameters(), mlp ? new SgdOptions(LearningRate: 0.01) : new SgdOptions(LearningRate: 0.01, Momentum: 0.9));
        using var ddp = new DistributedDataParallel(model, group, new DistributedDataParallelOptions(RecordTrace: true));
        var data = new Generator((ulong)o.Seed + 1 + (ulong)group.Rank);   // each rank its own shard of random batches
        var step = TrainStep(model, opt, RandomBatches(data, mlp ? [batch, 784] : [batch, 1, 28, 28], 10, pool));
        for (int i = 0; i < 5; i++) step();
        // Same number of steps on every rank (collectives must match): rank 0's calibration, broadcast.
        Span<int> steps = [mlp ? 300 : BenchHarness.CalibrateIters(step, o.RepSeconds, maxIters: 1000)];
        group.Broadcast(steps, 0, "bench step count");
        var per = BenchHarness.TimedReps(step, steps[0], o.Reps, warmupIters: mlp ? 50 : 10);
        for (int r = 0; r < per.Length; r++) per[r] = group.AllReduceMax(per[r], "bench repetition time");

        var settings = BenchHarness.CommonSettings(o);
        settings["ranks"] = group.Size;
        settings["threads_per_rank"] = Environment.ProcessorCount;
        settings["batch_per_rank"] = batch;
        settings["global_batch"] = batch * group.Size;
        settings["steps_per_rep"] = steps[0];
        settings["nreps"] = o.Reps;
        settings["buckets"] = ddp.BucketCount;
        settings["gradient_mib"] = Math.Round(ddp.BucketBytes.Sum() / 1048576.0, 3);
        settings["optimizer"] = mlp ? "SGD lr=0.01" : "SGD lr=0.01 momentum=0.9";
        var rec = BenchHarness.Result(name, "train_samples_per_s", per, batch * group.Size, "samples/s", 1.0, settings);
        rec["distributed"] = true;
        rec["epoch_60k_s"] = Math.Round(60000 / (double)rec["value"]!, 3);
        rec["profile_ms"] = Profile(model, opt, ddp, RandomBatches(data, mlp ? [batch, 784] : [batch, 1, 28, 28], 10, pool), group, mlp ? 200 : 40);
        return rec;
    }
}
