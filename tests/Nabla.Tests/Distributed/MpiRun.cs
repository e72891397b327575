using System.Diagnostics;

namespace Nabla.Tests.Distributed;

/// <summary>Runs the test worker (tests/Nabla.Distributed.Worker) alone or as an mpirun job of N ranks with one
/// thread each (DOTNET_PROCESSOR_COUNT=1), and returns its exit code, output and duration.</summary>
internal static class MpiRun
{
    public sealed record Outcome(int ExitCode, string Output, TimeSpan Elapsed, DateTime Ended);

    public static string? Mpirun { get; } = FindOnPath("mpirun");

    public static string Worker => Path.Combine(AppContext.BaseDirectory, "Nabla.Distributed.Worker.dll");

    /// <summary>The worker without mpirun: single-process training.</summary>
    public static Outcome Single(params string[] args) => Run("dotnet", [Worker, .. args], TimeSpan.FromSeconds(120));

    /// <summary>The worker as an mpirun job of <paramref name="ranks"/> processes (oversubscribed: this machine may
    /// have fewer cores). Killed after <paramref name="limit"/> (then the exit code is -1).</summary>
    public static Outcome Job(int ranks, TimeSpan limit, params string[] args) => RunJob(ranks, limit, Worker, args);

    /// <summary>The nabla command (Nabla.Cli.dll next to the tests) as an mpirun job; NABLA_DATA is passed on.</summary>
    public static Outcome Cli(int ranks, TimeSpan limit, params string[] args) =>
        RunJob(ranks, limit, Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"), args, ["-x", "NABLA_DATA"]);

    private static Outcome RunJob(int ranks, TimeSpan limit, string dll, string[] args, string[]? extra = null) =>
        Run(Mpirun!, ["--oversubscribe", "--allow-run-as-root", "-np", ranks.ToString(), "-x", "DOTNET_PROCESSOR_COUNT=1", .. extra ?? [], "dotnet", dll, .. args], limit);

    private static Outcome Run(string file, string[] args, TimeSpan limit)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        if (Nabla.Data.DataRoot.Find(Nabla.Data.DatasetSpec.Find("mnist")) is string mnist)
            psi.Environment["NABLA_DATA"] = Path.GetDirectoryName(mnist);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        bool exited = p.WaitForExit(limit);
        if (!exited) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        var ended = DateTime.UtcNow;
        string output = stdout.Result + stderr.Result;
        return new Outcome(exited ? p.ExitCode : -1, output, clock.Elapsed, ended);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>A fresh temporary folder for one run.</summary>
    public static string TempDir(string label)
    {
        var d = Path.Combine(Path.GetTempPath(), $"nabla-dist-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }
}
