using System.Text.Json.Nodes;

namespace Nabla.Bench;

public static partial class Workloads
{
    static partial void RegisterConv(List<Workload> list) =>
        list.Add(new Workload("conv-fwd-bwd",
            "Conv2d(64,64,3,padding=1)+bias on 64x64x32x32: no-grad forward GFLOP/s (2·N·Cout·H·W·Cin·k·k) and forward+backward (input, weight grads) time",
            o => Conv(o)));

    /// <summary>
    /// conv-fwd-bwd, as bench_conv in the PyTorch reference: nn.Conv2d(c, c, k, padding=k//2) with its default init
    /// (weight and bias ~ U(−1/√(Cin·k·k), +1/√(Cin·k·k))), x ~ N(0,1) requiring grad, a preallocated upstream gradient
    /// gy ~ N(0,1). fwd runs under no-grad; fwd_bwd = forward with grad + backward to input and weight.
    /// </summary>
    private static JsonObject Conv(BenchOptions o, int n = 64, int c = 64, int hw = 32, int k = 3)
    {
        var g = new Generator((ulong)o.Seed);
        double bound = 1.0 / Math.Sqrt(c * k * k);
        var weight = Tensor.Rand([c, c, k, k], -bound, bound, generator: g).RequiresGrad_();
        var bias = Tensor.Rand([c], -bound, bound, generator: g).RequiresGrad_();
        var x = Tensor.Randn([n, c, hw, hw], generator: g).RequiresGrad_();
        var gy = Tensor.Randn([n, c, hw, hw], generator: g);
        double flopsFwd = 2.0 * n * c * hw * hw * c * k * k;

        Action fwd = () =>
        {
            using (GradMode.NoGrad()) x.Conv2d(weight, bias, padding: k / 2);
        };
        // torch.autograd.grad(y, (x, conv.weight), gy): gradients of x and the weight only (the bias is not an
        // output there, so its gradient is not computed); Backward would accumulate, so grads are reset per call.
        Action fwdBwd = () =>
        {
            var y = x.Conv2d(weight, bias.Detach(), padding: k / 2);
            y.Backward(gy);
            x.Grad = null;
            weight.Grad = null;
        };

        int itF = BenchHarness.CalibrateIters(fwd, o.RepSeconds, maxIters: 1000);
        var perF = BenchHarness.TimedReps(fwd, itF, o.Reps, warmupIters: 5);
        int itFb = BenchHarness.CalibrateIters(fwdBwd, o.RepSeconds, maxIters: 1000);
        var perFb = BenchHarness.TimedReps(fwdBwd, itFb, o.Reps, warmupIters: 5);

        var settings = BenchHarness.CommonSettings(o);
        settings["N"] = n;
        settings["Cin"] = c;
        settings["Cout"] = c;
        settings["H"] = hw;
        settings["W"] = hw;
        settings["k"] = k;
        settings["padding"] = k / 2;
        settings["bias"] = true;
        settings["fwd_iters_per_rep"] = itF;
        settings["fwd_bwd_iters_per_rep"] = itFb;
        settings["nreps"] = o.Reps;
        settings["fwd_mode"] = "no_grad";
        settings["bwd"] = "Backward(gy) wrt (input, weight)";
        settings["flops_fwd"] = flopsFwd;
        var rec = BenchHarness.Result("conv-fwd-bwd", "fwd_gflops", perF, flopsFwd, "GFLOP/s", 1e-9, settings);
        double fbMed = BenchHarness.Median(perFb);
        rec["fwd_ms"] = Math.Round(1e3 * BenchHarness.Median(perF), 3);
        rec["fwd_bwd_ms"] = Math.Round(1e3 * fbMed, 3);
        rec["fwd_bwd_reps_ms"] = new JsonArray(perFb.Select(t => (JsonNode)Math.Round(1e3 * t, 3)).ToArray());
        // fwd + dgrad + wgrad = 3x the forward FLOPs (bias terms ignored)
        rec["fwd_bwd_gflops_3x"] = Math.Round(3 * flopsFwd / fbMed * 1e-9, 3);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }
}
