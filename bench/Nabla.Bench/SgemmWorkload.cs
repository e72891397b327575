using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Tensors.Kernels;

namespace Nabla.Bench;

public static partial class Workloads
{
    private static readonly int[] SgemmSizes = [256, 512, 1024, 2048];

    private static void RegisterSgemm(List<Workload> list)
    {
        foreach (int n in SgemmSizes)
            list.Add(new Workload($"sgemm-{n}", $"C = A·B, float32 {n}×{n}, C preallocated; GFLOP/s = 2N³/time", o => Sgemm(n, o)));
        list.Add(new Workload("sgemm-shapes",
            "the GEMMs of mlp-train (batch 64: Linear 784→512, 512→512 forward and both backward products) and mlp-infer (batch 1000); GFLOP/s wall and per processor-second",
            SgemmShapes));
    }

    /// <summary>sgemm-N: torch.mm(A, B, out=C) with A, B ~ N(0,1).</summary>
    private static JsonObject Sgemm(int n, BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var a = Tensor.Randn([n, n], generator: g).AsSpan<float>().ToArray();
        var b = Tensor.Randn([n, n], generator: g).AsSpan<float>().ToArray();
        var c = new float[n * n];
        Action fn = () => Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
        for (int i = 0; i < 3; i++) fn();
        int iters = BenchHarness.CalibrateIters(fn, o.RepSeconds);
        for (int i = 0; i < iters; i++) fn();   // warm-up
        // Two clocks per repetition: wall time, and the processor time of the whole process (every thread that ran
        // the GEMM). GFLOP per processor-second is the per-thread rate and is far less inflated by other processes on
        // a loaded machine than wall GFLOP/s (a preempted thread stops its processor clock, not the wall one).
        var per = new double[o.Reps];
        var cpuPer = new double[o.Reps];
        using var proc = Process.GetCurrentProcess();
        for (int r = 0; r < o.Reps; r++)
        {
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iters; i++) fn();
            per[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / iters;
            proc.Refresh();
            cpuPer[r] = (proc.TotalProcessorTime - cpu0).TotalSeconds / iters;
        }
        var settings = BenchHarness.CommonSettings(o);
        settings["N"] = n;
        settings["op"] = "Gemm.Sgemm(A,B -> C)";
        settings["iters_per_rep"] = iters;
        settings["nreps"] = o.Reps;
        var rec = BenchHarness.Result($"sgemm-{n}", "gflops", per, 2.0 * n * n * n, "GFLOP/s", 1e-9, settings);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        // GFLOP per second of processor time summed over threads: the per-thread rate (at --threads 1, the core's).
        rec["gflops_per_cpu_second"] = Math.Round(BenchHarness.Median(cpuPer.Select(t => 2.0 * n * n * n / t * 1e-9)), 3);
        return rec;
    }

    /// <summary>(name, transA, transB, m, n, k, beta) as LinearOp calls Gemm.Sgemm: forward Y = X·Wᵀ (+bias, beta 1),
    /// backward ∂X = G·W and ∂W = Gᵀ·X (accumulated into the gradient, beta 1).</summary>
    private static readonly (string Name, bool TA, bool TB, int M, int N, int K, float Beta)[] MlpShapes =
    [
        ("fwd 64x784->512", false, true, 64, 512, 784, 1f),
        ("dW 512x784 (k=64)", true, false, 512, 784, 64, 1f),
        ("fwd 64x512->512", false, true, 64, 512, 512, 1f),
        ("dX 64x512<-512", false, false, 64, 512, 512, 0f),
        ("dW 512x512 (k=64)", true, false, 512, 512, 64, 1f),
        ("infer 1000x784->512", false, true, 1000, 512, 784, 1f),
        ("infer 1000x512->512", false, true, 1000, 512, 512, 1f),
    ];

    private static JsonObject SgemmShapes(BenchOptions o)
    {
        var g = new Generator((ulong)o.Seed);
        var rows = new JsonObject();
        using var proc = Process.GetCurrentProcess();
        foreach (var (name, ta, tb, m, nn, k, beta) in MlpShapes)
        {
            var a = Tensor.Randn([m * k], generator: g).AsSpan<float>().ToArray();
            var b = Tensor.Randn([k * nn], generator: g).AsSpan<float>().ToArray();
            var c = new float[m * nn];
            int lda = ta ? m : k, ldb = tb ? k : nn;
            Action fn = () => Gemm.Sgemm(ta, tb, m, nn, k, 1f, a, lda, b, ldb, beta, c, nn);
            for (int i = 0; i < 3; i++) fn();
            int iters = BenchHarness.CalibrateIters(fn, Math.Min(o.RepSeconds, 0.2));
            for (int i = 0; i < iters; i++) fn();
            var wall = new double[o.Reps];
            var cpu = new double[o.Reps];
            for (int r = 0; r < o.Reps; r++)
            {
                proc.Refresh();
                var cpu0 = proc.TotalProcessorTime;
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < iters; i++) fn();
                wall[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / iters;
                proc.Refresh();
                cpu[r] = (proc.TotalProcessorTime - cpu0).TotalSeconds / iters;
            }
            double flops = 2.0 * m * nn * k;
            rows[name] = new JsonObject
            {
                ["gflops_wall"] = Math.Round(BenchHarness.Median(wall.Select(t => flops / t * 1e-9)), 2),
                ["gflops_per_cpu_second"] = Math.Round(BenchHarness.Median(cpu.Select(t => flops / t * 1e-9)), 2),
                ["us_per_call"] = Math.Round(1e6 * BenchHarness.Median(wall), 1),
            };
        }
        var settings = BenchHarness.CommonSettings(o);
        return new JsonObject { ["workload"] = "sgemm-shapes", ["unit"] = "GFLOP/s (median over reps)", ["breakdown"] = rows, ["settings"] = settings };
    }
}
