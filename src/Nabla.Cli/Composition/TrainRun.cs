using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Cli.Commands;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Plots;
using Nabla.Training;

namespace Nabla.Cli.Composition;

/// <summary>
/// One <c>nabla train</c> run: lock the run folder → data → model → optimizer/schedule → <see cref="Trainer"/> → test
/// evaluation → files (data from <see cref="TrainData"/>: built-in sets, image folders, tables). The folder's life (see <see cref="RunFolder"/> for the lock):
/// <list type="bullet">
/// <item>An --out holding a run result (model.npz, checkpoint.npz or metrics.json) is refused unless --resume
/// (continue from its checkpoint) or --overwrite (replace it); without --out each run gets a new numbered folder.</item>
/// <item>Nothing is written before the first good epoch (see <see cref="TrainerOptions"/> for the rule). After every
/// good epoch, in this order: checkpoint.npz, config.json (first time), model.npz, a line of metrics.jsonl and
/// metrics.csv; every file atomically (temp + fsync + rename + fsync of the folder). With --overwrite the earlier run's
/// files are removed just before the first good epoch is saved, so a run that fails before that leaves them as they were.
/// A crash at any moment leaves a checkpoint that loads and a config.json / model.npz pair of one run.</item>
/// <item>At the end (completed, diverged, or interrupted by Ctrl-C): the model of the last good epoch is evaluated on
/// the test set, and config.json, the curves and metrics.json (with "stop_reason") are written, metrics.json last.
/// A diverged run exits 1 and an interrupted one 130 (<see cref="Result.ExitCode"/>); both keep the last good
/// checkpoint and model.</item>
/// </list>
/// </summary>
public static class TrainRun
{
    /// <summary>What a run produced; <see cref="Message"/> says why it failed when <see cref="ExitCode"/> is not 0.</summary>
    public sealed record Result(FitResult Fit, EvalResult Test, string OutDir, double Seconds, int ExitCode = 0, string? Message = null);

