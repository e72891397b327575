using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Labs;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Bench;

// mnist-fast-step: the training step of lab mnist-fast part A, broken into phases. The model, batch, optimizer and
// schedule come from MnistFastSettings' defaults and MnistFastNet (the lab's own code), the step is Trainer's
// (zero grad → forward → loss → Item + accuracy → backward with freed intermediates → step → scheduler), the data path
// is the lab's (LabKit.BatchIndices + IndexSelect of a [60000, 1, 28, 28] tensor, here N(0, 1) noise).
public static partial class Workloads
{
    static partial void RegisterMnistFast(List<Workload> list) =>
        list.Add(new Workload("mnist-fast-step",
            "lab mnist-fast part A's training step (its model, batch 128, Nesterov SGD, one-cycle), per-phase medians in ms: data, forward per layer, loss, " +
            "item+accuracy, backward per node kind, optimizer, scheduler, in wall and in this thread's processor time (use --threads 1); " +
            "40 warm-up steps, then reps × 60 timed steps",
            MnistFastStep));

    private static JsonObject MnistFastStep(BenchOptions o)
    {
        const int n = 60_000, warmup = 40;
        int steps = 60 * Math.Max(1, o.Reps);
        var s = new MnistFastSettings();
        var g = new Generator((ulong)o.Seed);
        var x = Tensor.Randn([n, 1, 28, 28], generator: g);
        var y = Tensor.RandInt(0, 10, [n], generator: g);
        var model = MnistFastNet.Create(s.FastWidths, 1, new Generator((ulong)o.Seed + 5), s.FastPoolFirst);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(s.FastLr, s.Momentum, WeightDecay: s.FastWeightDecay, Nesterov: s.Momentum > 0));
        int perEpoch = (n + s.FastBatch - 1) / s.FastBatch;
        var sched = new OneCycleLR(opt, s.FastLr, s.FastEpochs * perEpoch, pctStart: 0.25);
        var order = new Generator((ulong)o.Seed + 11);

