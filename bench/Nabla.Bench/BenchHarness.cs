using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.Bench;

/// <summary>Settings shared by every workload (mirrors the PyTorch reference's command line).</summary>
public sealed record BenchOptions(int Reps = 7, double RepSeconds = 0.5, int Seed = 0, string? Config = null, int? Run = null);

/// <summary>
/// Timing helpers that reproduce ../shared/bench/pytorch_reference.py exactly: warm-up, calibrated iterations per
/// repetition, the median over repetitions, and the same JSON record (workload, metric, value, unit, reps,
/// spread_pct, median_time_per_iter_ms, settings, extras).
/// </summary>
public static class BenchHarness
{
    /// <summary>Seconds per call for each of <paramref name="reps"/> repetitions of <paramref name="iters"/> calls.</summary>
    public static double[] TimedReps(Action fn, int iters, int reps, int warmupIters)
    {
        for (int i = 0; i < warmupIters; i++) fn();
        var outp = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < iters; i++) fn();
            outp[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / iters;
        }
        return outp;
    }

    /// <summary>Calls per repetition so that one repetition takes about <paramref name="targetSeconds"/>.</summary>
    public static int CalibrateIters(Action fn, double targetSeconds, int maxIters = 100000)
    {
        long t0 = Stopwatch.GetTimestamp();
        fn();
        double dt = Math.Max(Stopwatch.GetElapsedTime(t0).TotalSeconds, 1e-6);
        return (int)Math.Max(1, Math.Min(maxIters, Math.Round(targetSeconds / dt)));
    }

    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    /// <summary>The JSON record: value = median over reps of work/time·scale.</summary>
    public static JsonObject Result(string workload, string metric, double[] perCallSeconds, double workPerCall, string unit,
        double scale, JsonObject settings)
    {
        var vals = perCallSeconds.Select(t => workPerCall / t * scale).ToArray();
        double med = Median(vals);
        return new JsonObject
        {
            ["workload"] = workload,
            ["metric"] = metric,
            ["value"] = Math.Round(med, 3),
            ["unit"] = unit,
            ["reps"] = new JsonArray(vals.Select(v => (JsonNode)Math.Round(v, 3)).ToArray()),
            ["spread_pct"] = Math.Round(100.0 * (vals.Max() - vals.Min()) / med, 2),
            ["median_time_per_iter_ms"] = Math.Round(1e3 * Median(perCallSeconds), 4),
            ["settings"] = settings,
        };
    }

    /// <summary>Settings every record carries: library, threads, SIMD width, dtype, seed, peak memory.</summary>
    public static JsonObject CommonSettings(BenchOptions o)
    {
        using var p = Process.GetCurrentProcess();
        return new JsonObject
        {
            ["nabla"] = typeof(Nabla.Tensor).Assembly.GetName().Version?.ToString(),
            ["dotnet"] = Environment.Version.ToString(),
            ["threads"] = Nabla.Tensor.GetNumThreads(),   // what --threads set (the kernels' pool), not the machine's cores
            ["cores"] = Environment.ProcessorCount,
            ["simd"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "avx512" : System.Runtime.Intrinsics.X86.Fma.IsSupported ? "avx2+fma" : "scalar",
            ["dtype"] = "float32",
            ["seed"] = o.Seed,
        };
    }

    /// <summary>Peak working set of this process so far, in MiB.</summary>
    public static double PeakMemoryMiB()
    {
        using var p = Process.GetCurrentProcess();
        return Math.Round(p.PeakWorkingSet64 / (1024.0 * 1024.0), 1);
    }

    public static string ToJsonLine(JsonObject rec) => rec.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