    /// <summary>Trains as <paramref name="options"/> say; <paramref name="cancellationToken"/> (Ctrl-C) stops after the
    /// current batch.</summary>
    public static Result Run(TrainOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        // Data-parallel under mpirun (issue 16, docs/distributed.md): every rank runs DistributedTrain instead.
        if (DistributedTrain.Launched is not null) return DistributedTrain.Run(options, log);
        var o = options.Validate().Resolved();
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        using var folder = o.Out is null ? RunFolder.CreateNumbered(RunFolder.DefaultParent, $"{o.Model}-{o.Data}") : RunFolder.Acquire(o.Out);
        o = o with { Out = folder.Path };
        if (folder.StaleOwner is not null) log.WriteLine($"lock       took over the stale lock of a killed run ({folder.StaleOwner})");
        if (folder.RemovedTemporaries.Count > 0) log.WriteLine($"cleaned    {folder.RemovedTemporaries.Count} temporary file(s) of interrupted writes: {string.Join(", ", folder.RemovedTemporaries)}");
        string ckpt = Path.Combine(o.Out, "checkpoint.npz");
        bool resuming = o.Resume && File.Exists(ckpt);
        bool replacePending = ReplacesEarlierRun(folder, o, ckpt, resuming);

        var data = TrainData.Load(o, log);
        var dataIdentity = RunInfo.DataIdentity(o.Data, DataPath(o));

        Generator.ManualSeed(o.Seed);
        var model = ModelFactory.Create(o, data.FeatureShape, data.Preprocess.Outputs, new Generator(o.Seed));
        var optimizer = OptimizerFactory.Create(o.Optimizer!, model.Parameters(), o.LearningRate!.Value, o.Momentum ?? 0, o.WeightDecay ?? 0);
        var (scheduler, perBatch) = OptimizerFactory.Schedule(o.Schedule!, optimizer, o.Epochs!.Value, data.BatchesPerEpoch);
        log.WriteLine($"model      {o.Model}: {model.ParameterCount():N0} parameters");
        log.WriteLine($"optimizer  {o.Optimizer} lr {o.LearningRate} momentum {o.Momentum} weight decay {o.WeightDecay}, schedule {o.Schedule}, batch {o.BatchSize}, {o.Epochs} epochs, seed {o.Seed}");

        var trainer = new Trainer(model, optimizer, data.Loss,
            new TrainerOptions(o.Epochs.Value, o.Seed, ClipGradNorm: o.ClipGradNorm, SchedulerStepPerBatch: perBatch), scheduler)
        {
            RunOptions = JsonSerializer.SerializeToNode(o, Json.Options)!.AsObject(),
        };
        if (resuming) ResumeFrom(trainer, ckpt, o, log);
        var config = ConfigJson(o, dataIdentity, started, trainer.EpochsDone);
        var writer = new RunWriter(folder, trainer, model, config, data.Preprocess, replacePending);
        trainer.Callbacks.Add(writer);
        if (!o.Quiet) trainer.Callbacks.Add(new ProgressReporter(o.Epochs.Value, data.BatchesPerEpoch, trainer.EpochsDone));

        var fit = trainer.Fit(data.TrainEpoch, data.Validation, cancellationToken);
        log.WriteLine($"stopped    {fit.StopReason}");
        var (exit, message) = StopOutcome(fit, trainer.EpochsDone, o.Out, replacePending);

        // Nothing of this run in the folder and an earlier run still there (--overwrite before a good epoch): leave it.
        if (!writer.Started && (replacePending || fit.Stop == FitStop.Diverged))
            return new Result(fit, new EvalResult(double.NaN, double.NaN, 0), o.Out, clock.Elapsed.TotalSeconds, exit, message);

        string modelPath = Path.Combine(o.Out, "model.npz");
        bool lastGoodInMemory = EndsOnGoodEpoch(fit.Stop);
        if (!lastGoodInMemory && trainer.EpochsDone > 0)
            model.LoadStateDict(Checkpoint.Load(ckpt).Model);     // the weights in memory are those of the bad / unfinished epoch
        // Your own data has no test split: the final figures are then the validation set's, and say so.
        var final = data.Test ?? data.Validation;
        var test = final is not null && (trainer.EpochsDone > 0 || lastGoodInMemory) ? trainer.Evaluate(final()) : new EvalResult(double.NaN, double.NaN, 0);
        string which = lastGoodInMemory ? "" : $", model of epoch {trainer.EpochsDone}";
        if (test.Samples > 0)
            log.WriteLine(data.Preprocess.Task == "regression"
                ? $"{(data.Test is null ? "validation" : "test"),-10} MSE {test.Loss:F4} (standardised), RMSE {Math.Sqrt(test.Loss) * data.Preprocess.Target!.Std:G5} in target units  ({test.Samples} examples{which})"
                : $"{(data.Test is null ? "validation" : "test"),-10} accuracy {100 * test.Accuracy:F2}%  loss {test.Loss:F4}  ({test.Samples} examples{which})");

        if (trainer.EpochsDone > 0 && (lastGoodInMemory || !File.Exists(modelPath))) Npz.Save(modelPath, model.StateDict());
        WriteEndFiles(o, config, data.Preprocess, fit, test, data.Test is null ? "validation" : "test", model, clock.Elapsed.TotalSeconds);
        // Only the files that are there: a run stopped before its first good epoch has no model, checkpoint or curves.
        string[] outputs = ["metrics.json", "metrics.jsonl", "metrics.csv", "model.npz", Preprocess.FileName, "checkpoint.npz", "config.json", "curves.png", "curves-loss.svg", "curves-accuracy.svg"];
        log.WriteLine($"wrote      {o.Out}/{string.Join(", ", outputs.Where(f => File.Exists(Path.Combine(o.Out, f))))} ({clock.Elapsed.TotalSeconds:F0} s)");
        return new Result(fit, test, o.Out, clock.Elapsed.TotalSeconds, exit, message);
    }

    /// <summary>The exit code of a run that stopped so (diverged 1, interrupted 130, else 0) and the message saying
    /// what the folder holds then.</summary>
    internal static (int Exit, string? Message) StopOutcome(FitResult fit, int epochsDone, string outDir, bool replacePending) => fit.Stop switch
    {
        FitStop.Diverged => (1, $"training {fit.StopReason}; " + (epochsDone > 0
            ? $"{outDir}/model.npz and checkpoint.npz hold epoch {epochsDone}, the last good one"
            : replacePending ? $"the earlier run in {outDir} is left as it was" : "nothing was saved")),
        FitStop.Interrupted => (130, $"training {fit.StopReason}"),
        _ => (0, null),
    };

