using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Bench;

// memory-<model>-<keep|free>: what Trainer's storage recycling saves, measured in allocations and peak memory, never
// in time. One model per process (the peak working set is a per-process figure): run keep and free separately.
public static partial class Workloads
{
    static partial void RegisterMemory(List<Workload> list)
    {
        foreach (var (model, description) in MemoryModels)
            foreach (bool free in new[] { false, true })
                list.Add(new Workload($"memory-{model}-{(free ? "free" : "keep")}",
                    $"{description}; Trainer with FreeIntermediates={free}: bytes allocated and GC collections per step (after warm-up), peak working set",
                    o => TrainMemory(model, free, o)));
    }

    private static readonly (string Name, string Description)[] MemoryModels =
    [
        ("mlp", "784-512-ReLU-512-ReLU-10, batch 64, SGD"),
        ("cnn", "the cnn-train CNN on [64, 1, 28, 28], SGD momentum 0.9"),
        ("vgg11", "VGG11 with BatchNorm on [64, 3, 32, 32], SGD momentum 0.9"),
        ("lstm", "SentenceLstm (vocabulary 5000, embedding 100, hidden 256) on [32, 60] tokens, Adam"),
    ];

    private static JsonObject TrainMemory(string name, bool free, BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        (Module model, Optimizer opt, Func<Tensor> input, int classes, int warmup, int steps) = name switch
        {
            "mlp" => Setup(MakeMlp(g), m => new Sgd(m.Parameters(), new SgdOptions(LearningRate: 0.01)), () => Tensor.Randn([64, 784], generator: g), 10, 5, 40),
            "cnn" => Setup(MakeCnn(g), m => new Sgd(m.Parameters(), new SgdOptions(LearningRate: 0.01, Momentum: 0.9)), () => Tensor.Randn([64, 1, 28, 28], generator: g), 10, 3, 12),
            "vgg11" => Setup(Vgg.Vgg11(generator: g), m => new Sgd(m.Parameters(), new SgdOptions(LearningRate: 0.05, Momentum: 0.9)), () => Tensor.Randn([64, 3, 32, 32], generator: g), 10, 2, 6),
            "lstm" => Setup(new SentenceLstm(5000, 2, hiddenSize: 256, generator: g), m => new Adam(m.Parameters(), new AdamOptions(LearningRate: 1e-3)),
                () => Tensor.RandInt(1, 5000, [32, 60], g), 2, 3, 12),
            _ => throw new ArgumentException($"memory workload: unknown model '{name}'"),
        };
        var pool = Enumerable.Range(0, 4).Select(_ => (X: input(), Y: Tensor.RandInt(0, classes, [input().Size(0)], g))).ToArray();
        var meter = new StepMeter(warmup);
        var trainer = new Trainer(model, opt, (y, t) => y.CrossEntropy(t), new TrainerOptions(Epochs: 1, Seed: (ulong)o.Seed, FreeIntermediates: free));
        trainer.Callbacks.Add(meter);
        trainer.Fit(_ => Enumerable.Range(0, warmup + steps).Select(i => pool[i % pool.Length]));
        var settings = BenchHarness.CommonSettings(o);
        settings["free_intermediates"] = free;
        settings["warmup_steps"] = warmup;
        settings["measured_steps"] = steps;
        using var process = Process.GetCurrentProcess();
        return new JsonObject
        {
            ["workload"] = $"memory-{name}-{(free ? "free" : "keep")}",
            ["alloc_mib_per_step"] = Math.Round(meter.Bytes / (double)steps / (1 << 20), 2),
            ["gen0_per_step"] = Math.Round(meter.Gen0 / (double)steps, 2),
            ["gen1_per_step"] = Math.Round(meter.Gen1 / (double)steps, 2),
            ["gen2_per_step"] = Math.Round(meter.Gen2 / (double)steps, 2),
            ["peak_working_set_mib"] = Math.Round(process.PeakWorkingSet64 / (1024.0 * 1024.0), 1),
            ["pool_free_mib"] = Math.Round(StoragePool.FreeBytes / (1024.0 * 1024.0), 1),
            ["settings"] = settings,
        };
    }

    private static (Module, Optimizer, Func<Tensor>, int, int, int) Setup(Module m, Func<Module, Optimizer> opt, Func<Tensor> input, int classes, int warmup, int steps) =>
        (m, opt(m), input, classes, warmup, steps);

    /// <summary>Allocated bytes and GC counts between the end of the warm-up and the last step.</summary>
    private sealed class StepMeter(int warmup) : ITrainerCallback
    {
        private long _bytes0;
        private int _g0, _g1, _g2;
        public long Bytes { get; private set; }
        public int Gen0 { get; private set; }
        public int Gen1 { get; private set; }
        public int Gen2 { get; private set; }

        public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond)
        {
            long now = GC.GetTotalAllocatedBytes(precise: true);
            if (batch == warmup) { _bytes0 = now; _g0 = GC.CollectionCount(0); _g1 = GC.CollectionCount(1); _g2 = GC.CollectionCount(2); }
            else if (batch > warmup)
            {
                Bytes = now - _bytes0;
                Gen0 = GC.CollectionCount(0) - _g0;
                Gen1 = GC.CollectionCount(1) - _g1;
                Gen2 = GC.CollectionCount(2) - _g2;
            }
        }
    }
}
