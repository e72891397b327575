using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Cli.Composition;

/// <summary>
/// One <c>nabla train</c> run: data → model → optimizer/schedule → <see cref="Trainer"/> → test evaluation → files
/// (metrics.json, model.npz, checkpoint.npz, config.json, curves.png) in the output folder.
/// </summary>
public static class TrainRun
{
    public sealed record Result(FitResult Fit, EvalResult Test, string OutDir, double Seconds);

    public static Result Run(TrainOptions options, TextWriter log)
    {
        // Data-parallel under mpirun (issue 16, docs/distributed.md): every rank runs DistributedTrain instead.
        if (DistributedTrain.Launched is not null) return DistributedTrain.Run(options, log);
        var o = options.Validate().Resolved();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(o.Out);
        var data = TrainData.Load(o, log);
        data.Preprocess.Save(o.Out);

        Generator.ManualSeed(o.Seed);
        var model = ModelFactory.Create(o, data.FeatureShape, data.Preprocess.Outputs, new Generator(o.Seed));
        var optimizer = OptimizerFactory.Create(o.Optimizer!, model.Parameters(), o.LearningRate!.Value, o.Momentum ?? 0, o.WeightDecay ?? 0);
        var (scheduler, perBatch) = OptimizerFactory.Schedule(o.Schedule!, optimizer, o.Epochs!.Value, data.BatchesPerEpoch);
        log.WriteLine($"model      {o.Model}: {model.ParameterCount():N0} parameters");
        log.WriteLine($"optimizer  {o.Optimizer} lr {o.LearningRate} momentum {o.Momentum} weight decay {o.WeightDecay}, schedule {o.Schedule}, batch {o.BatchSize}, {o.Epochs} epochs, seed {o.Seed}");

        string ckpt = Path.Combine(o.Out, "checkpoint.npz");
        var trainer = new Trainer(model, optimizer, data.Loss,
            new TrainerOptions(o.Epochs.Value, o.Seed, ClipGradNorm: o.ClipGradNorm, CheckpointPath: ckpt, SchedulerStepPerBatch: perBatch), scheduler);
        trainer.Callbacks.Add(new ProgressReporter(o.Epochs.Value, data.BatchesPerEpoch));
        if (o.Resume && File.Exists(ckpt))
        {
            trainer.Resume(ckpt);
            log.WriteLine($"resumed    {ckpt} after epoch {trainer.EpochsDone}");
        }
        File.WriteAllText(Path.Combine(o.Out, "config.json"), JsonSerializer.Serialize(o, Json.Options));

        var fit = trainer.Fit(data.TrainEpoch, data.Validation);
        // Your own data has no test split: the final figures are then the validation set's, and say so.
        var final = data.Test ?? data.Validation;
        var test = final is null ? new EvalResult(double.NaN, double.NaN, 0) : trainer.Evaluate(final());
        log.WriteLine($"stopped    {fit.StopReason}");
        log.WriteLine(data.Preprocess.Task == "regression"
            ? $"{(data.Test is null ? "validation" : "test"),-10} MSE {test.Loss:F4} (standardised), RMSE {Math.Sqrt(test.Loss) * data.Preprocess.Target!.Std:G5} in target units  ({test.Samples} examples)"
            : $"{(data.Test is null ? "validation" : "test"),-10} accuracy {100 * test.Accuracy:F2}%  loss {test.Loss:F4}  ({test.Samples} examples)");

        Npz.Save(Path.Combine(o.Out, "model.npz"), model.StateDict());
        WriteMetrics(o, fit, test, model, clock.Elapsed.TotalSeconds);
        var h = fit.History;
        if (h.Count > 0)
            TrainingCurves.Save(Path.Combine(o.Out, "curves.png"), h.Select(r => r.TrainLoss).ToList(), h.Select(r => r.ValidationLoss).ToList(),
                h.Select(r => r.TrainAccuracy).ToList(), h.Select(r => r.ValidationAccuracy).ToList(), $"{o.Model} on {o.Data}");
        if (h.Count > 0) SaveSvgCurves(o, h);
        log.WriteLine($"wrote      {o.Out}/metrics.json, model.npz, preprocess.json, checkpoint.npz, config.json, curves.png, curves-loss.svg, curves-accuracy.svg ({clock.Elapsed.TotalSeconds:F0} s)");
        return new Result(fit, test, o.Out, clock.Elapsed.TotalSeconds);
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
            chart.SaveSvg(Path.Combine(o.Out, $"curves-{name}.svg"));
        }
    }

    private static void WriteMetrics(TrainOptions o, FitResult fit, EvalResult test, Module model, double seconds)
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
            ["samples_per_s"] = Json.Num(r.SamplesPerSecond),
        }).ToArray());
        using var proc = Process.GetCurrentProcess();
        var metrics = new JsonObject
        {
            ["model"] = o.Model,
            ["data"] = o.Data,
            ["parameters"] = model.ParameterCount(),
            ["options"] = JsonSerializer.SerializeToNode(o, Json.Options),
            ["history"] = history,
            ["test_accuracy"] = Json.Num(test.Accuracy),
            ["test_loss"] = Json.Num(test.Loss),
            ["test_samples"] = test.Samples,
            ["stop_reason"] = fit.StopReason,
            ["diverged"] = fit.Diverged,
            ["seconds_total"] = Math.Round(seconds, 2),
            ["peak_memory_mib"] = Math.Round(proc.PeakWorkingSet64 / 1048576.0, 1),
        };
        AtomicFile.Write(Path.Combine(o.Out, "metrics.json"), s => s.Write(System.Text.Encoding.UTF8.GetBytes(metrics.ToJsonString(Json.Options))));
    }
}
