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
        var per = BenchHarness.TimedReps(fn, iters, o.Reps, warmupIters: iters);
        var settings = BenchHarness.CommonSettings(o);
        settings["N"] = n;
        settings["op"] = "Gemm.Sgemm(A,B -> C)";
        settings["iters_per_rep"] = iters;
        settings["nreps"] = o.Reps;
        var rec = BenchHarness.Result($"sgemm-{n}", "gflops", per, 2.0 * n * n * n, "GFLOP/s", 1e-9, settings);
        rec["peak_memory_mib"] = BenchHarness.PeakMemoryMiB();
        return rec;
    }
}
