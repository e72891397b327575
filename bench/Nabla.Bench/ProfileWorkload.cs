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
        list.Add(new Workload("cnn-profile",
            "cnn-train's step broken down like vgg11-profile (ms per step, mean of 300 after 50 warm-up, cycling through 16 batches)",
            CnnProfile));
        list.Add(new Workload("cifar10-fast-profile",
            "cifar10-fast's step (airbench94 net 64/256/256, batch 1000, whitening bias frozen as after epoch 3) broken down like vgg11-profile (ms per step, mean of 4 after 2 warm-up)",
            Cifar10FastProfile));
    }

    private static JsonObject Cifar10FastProfile(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var model = Nabla.Labs.Cifar10FastNet.Create([64, 256, 256], 0.6, 1.0 / 256, g);
        Nabla.Labs.Cifar10FastNet.Whitening(model).Bias!.RequiresGrad_(false);
        using (GradMode.NoGrad()) Nabla.Labs.Cifar10FastNet.Whitening(model).Weight.CopyFrom_(Tensor.Randn([24, 3, 2, 2], generator: g) * 0.3);
        model.Train();
        var opt = new Sgd(model.Parameters().Where(p => p.RequiresGrad), new SgdOptions(LearningRate: 0.001, Momentum: 0.85, Nesterov: true));
        var batch = (Tensor.Randn([1000, 3, 32, 32], generator: g), Tensor.RandInt(0, 10, [1000], g));
        using var allocations = Environment.GetEnvironmentVariable("NABLA_ALLOC_TRACE") == "1" ? new AllocationTrace() : null;
        var rec = StepProfile("cifar10-fast-profile", model, opt, [batch], warmup: 2, steps: 4);
        allocations?.Print();
        return rec;
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

    private static JsonObject CnnProfile(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var model = MakeCnn(g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.01, Momentum: 0.9));
        return StepProfile("cnn-profile", model, opt, RandomBatches(g, [64, 1, 28, 28], 10, 16), warmup: 50, steps: 300);
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
                    if (layer is Nabla.Labs.ConvGroup cg)
                    {
                        // the group's five stages timed one by one (its Forward, spelled out)
                        string p = $"fwd {i++:D2} ConvGroup ";
                        h = cg.Conv1.Invoke(h); Add(p + "a conv1", Stopwatch.GetTimestamp() - t); t = Stopwatch.GetTimestamp();
                        h = h.MaxPool2d(2, 2, 0); Add(p + "b pool", Stopwatch.GetTimestamp() - t); t = Stopwatch.GetTimestamp();
                        h = cg.Norm1.Invoke(h); Add(p + "c norm1", Stopwatch.GetTimestamp() - t); t = Stopwatch.GetTimestamp();
                        h = h.Gelu(); Add(p + "d gelu", Stopwatch.GetTimestamp() - t); t = Stopwatch.GetTimestamp();
                        h = cg.Conv2.Invoke(h); Add(p + "e conv2", Stopwatch.GetTimestamp() - t); t = Stopwatch.GetTimestamp();
                        h = cg.Norm2.Invoke(h); Add(p + "f norm2", Stopwatch.GetTimestamp() - t); t = Stopwatch.GetTimestamp();
                        h = h.Gelu(); Add(p + "g gelu", Stopwatch.GetTimestamp() - t);
                        continue;
                    }
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

/// <summary>Large-object allocations by type and call site (GC AllocationTick events, sampled every ~100 KB), printed
/// with <c>NABLA_ALLOC_TRACE=1</c>: finds the buffers that escape the storage pool.</summary>
internal sealed class AllocationTrace : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, (int Count, long Bytes)> _large = [];

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not "GCAllocationTick_V4" || e.Payload is null) return;
        int kind = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("AllocationKind")]);
        if (kind != 1) return;   // 1 = large object heap
        string type = e.Payload[e.PayloadNames.IndexOf("TypeName")]?.ToString() ?? "?";
        long size = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("ObjectSize")]);
        var frames = new System.Diagnostics.StackTrace(1, false).GetFrames()
            .Select(f => f.GetMethod()).Where(m => m?.DeclaringType?.Namespace?.StartsWith("Nabla", StringComparison.Ordinal) == true)
            .Take(3).Select(m => $"{m!.DeclaringType!.Name}.{m.Name}");
        string key = $"{type} {size / 1024} KiB @ {string.Join(" < ", frames)}";
        lock (_large) _large[key] = (_large.GetValueOrDefault(key).Count + 1, _large.GetValueOrDefault(key).Bytes + size);
    }

    public void Print()
    {
        lock (_large)
            foreach (var (k, v) in _large.OrderByDescending(kv => kv.Value.Bytes).Take(25))
                Console.Error.WriteLine($"{v.Count,5} × {k}");
    }
}
