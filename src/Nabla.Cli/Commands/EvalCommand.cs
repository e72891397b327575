using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Cli.Composition;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla eval RUN_DIR</c>: rebuilds the model from RUN_DIR/config.json, loads RUN_DIR/model.npz and
/// reports loss and accuracy on the test set (or --split validation).</summary>
public static class EvalCommand
{
    /// <summary>Builds the <c>nabla eval</c> command: its arguments, options and handler (System.CommandLine).</summary>
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
            if (!Directory.Exists(run)) throw new UsageException($"{run} not found (eval reads {configPath} and {modelPath}): give an output folder of 'nabla train'");
            if (!File.Exists(configPath)) throw new FileNotFoundException($"{configPath} not found: is '{run}' an output folder of 'nabla train'?");
            var o = ReadConfig(configPath);
            o = o with { Data = p.GetValue(data) ?? o.Data, DataRoot = p.GetValue(dataRoot) ?? o.DataRoot };
            if (!File.Exists(modelPath))
                throw new FileNotFoundException($"{modelPath} not found: the run in '{run}' has not saved a good epoch yet");
            // The same data sources as training (built-in, image folder, table), with the run's seed and split. A
            // missing built-in set is never downloaded here: the user asked to evaluate, not to fetch data.
            TrainData d;
            try { d = TrainData.Load(o.Resolved() with { NoDownload = true }, TextWriter.Null); }
            catch (DatasetNotFoundException e)
            {
                throw new DatasetNotFoundException($"{e.Message.TrimEnd('.')} (eval does not download data)");
            }
            var batches = p.GetValue(split) == "validation"
                ? d.Validation ?? throw new UsageException("--split validation: this run was trained without a validation split")
                : d.Test ?? throw new UsageException($"{o.Data} has no test split; use --split validation");
            Module model;
            try { model = ModelFactory.Create(o.Resolved(), d.FeatureShape, d.Preprocess.Outputs); }
            catch (ArgumentException e) { throw new NablaException($"{configPath}: {CliErrors.Clean(e.Message)}", e); }
            try { model.LoadStateDict(Npz.Load(modelPath)); }
            catch (StateDictMismatchException e) { throw new NablaException($"{modelPath} does not fit the model {configPath} describes: {TrainRun.AfterPrefix(e.Message, "LoadStateDict into")}", e); }
            var trainer = new Trainer(model, OptimizerFactory.Create("sgd", model.Parameters(), 0.1, 0, 0), d.Loss);
            var r = trainer.Evaluate(batches());
            Console.WriteLine(d.Preprocess.Task == "regression"
                ? $"{o.Model} on {o.Data} {p.GetValue(split)}: MSE {r.Loss:F4} (standardised), RMSE {Math.Sqrt(r.Loss) * d.Preprocess.Target!.Std:G5} in target units  ({r.Samples} examples)"
                : $"{o.Model} on {o.Data} {p.GetValue(split)}: accuracy {100 * r.Accuracy:F2}%  loss {r.Loss:F4}  ({r.Samples} examples)");
            // JSON has no NaN: a model with NaN weights gives "loss": null (the text line above says NaN).
            Console.WriteLine(new JsonObject { ["accuracy"] = Json.Num(r.Accuracy), ["loss"] = Json.Num(r.Loss), ["samples"] = r.Samples, ["split"] = p.GetValue(split) }.ToJsonString());
        }));
        return cmd;
    }

    /// <summary>The options of config.json (at its top level, or under "options"), validated; every problem is a
    /// <see cref="NablaException"/> naming the file.</summary>
    public static TrainOptions ReadConfig(string configPath)
    {
        try
        {
            var node = JsonNode.Parse(BoundedText.ReadAllText(configPath), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
            if (node is not JsonObject obj) throw new NablaException($"{configPath}: expected a JSON object, got {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}");
            var opts = obj["options"] is JsonObject inner ? inner : obj;
            var o = opts.Deserialize<TrainOptions>(Json.Options) ?? throw new NablaException($"{configPath} is empty");
            if (o.Model is null) throw new NablaException($"{configPath}: no \"model\"");
            if (!ModelFactory.Names.Contains(o.Model))
                throw new NablaException($"{configPath}: unknown model '{o.Model}'; choose from {string.Join(", ", ModelFactory.Names)}");
            return o.Validate();
        }
        catch (JsonException e)
        {
            string where = e.Path is { Length: > 1 } path ? $" at {path}" : "";
            throw new NablaException($"{configPath}: not a valid config.json of 'nabla train'{where}{(e.LineNumber is long l ? $" (line {l + 1})" : "")}: " +
                (e.Message.Contains("could not be converted", StringComparison.Ordinal) ? "a value has the wrong type" : "invalid JSON"), e);
        }
        catch (ArgumentException e) { throw new NablaException($"{configPath}: {CliErrors.Clean(e.Message)}", e); }
    }
}