    /// <summary>Whether the weights in memory at the end are those of the last good epoch (else the checkpoint's are).</summary>
    internal static bool EndsOnGoodEpoch(FitStop stop) => stop is FitStop.Completed or FitStop.EarlyStopping or FitStop.Callback;

    /// <summary>Whether the folder holds an earlier run that --overwrite will replace (after this run's first good
    /// epoch); a usage error when it holds one and neither --resume (with its checkpoint) nor --overwrite was given.</summary>
    internal static bool ReplacesEarlierRun(RunFolder folder, TrainOptions o, string ckpt, bool resuming)
    {
        var existing = folder.ExistingResults();
        if (existing.Count > 0 && !resuming && !o.Overwrite)
            throw new UsageException(o.Resume
                ? $"--resume: {ckpt} not found, but {o.Out} holds {string.Join(", ", existing)} of another run; use --overwrite to replace it"
                : $"{o.Out} already holds {Describe(o.Out!, existing)}; use --resume to continue it, --overwrite to replace it, or another --out " +
                  $"(without --out each run gets a new folder under {RunFolder.DefaultParent})");
        return existing.Count > 0 && o.Overwrite;
    }

    private static string Describe(string dir, IReadOnlyList<string> existing)
    {
        try
        {
            if (JsonNode.Parse(BoundedText.ReadAllText(Path.Combine(dir, "metrics.json"))) is JsonObject m)
                return $"a finished run ({m["history"]?.AsArray().Count} epochs, stop reason {m["stop_reason"]?.ToJsonString()}, test accuracy {m["test_accuracy"]?.ToJsonString()})";
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or UnauthorizedAccessException or FileTooLargeException) { }
        return $"an unfinished run ({string.Join(", ", existing)})";
    }

