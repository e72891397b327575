using System.Text.Json.Nodes;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

// mlp-train, mlp-infer, cnn-train as bench_mlp_train / bench_mlp_infer / bench_cnn_train in the PyTorch reference,
// through Nabla's public path only: Sequential of Linear/ReLU (or Conv2d/ReLU/MaxPool2d/Flatten/Linear) modules,
// CrossEntropy (mean), Sgd, Backward. Data: random N(0,1) inputs and uniform labels, a pool of 16 batches.
public static partial class Workloads
{
    static partial void RegisterTraining(List<Workload> list)
    {
        list.Add(new Workload("mlp-train",
            "784-512-ReLU-512-ReLU-10, CE (mean), SGD lr 0.01, batch 64: zero_grad (buffers kept) + forward + loss + backward + step; samples/s and epoch_60k_s",
            MlpTrain));
        list.Add(new Workload("mlp-infer", "the same MLP in eval mode, no-grad forward of batch 1000; samples/s", MlpInfer));
        list.Add(new Workload("cnn-train",
            "Conv2d(1,16,5,p2)-ReLU-MaxPool(2)-Conv2d(16,32,5,p2)-ReLU-MaxPool(2)-Linear(1568,10), CE, SGD lr 0.01 momentum 0.9, batch 64; samples/s",
            CnnTrain));
    }

    /// <summary>make_mlp: Linear(784,512)-ReLU-Linear(512,512)-ReLU-Linear(512,10).</summary>
    private static Sequential MakeMlp(Generator g) => new(
        new Linear(784, 512, generator: g), new ReLU(),
        new Linear(512, 512, generator: g), new ReLU(),
        new Linear(512, 10, generator: g));

    /// <summary>make_cnn: two 5×5 "same" convolutions with ReLU and 2×2 max pooling, then Linear(32·7·7, 10).</summary>
    private static Sequential MakeCnn(Generator g) => new(
        new Conv2d(1, 16, 5, stride: 1, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 5, stride: 1, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(32 * 7 * 7, 10, generator: g));

    /// <summary>train_step_fn: one step per call, cycling through the pool: zero_grad(set_to_none=False), forward,
    /// cross-entropy, backward, optimizer step.</summary>
    private static Action TrainStep(Module model, Optimizer opt, (Tensor X, Tensor Y)[] batches)
    {
        int i = 0;
        return () =>
        {
            var (x, y) = batches[i % batches.Length];
            i++;
            opt.ZeroGrad();
            var loss = model.Invoke(x).CrossEntropy(y);
            loss.Backward(freeIntermediates: true);   // nothing else holds the activations (PyTorch frees them by refcount)
            opt.Step();
        };
    }

    private static (Tensor X, Tensor Y)[] RandomBatches(Generator g, int[] inputShape, int classes, int pool) =>
        Enumerable.Range(0, pool)
            .Select(_ => (Tensor.Randn(inputShape, generator: g), Tensor.RandInt(0, classes, [inputShape[0]], generator: g)))
            .ToArray();

    /// <summary>bench_mlp_train: 50 warm-up steps, then reps × 300 timed steps.</summary>
    private static JsonObject MlpTrain(BenchOptions o)
    {
        const int steps = 300, batch = 64, pool = 16, warmup = 50;
        var g = new Generator((ulong)o.Seed);
        var model = MakeMlp(g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.01));
        var step = TrainStep(model, opt, RandomBatches(g, [batch, 784], 10, pool));
        var per = BenchHarness.TimedReps(step, steps, o.Reps, warmupIters: warmup);
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = batch;
        settings["steps_per_rep"] = steps;
        settings["nreps"] = o.Reps;
        settings["warmup_steps"] = warmup;
        settings["optimizer"] = "SGD lr=0.01";
        settings["loss"] = "cross_entropy(mean)";
        settings["zero_grad"] = "set_to_none=False";
        settings["arch"] = "784-512-ReLU-512-ReLU-10";
        var rec = BenchHarness.Result("mlp-train", "train_samples_per_s", per, batch, "samples/s", 1.0, settings);
        rec["epoch_60k_s"] = Math.Round(60000 / (double)rec["value"]!, 3);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }

    /// <summary>bench_mlp_infer: eval() + no-grad forward of one batch of 1000, calibrated to ~rep_seconds per rep.</summary>
    private static JsonObject MlpInfer(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var model = MakeMlp(g);
        return Inference(o, "mlp-infer", "infer_samples_per_s", "samples/s", model, Tensor.Randn([1000, 784], generator: g), warmup: 10);
    }

    /// <summary>The peer's inference protocol: <paramref name="model"/> in eval mode, no-grad forwards of batch
    /// <paramref name="x"/>, ≤ 1000 calls per rep calibrated to ~rep_seconds, <paramref name="warmup"/> calls first;
    /// throughput = batch size / time per call.</summary>
    private static JsonObject Inference(BenchOptions o, string workload, string metric, string unit, Module model, Tensor x, int warmup)
    {
        int batch = x.Shape[0];
        model.Eval();
        Action fwd = () =>
        {
            using (GradMode.NoGrad()) model.Invoke(x);
        };
        int iters = BenchHarness.CalibrateIters(fwd, o.RepSeconds, maxIters: 1000);
        var per = BenchHarness.TimedReps(fwd, iters, o.Reps, warmupIters: warmup);
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = batch;
        settings["iters_per_rep"] = iters;
        settings["nreps"] = o.Reps;
        settings["mode"] = "eval+no_grad";
        var rec = BenchHarness.Result(workload, metric, per, batch, unit, 1.0, settings);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }

    /// <summary>bench_cnn_train: 5 untimed steps, calibration (≤ 1000 steps per rep), 10 warm-up steps, reps.</summary>
    private static JsonObject CnnTrain(BenchOptions o)
    {
        const int batch = 64, pool = 16;
        var g = new Generator((ulong)o.Seed);
        var model = MakeCnn(g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.01, Momentum: 0.9));
        var step = TrainStep(model, opt, RandomBatches(g, [batch, 1, 28, 28], 10, pool));
        for (int i = 0; i < 5; i++) step();
        int steps = BenchHarness.CalibrateIters(step, o.RepSeconds, maxIters: 1000);
        var per = BenchHarness.TimedReps(step, steps, o.Reps, warmupIters: 10);
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = batch;
        settings["steps_per_rep"] = steps;
        settings["nreps"] = o.Reps;
        settings["optimizer"] = "SGD lr=0.01 momentum=0.9";
        settings["loss"] = "cross_entropy(mean)";
        settings["zero_grad"] = "set_to_none=False";
        var rec = BenchHarness.Result("cnn-train", "train_samples_per_s", per, batch, "samples/s", 1.0, settings);
        rec["epoch_60k_s"] = Math.Round(60000 / (double)rec["value"]!, 3);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }
}
