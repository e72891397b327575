using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

public static partial class Workloads
{
    static partial void RegisterProfile(List<Workload> list)
    {
        list.Add(new Workload("vgg11-profile",
            "vgg11-train's step broken down: forward time per layer kind, backward time per node kind, optimizer step (ms per step, mean of 10 after 3 warm-up)",
            Vgg11Profile));
        list.Add(new Workload("mlp-profile",
            "mlp-train's step broken down like vgg11-profile (ms per step, mean of 300 after 50 warm-up, cycling through 16 batches)",
            MlpProfile));
    }

    private static JsonObject Vgg11Profile(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var model = Vgg.Vgg11(generator: g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4));
        var batch = (Tensor.Randn([128, 3, 32, 32], generator: g), Tensor.RandInt(0, 10, [128], g));
        return StepProfile("vgg11-profile", model, opt, [batch], warmup: 3, steps: 10);
    }

    private static JsonObject MlpProfile(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var model = MakeMlp(g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.01));
        return StepProfile("mlp-profile", model, opt, RandomBatches(g, [64, 784], 10, 16), warmup: 50, steps: 300);
    }

    /// <summary>One training step as the timed workloads run it (zero_grad, forward, cross-entropy, backward freeing
    /// intermediates, step), timed per phase: each top-level layer's forward, each backward node kind.</summary>
    private static JsonObject StepProfile(string name, Sequential model, Optimizer opt, (Tensor X, Tensor Y)[] batches, int warmup, int steps)
    {
        var times = new Dictionary<string, long>();
        bool record = false;
        TimeSpan gcPause0 = default;
        int gcCount0 = 0, gen2Count0 = 0;
        void Add(string k, long ticks) { if (record) times[k] = times.GetValueOrDefault(k) + ticks; }
        Engine.NodeTimer = (name, ticks) => Add("bwd " + name, ticks);
        try
        {
            for (int s = 0; s < warmup + steps; s++)
            {
                record = s >= warmup;
                if (s == warmup) { gcPause0 = GC.GetTotalPauseDuration(); gcCount0 = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2); gen2Count0 = GC.CollectionCount(2); }
                long t0 = Stopwatch.GetTimestamp();
                opt.ZeroGrad();
                Add("zero_grad", Stopwatch.GetTimestamp() - t0);
                var (x, y) = batches[s % batches.Length];
                var h = x;
                int i = 0;
                foreach (var layer in model.Layers)
                {
                    long t = Stopwatch.GetTimestamp();
                    h = layer.Invoke(h);
                    Add($"fwd {i++:D2} {layer.GetType().Name}", Stopwatch.GetTimestamp() - t);
                }
                long tl = Stopwatch.GetTimestamp();
                var loss = h.CrossEntropy(y);
                Add("fwd loss", Stopwatch.GetTimestamp() - tl);
                long tb = Stopwatch.GetTimestamp();
                loss.Backward(freeIntermediates: true);
                Add("backward (all)", Stopwatch.GetTimestamp() - tb);
                long ts = Stopwatch.GetTimestamp();
                opt.Step();
                Add("optimizer step", Stopwatch.GetTimestamp() - ts);
                Add("step (all)", Stopwatch.GetTimestamp() - t0);
            }
        }
        finally { Engine.NodeTimer = null; }
        // Garbage collections during the timed steps: their pauses stop every thread, kernels included.
        times["gc pause"] = (long)((GC.GetTotalPauseDuration() - gcPause0).TotalSeconds * Stopwatch.Frequency);
        int gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcCount0, gen2 = GC.CollectionCount(2) - gen2Count0;
        Console.Error.WriteLine($"garbage collections in {steps} steps: {gcs} ({gen2} gen 2)");
        var rows = new JsonObject();
        foreach (var (k, v) in times.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            double ms = v * 1000.0 / Stopwatch.Frequency / steps;
            rows[k] = Math.Round(ms, 2);
            Console.Error.WriteLine($"{k,-32} {ms,9:F2} ms");
        }
        var rec = new JsonObject { ["workload"] = name, ["unit"] = "ms per step (mean)", ["breakdown"] = rows };
        return rec;
    }
}