    /// <summary>Validates and loads the checkpoint (nothing on disk is touched), refusing one of another optimizer or
    /// model shape with a message naming both, and prints the settings that differ from the checkpoint's.</summary>
    private static void ResumeFrom(Trainer trainer, string ckpt, TrainOptions o, TextWriter log)
    {
        var ck = Checkpoint.Load(ckpt);
        var saved = ck.Metadata.Options;
        string? savedOptimizer = saved?["optimizer"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        var names = ck.Optimizer.Keys.Where(k => k.StartsWith("state.", StringComparison.Ordinal)).Select(k => k[(k.LastIndexOf('.') + 1)..]).Distinct().ToList();
        var mine = OptimizerFactory.StateNames(o.Optimizer!);
        if (savedOptimizer is not null ? savedOptimizer != o.Optimizer : names.Any(n => !mine.Contains(n)))
        {
            string theirs = savedOptimizer ?? (names.Contains("exp_avg") ? "adam or adamw" : names.Contains("sum") ? "adagrad"
                : names.Contains("square_avg") ? "rmsprop" : names.Contains("momentum_buffer") ? "momentum or nesterov" : "sgd");
            throw new UsageException($"--resume: {ckpt} holds the state of optimizer {theirs}, but this run uses --optimizer {o.Optimizer}; " +
                $"give --optimizer {theirs.Split(' ')[0]} to continue it, or start a new run");
        }
        try { trainer.Resume(ckpt, keepHyperParameters: true); }
        catch (NablaException e) when (e.Message.Contains("LoadStateDict into", StringComparison.Ordinal))
        {
            string mineText = $"{o.Model} with hidden {JsonSerializer.Serialize(o.Hidden)}";
            string? theirs = saved is null ? null : $"{saved["model"]?.ToJsonString().Trim('"')} with hidden {saved["hidden"]?.ToJsonString(Json.Compact)}";
            string detail = AfterPrefix(e.Message, "LoadStateDict into");
            if (theirs is not null && theirs != mineText)
                throw new UsageException($"--resume: {ckpt} holds another model ({theirs}) than this run's {mineText}; give the same options to continue it: {detail}");
            throw new NablaException($"{ckpt} does not fit this run's model ({mineText}){(theirs is null ? "" : ", although it records the same options")}: {detail}", e);
        }
        log.WriteLine($"resumed    {ckpt} after epoch {trainer.EpochsDone}");
        if (saved is null) { log.WriteLine("settings   the checkpoint records no settings to compare with"); return; }
        var now = JsonSerializer.SerializeToNode(o, Json.Options)!.AsObject();
        var diffs = now.Where(kv => kv.Key is not ("out" or "resume") && !JsonNode.DeepEquals(kv.Value, saved[kv.Key]))
            .Select(kv => $"{kv.Key} {saved[kv.Key]?.ToJsonString(Json.Compact) ?? "(unset)"} -> {kv.Value?.ToJsonString(Json.Compact) ?? "(unset)"}").ToList();
        log.WriteLine(diffs.Count == 0 ? "settings   as in the checkpoint"
            : $"settings   differ from the checkpoint's, using the ones given: {string.Join(", ", diffs)}");
    }

    /// <summary>The file or folder the data came from (for config.json's checksum); null when it cannot be located.</summary>
    internal static string? DataPath(TrainOptions o)
    {
        if (Directory.Exists(o.Data) || File.Exists(o.Data)) return o.Data;
        try { return DataRoot.Locate(DatasetSpec.Find(o.Data), o.DataRoot); }
        catch (Exception e) when (e is ArgumentException or IOException or NablaException or InvalidOperationException) { return null; }
    }

    /// <summary>The message after "<paramref name="prefix"/> ...: " (the library's call-site prefix).</summary>
    internal static string AfterPrefix(string message, string prefix)
    {
        int i = message.IndexOf(prefix, StringComparison.Ordinal);
        int j = i < 0 ? -1 : message.IndexOf(": ", i, StringComparison.Ordinal);
        return j < 0 ? message : message[(j + 2)..];
    }

    /// <summary>config.json: the options at the top level, plus what the run ran on.</summary>
    internal static JsonObject ConfigJson(TrainOptions o, JsonObject data, DateTime started, int resumedAfter)
    {
        var c = JsonSerializer.SerializeToNode(o, Json.Options)!.AsObject();
        c["version"] = RunInfo.Version;
        c["commit"] = RunInfo.Commit;
        c["machine"] = RunInfo.Machine();
        c["threads"] = RunInfo.Threads;
        c["data_identity"] = data;
        c["started"] = started.ToString("yyyy-MM-ddTHH:mm:ssZ");
        if (resumedAfter > 0) c["resumed_after_epoch"] = resumedAfter;
        return c;
    }

    /// <summary>Saves every good epoch: checkpoint.npz, config.json (first time), model.npz, metrics.jsonl/csv.</summary>
    internal sealed class RunWriter(RunFolder folder, Trainer trainer, Module model, JsonObject config, Preprocess preprocess, bool replacePending) : ITrainerCallback
    {
        private readonly MetricsLog _metrics = new(folder.Path);
        private bool _replacePending = replacePending;

        /// <summary>True once this run saved an epoch into the folder.</summary>
        public bool Started { get; private set; }

        public bool OnEpochEnd(EpochRecord record)
        {
            if (_replacePending) { folder.RemoveRunFiles(); _replacePending = false; }
            trainer.SaveCheckpoint(Path.Combine(folder.Path, "checkpoint.npz"));
            if (!Started)
            {
                AtomicFile.WriteAllText(Path.Combine(folder.Path, "config.json"), config.ToJsonString(Json.Options));
                AtomicFile.WriteAllText(Path.Combine(folder.Path, Preprocess.FileName), JsonSerializer.Serialize(preprocess, Json.Options));
            }
            Npz.Save(Path.Combine(folder.Path, "model.npz"), model.StateDict());
            if (!Started) _metrics.Rewrite(trainer.History);
            else _metrics.Append(record);
            Started = true;
            return true;
        }
    }

    /// <summary>The files written when a run ends, metrics.json last: config.json, preprocess.json, the curves (PNG and
    /// SVG) and metrics.json. <paramref name="distributed"/> (ranks, batches) marks a data-parallel run's metrics, whose
    /// per-epoch throughput is then per rank.</summary>
    internal static void WriteEndFiles(TrainOptions o, JsonObject config, Preprocess preprocess, FitResult fit, EvalResult test, string testSplit,
        Module model, double seconds, JsonObject? distributed = null)
    {
        AtomicFile.WriteAllText(Path.Combine(o.Out!, "config.json"), config.ToJsonString(Json.Options));
        AtomicFile.WriteAllText(Path.Combine(o.Out!, Preprocess.FileName), JsonSerializer.Serialize(preprocess, Json.Options));
        var h = fit.History;
        if (h.Count > 0)
        {
            string title = distributed is null ? $"{o.Model} on {o.Data}" : $"{o.Model} on {o.Data} ({distributed["ranks"]} ranks)";
            TrainingCurves.Save(Path.Combine(o.Out!, "curves.png"), h.Select(r => r.TrainLoss).ToList(), h.Select(r => r.ValidationLoss).ToList(),
                h.Select(r => r.TrainAccuracy).ToList(), h.Select(r => r.ValidationAccuracy).ToList(), title);
            SaveSvgCurves(o, h);
        }
        WriteMetrics(o, config, fit, test, testSplit, model, seconds, distributed);
    }

    /// <summary>The same curves as vector graphics: loss and accuracy against epoch, train vs validation.</summary>
    private static void SaveSvgCurves(TrainOptions o, IReadOnlyList<EpochRecord> h)
    {
        var epochs = h.Select(r => (double)r.Epoch).ToList();
        foreach (var (name, train, val) in new[]
        {
            ("loss", h.Select(r => r.TrainLoss).ToList(), h.Select(r => r.ValidationLoss).ToList()),
            ("accuracy", h.Select(r => r.TrainAccuracy).ToList(), h.Select(r => r.ValidationAccuracy).ToList()),
        })
        {
            var chart = new LineChart { Title = $"{o.Model} on {o.Data}: {name}", XLabel = "epoch", YLabel = name, IntegerXTicks = true };
            chart.Add("train", epochs, train);
            if (val.Any(double.IsFinite)) chart.Add("validation", epochs, val);
            chart.SaveSvg(Path.Combine(o.Out!, $"curves-{name}.svg"));
        }
    }

    /// <summary>The "stop_reason" of metrics.json: completed, early_stopping, callback, diverged or interrupted.</summary>
    public static string StopCode(FitStop s) => s switch
    {
        FitStop.EarlyStopping => "early_stopping",
        _ => s.ToString().ToLowerInvariant(),
    };

    private static void WriteMetrics(TrainOptions o, JsonObject config, FitResult fit, EvalResult test, string testSplit, Module model, double seconds,
        JsonObject? distributed)
    {
        var history = new JsonArray(fit.History.Select(r => (JsonNode)new JsonObject
        {
            ["epoch"] = r.Epoch,
            ["train_loss"] = Json.Num(r.TrainLoss),
            ["train_accuracy"] = Json.Num(r.TrainAccuracy),
            ["val_loss"] = Json.Num(r.ValidationLoss),
            ["val_accuracy"] = Json.Num(r.ValidationAccuracy),
            ["lr"] = Json.Num(r.LearningRate),
            ["seconds"] = Json.Num(r.Seconds),
            [distributed is null ? "samples_per_s" : "samples_per_s_per_rank"] = Json.Num(r.SamplesPerSecond),
        }).ToArray());
        using var proc = Process.GetCurrentProcess();
        var metrics = new JsonObject
        {
            ["model"] = o.Model,
            ["data"] = o.Data,
            ["parameters"] = model.ParameterCount(),
            ["options"] = config.DeepClone(),
            ["history"] = history,
            ["distributed"] = distributed?.DeepClone(),
            ["test_accuracy"] = Json.Num(test.Accuracy),
            ["test_loss"] = Json.Num(test.Loss),
            ["test_samples"] = test.Samples,
            ["test_split"] = testSplit,                     // "validation" for your own data, which has no test split
            ["stop_reason"] = StopCode(fit.Stop),
            ["stop_message"] = fit.StopReason,
            ["last_good_epoch"] = fit.LastGoodEpoch,
            ["diverged"] = fit.Diverged,
            ["seconds_total"] = Math.Round(seconds, 2),
            ["peak_memory_mib"] = Math.Round(proc.PeakWorkingSet64 / 1048576.0, 1),
        };
        if (distributed is null) metrics.Remove("distributed");
        AtomicFile.WriteAllText(Path.Combine(o.Out!, "metrics.json"), metrics.ToJsonString(Json.Options));
    }
}
