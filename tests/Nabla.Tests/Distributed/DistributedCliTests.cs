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
    public void Train_under_mpirun_takes_the_same_data_as_a_single_process_run_a_csv_table()
    {
        // 600 rows, class "above" when y > x (a rule an MLP learns in a few epochs); no test split, so the final
        // figures are the validation set's, as in a single-process run.
        string dir = MpiRun.TempDir("csv"), csv = Path.Combine(dir, "points.csv"), outDir = Path.Combine(dir, "run");
        var rng = new Random(7);
        var lines = new List<string> { "x,y,side" };
        for (int i = 0; i < 600; i++)
        {
            double x = rng.NextDouble(), y = rng.NextDouble();
            lines.Add(FormattableString.Invariant($"{x:F4},{y:F4},{(y > x ? "above" : "below")}"));
        }
        File.WriteAllLines(csv, lines);
        var job = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", "mlp", "--data", csv, "--target", "side", "--epochs", "8",
            "--batch-size", "16", "--hidden", "16", "--lr", "0.1", "--out", outDir);
        Assert.True(job.ExitCode == 0, job.Output);
        Assert.Contains("distributed 2 ranks × batch 16 = global batch 32", job.Output);
        Assert.Contains("shards padded to 270 examples per rank", job.Output);   // 540 training rows (10 % held out)
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        Assert.Equal("validation", (string)metrics["test_split"]!);
        Assert.Equal(60, (int)metrics["test_samples"]!);
        Assert.True((double)metrics["test_accuracy"]! > 0.8, job.Output);
        Assert.Equal(2, (int)metrics["distributed"]!["ranks"]!);
        Assert.NotNull(metrics["history"]![0]!["samples_per_s_per_rank"]);
        Assert.True(File.Exists(Path.Combine(outDir, "preprocess.json")), "preprocess.json (for nabla predict) is missing");
        Assert.Equal(8, File.ReadAllLines(Path.Combine(outDir, "metrics.jsonl")).Length);   // a line per good epoch, as a single-process run

        // Rank 0 owns the folder as a single-process run does: the same command again does not replace the result.
        byte[] model = File.ReadAllBytes(Path.Combine(outDir, "model.npz"));
        var again = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", "mlp", "--data", csv, "--target", "side", "--epochs", "1", "--out", outDir);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already holds a finished run", again.Output);
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(outDir, "model.npz")));
        Directory.Delete(dir, true);
    }

    [MpiFact("mnist")]
    public void A_diverged_run_under_mpirun_exits_1_says_why_once_and_leaves_no_folder()
    {
        string dir = Path.Combine(MpiRun.TempDir("diverge"), "run");
        var job = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", "mlp", "--data", "mnist", "--limit", "2000", "--epochs", "2", "--hidden", "16",
            "--lr", "1e6", "--momentum", "0.99", "--validation", "1000", "--out", dir);
        Assert.NotEqual(0, job.ExitCode);
        Assert.Single(job.Output.Split('\n'), l => l.Contains("nabla train: training diverged"));   // rank 0 alone reports
        Assert.Contains("nothing was saved", job.Output);
        Assert.False(Directory.Exists(dir), "a run that saved nothing leaves no folder");
        Directory.Delete(Path.GetDirectoryName(dir)!, true);
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
