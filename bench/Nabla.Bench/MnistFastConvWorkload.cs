using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Tensors.Kernels;

namespace Nabla.Bench;

// mnist-fast-conv: the convolution kernels of lab mnist-fast part A at its shapes (batch 128; conv1 1→16 on 28×28,
// conv2 16→32 on 14×14, both 3×3 "same"), called directly (no graph), so a change to the kernels shows without the
// rest of the step around it.
public static partial class Workloads
{
    static partial void RegisterMnistFastConv(List<Workload> list) =>
        list.Add(new Workload("mnist-fast-conv",
            "mnist-fast part A's two 3×3 convolutions at batch 128, kernel calls only: forward, backward (weight; conv2 also input); median ms per call over reps",
            MnistFastConv));

    private static JsonObject MnistFastConv(BenchOptions o)
    {
        const int batch = 128;
        var rows = new JsonObject();
        var g = new Generator((ulong)o.Seed);
        foreach (var (name, c, side, co, needInput) in new[] { ("conv1", 1, 28, 16, false), ("conv2", 16, 14, 32, true) })
        {
            var geo = ConvGeometry.Create(c, side, side, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
            var x = Tensor.Randn([batch, c, side, side], generator: g).ToArray<float>();
            var w = Tensor.Randn([co, c * 9], generator: g).ToArray<float>();
            var y = new float[batch * co * geo.OutPixels];
            var gy = Tensor.Randn([batch * co * geo.OutPixels], generator: g).ToArray<float>();
            var gx = new float[x.Length];
            var gw = new float[w.Length];
            Time(rows, $"{name} forward", () => Convolution.Forward<float>(x, w, default, y, batch, co, geo), o);
            Time(rows, $"{name} backward weight", () => Convolution.Backward<float>(x, w, gy, default, gw, default, batch, co, geo), o);
            if (needInput)
            {
                Time(rows, $"{name} backward input", () => Convolution.Backward<float>(x, w, gy, gx, default, default, batch, co, geo), o);
                Time(rows, $"{name} backward input+weight", () => Convolution.Backward<float>(x, w, gy, gx, gw, default, batch, co, geo), o);
            }
        }
        // The weight gradient's product C (m×n) = A (m×k) · Bᵀ (B n×k) alone: packed GEMM against GemmDotNT (the
        // evidence for GemmDotNT.Suits).
        foreach (var (m, nn, kk) in new[] { (16, 9, 784), (32, 144, 392), (32, 144, 196), (64, 72, 392), (64, 288, 256) })
        {
            var a = Tensor.Randn([m * kk], generator: g).ToArray<float>();
            var b = Tensor.Randn([nn * kk], generator: g).ToArray<float>();
            var cm = new float[m * nn];
            Time(rows, $"gemm NT {m}x{nn}x{kk} packed", () => Gemm.Sgemm(GemmPath.Auto, 1, false, true, m, nn, kk, 1f, a, kk, b, kk, 1f, cm, nn), o);
            Time(rows, $"gemm NT {m}x{nn}x{kk} dot", () => GemmDotNT.Run<float>(m, nn, kk, a, kk, b, kk, 1f, cm, nn), o);
        }
        var settings = BenchHarness.CommonSettings(o);
        settings["batch"] = batch;
        return new JsonObject { ["workload"] = "mnist-fast-conv", ["unit"] = "ms per call (median over reps; thread cpu is meaningful with --threads 1)", ["breakdown"] = rows, ["settings"] = settings };
    }

    /// <summary>Median over reps of ms per call, in wall time and in this thread's processor time (the row's two numbers).</summary>
    private static void Time(JsonObject rows, string key, Action fn, BenchOptions o)
    {
        int iters = BenchHarness.CalibrateIters(fn, Math.Min(o.RepSeconds, 0.2), maxIters: 1000);
        for (int i = 0; i < 3; i++) fn();
        var wall = new double[o.Reps];
        var cpu = new double[o.Reps];
        for (int r = 0; r < o.Reps; r++)
        {
            long w0 = Stopwatch.GetTimestamp(), c0 = ThreadClock.NowNs();
            for (int i = 0; i < iters; i++) fn();
            cpu[r] = (ThreadClock.NowNs() - c0) / 1e6 / iters;
            wall[r] = Stopwatch.GetElapsedTime(w0).TotalMilliseconds / iters;
        }
        double mw = BenchHarness.Median(wall), mc = BenchHarness.Median(cpu);
        rows[key] = new JsonObject { ["wall_ms"] = Math.Round(mw, 3), ["thread_cpu_ms"] = Math.Round(mc, 3) };
        Console.Error.WriteLine($"{key,-32} wall {mw,8:F3} ms   thread cpu {mc,8:F3} ms");
    }
}