        // Two clocks per phase: wall (Stopwatch) and this thread's processor time (ThreadClock; with --threads 1 every
        // kernel runs on this thread, so it is the step's own work, little inflated by a loaded machine).
        var wall = new Dictionary<string, List<double>>();
        var cpu = new Dictionary<string, List<double>>();
        var wallNow = new Dictionary<string, long>();
        var cpuNow = new Dictionary<string, long>();
        long lastWall = 0, lastCpu = 0;
        void Mark(string k)   // charges the time since the previous mark to phase k
        {
            long w = Stopwatch.GetTimestamp(), c = ThreadClock.NowNs();
            wallNow[k] = wallNow.GetValueOrDefault(k) + (w - lastWall);
            cpuNow[k] = cpuNow.GetValueOrDefault(k) + (c - lastCpu);
            (lastWall, lastCpu) = (Stopwatch.GetTimestamp(), ThreadClock.NowNs());
        }
        void Start() => (lastWall, lastCpu) = (Stopwatch.GetTimestamp(), ThreadClock.NowNs());
        IEnumerator<Tensor>? batches = null;
        long allocated0 = 0, gen0 = 0, gen1 = 0, gen2 = 0;
        var process0 = TimeSpan.Zero;
        // Each node's share: the time since the previous node finished (its backward plus the engine's bookkeeping).
        Engine.NodeTimer = (name, _) => Mark("bwd " + name);
        try
        {
            for (int step = 0; step < warmup + steps; step++)
            {
                if (step == warmup)
                {
                    allocated0 = GC.GetTotalAllocatedBytes(precise: false);
                    (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                    process0 = Process.GetCurrentProcess().TotalProcessorTime;
                }
                wallNow.Clear();
                cpuNow.Clear();
                long stepWall = Stopwatch.GetTimestamp(), stepCpu = ThreadClock.NowNs();
                Start();
                if (batches is null || !batches.MoveNext())
                {
                    batches = LabKit.BatchIndices(n, s.FastBatch, order).GetEnumerator();
                    batches.MoveNext();
                }
                var idx = batches.Current;
                var xb = x.IndexSelect(0, idx);
                var yb = y.IndexSelect(0, idx);
                Mark("data");
                opt.ZeroGrad();
                Mark("zero_grad");
                var h = xb;
                int i = 0;
                foreach (var layer in model.Layers)
                {
                    h = layer.Invoke(h);
                    Mark($"fwd {i++:D2} {layer.GetType().Name}");
                }
                var loss = h.CrossEntropy(yb, labelSmoothing: s.FastSmoothing);
                Mark("fwd loss");
                double l = loss.Item();
                _ = Metrics.CorrectCount(h, yb);
                Mark("item+accuracy");
                loss.Backward(freeIntermediates: true);
                Mark("bwd (engine, after the last node)");
                opt.Step();
                Mark("optimizer step");
                sched.Step();
                Mark("scheduler step");
                wallNow["step (all)"] = Stopwatch.GetTimestamp() - stepWall;
                cpuNow["step (all)"] = ThreadClock.NowNs() - stepCpu;
                if (!double.IsFinite(l)) throw new NablaException($"mnist-fast-step: the loss became {l} at step {step}");
                if (step < warmup) continue;
                foreach (var (k, v) in wallNow)
                {
                    if (!wall.TryGetValue(k, out var list)) wall[k] = list = [];
                    list.Add(v * 1000.0 / Stopwatch.Frequency);
                }
                foreach (var (k, v) in cpuNow)
                {
                    if (!cpu.TryGetValue(k, out var list)) cpu[k] = list = [];
                    list.Add(v / 1e6);
                }
            }
        }
        finally { Engine.NodeTimer = null; }
        double processMs = (Process.GetCurrentProcess().TotalProcessorTime - process0).TotalMilliseconds / steps;
        double allocKiB = (GC.GetTotalAllocatedBytes(precise: false) - allocated0) / 1024.0 / steps;

        var wallRows = new JsonObject();
        var cpuRows = new JsonObject();
        Console.Error.WriteLine($"{"phase (median per step)",-40} {"wall ms",9} {"thread cpu ms",14}");
        foreach (var k in wall.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            double mw = BenchHarness.Median(wall[k]), mc = BenchHarness.Median(cpu[k]);
            wallRows[k] = Math.Round(mw, 3);
            cpuRows[k] = Math.Round(mc, 3);
            Console.Error.WriteLine($"{k,-40} {mw,9:F3} {mc,14:F3}");
        }
        double sumCpu = cpu.Where(kv => kv.Key != "step (all)").Sum(kv => BenchHarness.Median(kv.Value));
        Console.Error.WriteLine($"{"sum of the phase medians",-40} {"",9} {sumCpu,14:F3}");
        Console.Error.WriteLine($"{"process cpu per step (all threads)",-40} {processMs,9:F3}");
        Console.Error.WriteLine($"{"allocated per step",-40} {allocKiB,9:F1} KiB");
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = s.FastBatch;
        settings["arch"] = MnistFastNet.Describe(s.FastWidths, 1, s.FastPoolFirst);
        settings["timed_steps"] = steps;
        settings["warmup_steps"] = warmup;
        double stepMs = BenchHarness.Median(wall["step (all)"]);
        return new JsonObject
        {
            ["workload"] = "mnist-fast-step",
            ["metric"] = "step_ms_median",
            ["value"] = Math.Round(stepMs, 3),
            ["unit"] = "ms per step (median)",
            ["thread_cpu_ms_per_step"] = Math.Round(BenchHarness.Median(cpu["step (all)"]), 3),
            ["process_cpu_ms_per_step"] = Math.Round(processMs, 3),
            ["alloc_kib_per_step"] = Math.Round(allocKiB, 1),
            ["gc_per_1000_steps"] = new JsonArray(
                Math.Round(1000.0 * (GC.CollectionCount(0) - gen0) / steps, 1), Math.Round(1000.0 * (GC.CollectionCount(1) - gen1) / steps, 1),
                Math.Round(1000.0 * (GC.CollectionCount(2) - gen2) / steps, 1)),
            ["epochs_2x60k_s"] = Math.Round(stepMs * s.FastEpochs * perEpoch / 1000, 2),
            ["breakdown_wall_ms_median"] = wallRows,
            ["breakdown_thread_cpu_ms_median"] = cpuRows,
            ["settings"] = settings,
        };
    }
}
