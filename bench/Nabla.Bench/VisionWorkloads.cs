using System.Text.Json.Nodes;
using Nabla.Models;
using Nabla.Optim;

namespace Nabla.Bench;

public static partial class Workloads
{
    static partial void RegisterVision(List<Workload> list)
    {
        list.Add(new Workload("vgg11-train",
            "VGG11/CIFAR-10 (3x32x32): conv3x3 p1 (+bias) -> BatchNorm2d -> ReLU, plan [64,M,128,M,256,256,M,512,512,M,512,512,M], then Linear(512,10); CE; SGD lr 0.05 momentum 0.9 wd 5e-4; batch 128; train mode; images/s",
            o => Vgg11Train(o)));
        list.Add(new Workload("vgg11-infer",
            "the same VGG11 in eval mode, no-grad forward of batch 128 (peer: bench/peer_extra.py); images/s",
            Vgg11Infer));
    }

    /// <summary>vgg11-infer (peer: bench/peer_extra.py, same protocol as mlp-infer): eval() + no-grad forward of one
    /// batch of 128 random images, calibrated to ~rep_seconds per rep, 3 warm-up calls.</summary>
    private static JsonObject Vgg11Infer(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var model = Vgg.Vgg11(generator: g);
        return Inference(o, "vgg11-infer", "infer_images_per_s", "images/s", model, Tensor.Randn([128, 3, 32, 32], generator: g), warmup: 3);
    }

    /// <summary>
    /// vgg11-train, as bench_vgg11_train in the PyTorch reference: <see cref="Vgg.Vgg11"/> (conv bias on, BatchNorm in
    /// train mode, PyTorch default inits) trained with SGD (lr 0.05, momentum 0.9, weight decay 5e-4); one step =
    /// zero_grad (buffers zeroed) + forward + mean cross-entropy + backward + step, cycling through a pool of 4 random
    /// batches (x ~ N(0, 1) of [128, 3, 32, 32], labels in [0, 10)); 3 warm-up steps, then 10 timed single steps
    /// (one step per repetition), median images/s; epoch_50k_s = 50,000 / that rate.
    /// </summary>
    private static JsonObject Vgg11Train(BenchOptions o, int batch = 128, int pool = 4, int warmup = 3, int steps = 10)
    {
        var g = new Generator((ulong)o.Seed);
        var model = Vgg.Vgg11(generator: g);
        model.Train();
        var opt = new Sgd(model.Parameters(), new SgdOptions(LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4));
        var batches = Enumerable.Range(0, pool)
            .Select(_ => (X: Tensor.Randn([batch, 3, 32, 32], generator: g), Y: Tensor.RandInt(0, 10, [batch], g))).ToArray();
        int i = 0;
        Action step = () =>
        {
            var (x, y) = batches[i++ % pool];
            opt.ZeroGrad();
            var loss = model.Forward(x).CrossEntropy(y);
            loss.Backward(freeIntermediates: true);   // nothing else holds the activations (PyTorch frees them by refcount)
            opt.Step();
        };
        var per = BenchHarness.TimedReps(step, 1, steps, warmupIters: warmup);
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = batch;
        settings["timed_steps"] = steps;
        settings["warmup_steps"] = warmup;
        settings["optimizer"] = "SGD lr=0.05 momentum=0.9 wd=5e-4";
        settings["loss"] = "cross_entropy(mean)";
        settings["conv_bias"] = true;
        settings["bn"] = "train mode";
        settings["zero_grad"] = "set_to_none=False";
        var rec = BenchHarness.Result("vgg11-train", "train_images_per_s", per, batch, "images/s", 1.0, settings);
        rec["epoch_50k_s"] = Math.Round(50000 / (double)rec["value"]!, 2);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }
}
