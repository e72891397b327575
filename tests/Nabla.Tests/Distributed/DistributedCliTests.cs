using System.Text.Json.Nodes;

namespace Nabla.Tests.Distributed;

/// <summary><c>mpirun -np 2 nabla train</c> and <c>nabla bench ... --distributed</c> end to end (small: --limit, 1 rep).</summary>
public class DistributedCliTests
{
    [MpiFact("mnist")]
    public void Train_under_mpirun_is_data_parallel_rank_0_writes_and_resume_needs_the_same_layout()
    {
        string dir = MpiRun.TempDir("cli");
        string[] common = ["train", "mlp", "--data", "mnist", "--limit", "512", "--epochs", "1", "--batch-size", "64", "--hidden", "32", "--validation", "1000", "--out", dir];
        var job = MpiRun.Cli(2, TimeSpan.FromMinutes(3), common);
        Assert.True(job.ExitCode == 0, job.Output);
        Assert.Contains("distributed 2 ranks × batch 64 = global batch 128", job.Output);
        Assert.Single(job.Output.Split('\n'), l => l.Contains("test       accuracy"));   // rank 0 alone prints
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        Assert.Equal(2, (int)metrics["distributed"]!["ranks"]!);
        Assert.Equal(128, (int)metrics["distributed"]!["global_batch"]!);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoint.npz")) && File.Exists(Path.Combine(dir, "model.npz")));

        var other = MpiRun.Cli(1, TimeSpan.FromMinutes(3), [.. common.Select(a => a == "1" ? "2" : a), "--resume"]);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("the checkpoint was written by 2 ranks × batch 64; resume it with mpirun -np 2", other.Output);
        Directory.Delete(dir, true);
    }

    [MpiFact]
    public void Bench_distributed_reports_the_global_throughput_once()
    {
        var job = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "bench", "mlp-train", "--distributed", "--reps", "1");
        Assert.True(job.ExitCode == 0, job.Output);
        // (.NET may put a terminal escape sequence before the first line under mpirun: match from the brace.)
        var lines = job.Output.Split('\n').Where(l => l.Contains("{\"workload\"")).Select(l => l[l.IndexOf('{')..]).ToList();
        var rec = JsonNode.Parse(Assert.Single(lines))!;
        Assert.Equal("mlp-train", (string)rec["workload"]!);
        Assert.Equal(2, (int)rec["settings"]!["ranks"]!);
        Assert.Equal(128, (int)rec["settings"]!["global_batch"]!);
        Assert.True((double)rec["value"]! > 0);
    }
}
