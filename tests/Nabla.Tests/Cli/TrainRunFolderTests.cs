using System.Text.Json.Nodes;
using Nabla.Cli.Commands;
using Nabla.Cli.Composition;
using Nabla.IO;
using Nabla.Tests.Data;
using Nabla.Training;

namespace Nabla.Tests.Cli;

/// <summary>The life of a `nabla train` run folder, in process, on a slice of real MNIST (skipped visibly without it):
/// refusal of an occupied --out, --overwrite and --resume, divergence that keeps the last good result, live logs,
/// config.json's record of the run.</summary>
public class TrainRunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-trainfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private TrainOptions Quick(string sub, int epochs = 2) => new()
    {
        Model = "mlp", Epochs = epochs, Limit = 2000, ValidationCount = 1000, Hidden = [32], Out = Path.Combine(_dir, sub), Seed = 1, Quiet = true,
    };

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [RequiresDataFact]
    public void A_second_run_into_a_finished_folder_is_refused_and_changes_nothing()
    {
        var first = TrainRun.Run(Quick("r"), TextWriter.Null);
        var before = Snapshot(first.OutDir);
        var ex = Assert.Throws<UsageException>(() => TrainRun.Run(Quick("r", 3) with { Hidden = [64] }, TextWriter.Null));
        Assert.Contains("already holds a finished run", ex.Message);
        Assert.Contains("--resume", ex.Message);
        Assert.Contains("--overwrite", ex.Message);
        Assert.Equal(before, Snapshot(first.OutDir));
    }

    [RequiresDataFact]
    public void A_diverging_overwrite_or_resume_leaves_the_good_run_byte_identical()
    {
        var good = TrainRun.Run(Quick("d"), TextWriter.Null);
        var before = Snapshot(good.OutDir);

        var over = TrainRun.Run(Quick("d") with { LearningRate = 1e4, Overwrite = true }, TextWriter.Null);
        Assert.Equal(1, over.ExitCode);
        Assert.Equal(FitStop.Diverged, over.Fit.Stop);
        Assert.Contains("left as it was", over.Message);
        Assert.Equal(before, Snapshot(good.OutDir));

        var resumed = TrainRun.Run(Quick("d", 4) with { LearningRate = 1e4, Resume = true }, TextWriter.Null);
        Assert.Equal(1, resumed.ExitCode);
        Assert.Contains("hold epoch 2, the last good one", resumed.Message);
        var after = Snapshot(good.OutDir);
        Assert.Equal(before["model.npz"], after["model.npz"]);
        Assert.Equal(before["checkpoint.npz"], after["checkpoint.npz"]);
        Assert.Equal(before["metrics.jsonl"], after["metrics.jsonl"]);
    }

    [RequiresDataFact]
    public void Overwrite_replaces_every_file_of_the_earlier_run()
    {
        TrainRun.Run(Quick("o", 3), TextWriter.Null);
        var r = TrainRun.Run(Quick("o", 1) with { Hidden = [16], Overwrite = true }, TextWriter.Null);
        Assert.Equal(0, r.ExitCode);
        Assert.Single(File.ReadAllLines(Path.Combine(r.OutDir, "metrics.jsonl")));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "config.json")))!;
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        Assert.Equal(16, (int)config["hidden"]![0]!);
        Assert.True(JsonNode.DeepEquals(config, metrics["options"]));
        Assert.Equal([16, 784], Npz.Load(Path.Combine(r.OutDir, "model.npz"))["1.weight"].Shape.ToArray());
        Assert.Equal(Npz.Load(Path.Combine(r.OutDir, "model.npz"))["1.weight"].ToArray<float>(),
            Checkpoint.Load(Path.Combine(r.OutDir, "checkpoint.npz")).Model["1.weight"].ToArray<float>());
    }

    [RequiresDataFact]
    public void The_folder_records_the_run_and_logs_every_epoch()
    {
        var r = TrainRun.Run(Quick("log", 3), TextWriter.Null);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "config.json")))!.AsObject();
        foreach (var key in new[] { "model", "data", "version", "commit", "machine", "threads", "started", "data_identity", "learning_rate", "hidden" })
            Assert.True(config.ContainsKey(key), key);
        Assert.Equal(Environment.ProcessorCount, (int)config["machine"]!["cores"]!);
        Assert.Equal(64, ((string)config["data_identity"]!["sha256"]!).Length);
        Assert.Equal(4, (int)config["data_identity"]!["file_count"]!);
        var lines = File.ReadAllLines(Path.Combine(r.OutDir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([1, 2, 3], lines.Select(l => (int)l["epoch"]!));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(r.Fit.History[i].TrainLoss, (double)lines[i]["train_loss"]!);
            Assert.Equal(r.Fit.History[i].ValidationAccuracy, (double)lines[i]["val_accuracy"]!);
        }
        Assert.Equal(4, File.ReadAllLines(Path.Combine(r.OutDir, "metrics.csv")).Length);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        Assert.Equal("completed", (string)metrics["stop_reason"]!);
        Assert.Equal(3, (int)metrics["last_good_epoch"]!);
    }

    [RequiresDataFact]
    public void Resume_uses_the_given_settings_says_which_differ_and_refuses_another_model_or_optimizer()
    {
        TrainRun.Run(Quick("res", 3), TextWriter.Null);
        var log = new StringWriter();
        var r = TrainRun.Run(Quick("res", 4) with { LearningRate = 0.5, Resume = true }, log);
        Assert.Contains("learning_rate 0.05 -> 0.5", log.ToString());
        Assert.Contains("epochs 3 -> 4", log.ToString());
        // cosine over 4 epochs from the given 0.5: epoch 4 runs at 0.5 · (1 + cos(3π/4)) / 2
        Assert.Equal(0.5 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, r.Fit.History[3].LearningRate, 12);

        var shape = Assert.Throws<UsageException>(() => TrainRun.Run(Quick("res", 5) with { Hidden = [64], Resume = true }, TextWriter.Null));
        Assert.Contains("hidden [32]", shape.Message);
        Assert.Contains("hidden [64]", shape.Message);
        var opt = Assert.Throws<UsageException>(() => TrainRun.Run(Quick("res", 5) with { Optimizer = "adam", Resume = true }, TextWriter.Null));
        Assert.Contains("optimizer nesterov", opt.Message);
        Assert.Contains("--optimizer adam", opt.Message);
    }

    [RequiresDataFact]
    public void Eval_reads_config_json_strictly_and_names_it()
    {
        var r = TrainRun.Run(Quick("ev", 1), TextWriter.Null);
        string cfg = Path.Combine(r.OutDir, "config.json");
        Assert.Equal(32, EvalCommand.ReadConfig(cfg).Hidden![0]);
        foreach (var bad in new[] { "{\"model\": \"mlp\", \"hidden\": [32", "{\"model\": \"mlp\", \"hidden\": \"32\"}", "null", "{\"model\": \"mlp\", \"dropout\": \"NaN\"}" })
        {
            File.WriteAllText(cfg, bad);
            var ex = Assert.Throws<NablaException>(() => EvalCommand.ReadConfig(cfg));
            Assert.Contains(cfg, ex.Message);
            Assert.DoesNotContain("System.", ex.Message);
        }
    }
}
