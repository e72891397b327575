using System.Diagnostics;
using System.Text.Json.Nodes;
using Nabla.Tensors.Kernels;
using Tile12 = Nabla.Tensors.Kernels.GemmKernelVec<float, Nabla.Tensors.Kernels.V512<float>, Nabla.Tensors.Kernels.Rows12>;

namespace Nabla.Bench;

// sgemm-parts: where one thread's sgemm-1024 time goes. The driver's own loop nest (GemmDriver.Blocked) is replayed
// three times, each doing one kind of work only: packing A, packing B, and the packed macro loop (tiles over packed
// buffers that were filled once), then the whole GEMM. The parts are timed alone, so their sum can differ from the
// whole (caches and overlap); what it shows is the order of magnitude of each.
public static partial class Workloads
{
    static partial void RegisterSgemmParts(List<Workload> list) =>
        list.Add(new Workload("sgemm-parts",
            "sgemm-1024 on the calling thread split into its parts: pack A, pack B, the packed macro loop, and the whole GEMM; ms per call and ns per packed element",
            SgemmParts));

    private static unsafe JsonObject SgemmParts(BenchOptions o)
    {
        if (!Tile12.IsSupported)
            throw new PlatformNotSupportedException("sgemm-parts replays the AVX-512 12×32 tile; this CPU has no AVX-512");
        const int n = 1024;
        var g = new Generator((ulong)o.Seed);
        var a = GC.AllocateArray<float>(n * n, pinned: true);
        var b = GC.AllocateArray<float>(n * n, pinned: true);
        var c = GC.AllocateArray<float>(n * n, pinned: true);
        Tensor.Randn([n, n], generator: g).AsSpan<float>().CopyTo(a);
        Tensor.Randn([n, n], generator: g).AsSpan<float>().CopyTo(b);
        var parts = new (string Name, Action Run, long Elements)[]
        {
            ("pack_a", () => Replay(n, a, b, c, packA: true, packB: false, macro: false), n * (long)n),
            ("pack_b", () => Replay(n, a, b, c, packA: false, packB: true, macro: false), n * (long)n),
            ("macro", () => Replay(n, a, b, c, packA: false, packB: false, macro: true), 0),
            ("whole_gemm", () => Gemm.Sgemm(GemmPath.Auto, 1, false, false, n, n, n, 1f, a, n, b, n, 0f, c, n), 0),
        };
        var rows = new JsonObject();
        foreach (var (name, run, elements) in parts)
        {
            for (int i = 0; i < 2; i++) run();
            int iters = BenchHarness.CalibrateIters(run, Math.Min(o.RepSeconds, 0.3));
            var per = new double[o.Reps];
            for (int r = 0; r < o.Reps; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < iters; i++) run();
                per[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / iters;
            }
            double t = BenchHarness.Median(per);
            var row = new JsonObject { ["ms_per_call"] = Math.Round(1e3 * t, 3) };
            if (elements > 0) row["ns_per_element"] = Math.Round(1e9 * t / elements, 3);
            else row["gflops"] = Math.Round(2.0 * n * n * n / t * 1e-9, 1);
            rows[name] = row;
        }
        var settings = BenchHarness.CommonSettings(o);
        settings["N"] = n;
        settings["threads"] = 1;
        return new JsonObject { ["workload"] = "sgemm-parts", ["unit"] = "ms per call (median over reps)", ["breakdown"] = rows, ["settings"] = settings };
    }

    /// <summary>GemmDriver.Blocked's loop nest for a square row-major C = A·B on one thread, doing only the chosen parts.</summary>
    private static unsafe void Replay(int n, float[] a, float[] b, float[] c, bool packA, bool packB, bool macro)
    {
        int mr = Tile12.MR, nr = Tile12.NR, kcStep = Tile12.KC, ncStep = Tile12.NC;
        int mcStep = GemmDriver.PanelStep(n, mr, Tile12.MC);
        int aSize = GemmBuffers<float>.RoundUp(Math.Min(mcStep, (n + mr - 1) / mr * mr) * kcStep), bSize = GemmBuffers<float>.RoundUp(ncStep * kcStep);
        float* ap = GemmBuffers<float>.Get(aSize + bSize + mr * nr), bp = ap + aSize, tile = bp + bSize;
        fixed (float* pa = a, pb = b, pc = c)
            for (int ic = 0; ic < n; ic += mcStep)
            {
                int mc = Math.Min(mcStep, n - ic);
                for (int p = 0; p < n; p += kcStep)
                {
                    int kc = Math.Min(kcStep, n - p);
                    if (packA) GemmPacking.PackA<float, Tile12>(false, pa + ic * n + p, n, mc, kc, ap);
                    for (int jc = 0; jc < n; jc += ncStep)
                    {
                        int nc = Math.Min(ncStep, n - jc);
                        if (packB) GemmPacking.PackB<float, Tile12>(false, pb + p * n + jc, n, kc, nc, bp);
                        if (macro) GemmDriver.Macro<float, Tile12>(mc, nc, kc, 1f, ap, bp, p == 0 ? 0f : 1f, pc + ic * n + jc, n, tile, default);
                    }
                }
            }
    }
}
