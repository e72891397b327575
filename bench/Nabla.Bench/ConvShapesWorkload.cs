using System.Text.Json.Nodes;
using Nabla.Tensors.Kernels;

namespace Nabla.Bench;

public static partial class Workloads
{
    static partial void RegisterConvShapes(List<Workload> list) =>
        list.Add(new Workload("vgg11-convs",
            "the convolution kernels alone on every VGG11/CIFAR-10 conv shape at batch 128 (3x3, padding 1), im2col (in channel blocks where they apply) and tap regions forced (Auto takes regions on 2x2 only): forward and backward (input + weight gradients) ms and GFLOP/s (of the im2col FLOPs)",
            VggConvShapes));

    /// <summary>Kernel-level view of vgg11-train's convolutions (no autograd, no allocation of outputs per call): where
    /// the conv time of a step goes, shape by shape. Backward counts 2× the forward FLOPs (input and weight gradients;
    /// the first layer's input gradient is computed too, unlike in training).</summary>
    private static JsonObject VggConvShapes(BenchOptions o)
    {
        (int Cin, int Cout, int Hw)[] shapes = [(3, 64, 32), (64, 128, 16), (128, 256, 8), (256, 256, 8), (256, 512, 4), (512, 512, 4), (512, 512, 2)];
        const int n = 128;
        var g = new Generator((ulong)o.Seed);
        var rows = new JsonObject();
        foreach (var (cin, cout, hw) in shapes)
        {
            var geo = ConvGeometry.Create(cin, hw, hw, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
            var x = Tensor.Randn([n * cin * hw * hw], generator: g).ToArray<float>();
            var w = Tensor.Randn([cout * cin * 9], generator: g).ToArray<float>();
            var b = new float[cout];
            var y = new float[n * cout * hw * hw];
            var gx = new float[x.Length];
            var gw = new float[w.Length];
            var gb = new float[cout];
            double flops = 2.0 * n * cout * hw * hw * cin * 9;
            var row = new JsonObject();
            foreach (var algorithm in new[] { ConvAlgorithm.Im2Col, ConvAlgorithm.Regions, ConvAlgorithm.Winograd, ConvAlgorithm.Winograd4 })
            {
                if (algorithm == ConvAlgorithm.Regions && ConvolutionRegions.Regions(geo).Length == 1) continue;
                if (algorithm is ConvAlgorithm.Winograd or ConvAlgorithm.Winograd4 && !ConvolutionWinograd.Applies(geo)) continue;
                Action fwd = () => Convolution.Forward<float>(x, w, b, y, n, cout, geo, algorithm);
                Action bwd = () => Convolution.Backward<float>(x, w, y, gx, gw, gb, n, cout, geo, algorithm);
                var pf = BenchHarness.TimedReps(fwd, BenchHarness.CalibrateIters(fwd, o.RepSeconds, 200), o.Reps, 2);
                var pb = BenchHarness.TimedReps(bwd, BenchHarness.CalibrateIters(bwd, o.RepSeconds, 200), o.Reps, 2);
                double mf = BenchHarness.Median(pf), mb = BenchHarness.Median(pb);
                row[algorithm.ToString()] = new JsonObject
                {
                    ["fwd_ms"] = Math.Round(1e3 * mf, 2), ["fwd_gflops"] = Math.Round(flops / mf * 1e-9, 1),
                    ["bwd_ms"] = Math.Round(1e3 * mb, 2), ["bwd_gflops"] = Math.Round(2 * flops / mb * 1e-9, 1),
                };
                Console.Error.WriteLine($"{cin + "->" + cout + " @" + hw + "x" + hw,-16} {algorithm,-8} fwd {1e3 * mf,8:F2} ms {flops / mf * 1e-9,7:F1} GFLOP/s   bwd {1e3 * mb,8:F2} ms {2 * flops / mb * 1e-9,7:F1} GFLOP/s");
            }
            rows[$"{cin}->{cout} @{hw}x{hw}"] = row;
        }
        var settings = BenchHarness.CommonSettings(o);
        settings["N"] = n;
        return new JsonObject
        {
            ["workload"] = "vgg11-convs", ["unit"] = "ms and GFLOP/s per shape (median)", ["shapes"] = rows,
            ["settings"] = settings,
        };
    }
}
