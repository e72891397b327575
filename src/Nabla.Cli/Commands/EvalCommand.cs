using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Cli.Composition;
using Nabla.Data;
using Nabla.IO;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla eval RUN_DIR</c>: rebuilds the model from RUN_DIR/config.json, loads RUN_DIR/model.npz and
/// reports loss and accuracy on the test set (or --split validation).</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("run") { Description = "a folder written by 'nabla train' (config.json + model.npz)" };
        var data = new Option<string?>("--data") { Description = "dataset (default: the one it was trained on)" };
        var dataRoot = new Option<string?>("--data-root") { Description = "data root (default: $NABLA_DATA, then ~/.nabla/data)" };
        var split = new Option<string>("--split") { Description = "test or validation", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "validation");
        var cmd = new Command("eval", "evaluate a trained model on the test set") { dir, data, dataRoot, split };
        cmd.SetAction(p => CliErrors.Run("eval", () =>
        {
            string run = p.GetValue(dir)!;
            string configPath = Path.Combine(run, "config.json"), modelPath = Path.Combine(run, "model.npz");
            if (!File.Exists(configPath)) throw new FileNotFoundException($"{configPath} not found: is '{run}' an output folder of 'nabla train'?");
            var o = JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(configPath), Json.Options)
                ?? throw new InvalidOperationException($"{configPath} is empty");
            o = o with { Data = p.GetValue(data) ?? o.Data, DataRoot = p.GetValue(dataRoot) ?? o.DataRoot };
            // The same data sources as training (built-in, image folder, table), with the run's seed and split.
            var d = TrainData.Load(o.Resolved(), TextWriter.Null);
            var batches = p.GetValue(split) == "validation"
                ? d.Validation ?? throw new ArgumentException("this run was trained without a validation split")
                : d.Test ?? throw new ArgumentException($"{o.Data} has no test split; use --split validation");
            var model = ModelFactory.Create(o.Resolved(), d.FeatureShape, d.Preprocess.Outputs);
            model.LoadStateDict(Npz.Load(modelPath));
            var trainer = new Trainer(model, OptimizerFactory.Create("sgd", model.Parameters(), 0.1, 0, 0), d.Loss);
            var r = trainer.Evaluate(batches());
            Console.WriteLine(d.Preprocess.Task == "regression"
                ? $"{o.Model} on {o.Data} {p.GetValue(split)}: MSE {r.Loss:F4} (standardised), RMSE {Math.Sqrt(r.Loss) * d.Preprocess.Target!.Std:G5} in target units  ({r.Samples} examples)"
                : $"{o.Model} on {o.Data} {p.GetValue(split)}: accuracy {100 * r.Accuracy:F2}%  loss {r.Loss:F4}  ({r.Samples} examples)");
            Console.WriteLine(new JsonObject { ["accuracy"] = Json.Num(r.Accuracy), ["loss"] = Json.Num(r.Loss), ["samples"] = r.Samples, ["split"] = p.GetValue(split) }.ToJsonString());
        }));
        return cmd;
    }
}
