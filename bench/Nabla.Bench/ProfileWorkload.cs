using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

public static partial class Workloads
{
    static partial void RegisterProfile(List<Workload> list) =>
        list.Add(new Workload("vgg11-profile",
            "vgg11-train's step broken down: forward time per layer kind, backward time per node kind, optimizer step (ms per step, mean of 10 after 3 warm-up)",
            o => Vgg11Profile(o)));

    private static JsonObject Vgg11Profile(BenchOptions o, int batch = 128, int warmup = 3, int steps = 10)
    {
        var g = new Generator((ulong)o.Seed);
        var model = Vgg.Vgg11(generator: g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4));
        var x = Tensor.Randn([batch, 3, 32, 32], generator: g);
        var y = Tensor.RandInt(0, 10, [batch], g);
        var times = new Dictionary<string, long>();
        bool record = false;
        void Add(string k, long ticks) { if (record) times[k] = times.GetValueOrDefault(k) + ticks; }
        Engine.NodeTimer = (name, ticks) => Add("bwd " + name, ticks);
        try
        {
            for (int s = 0; s < warmup + steps; s++)
            {
                record = s >= warmup;
                long t0 = Stopwatch.GetTimestamp();
                opt.ZeroGrad();
                Add("zero_grad", Stopwatch.GetTimestamp() - t0);
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
        var rows = new JsonObject();
        foreach (var (k, v) in times.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            double ms = v * 1000.0 / Stopwatch.Frequency / steps;
            rows[k] = Math.Round(ms, 2);
            Console.Error.WriteLine($"{k,-32} {ms,9:F2} ms");
        }
        var rec = new JsonObject { ["workload"] = "vgg11-profile", ["unit"] = "ms per step (mean)", ["breakdown"] = rows };
        return rec;
    }
}
