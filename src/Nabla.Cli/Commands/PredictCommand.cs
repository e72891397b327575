using System.CommandLine;
using Nabla.Cli.Composition;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla predict RUN_DIR INPUT... [--out predictions.csv|.json]</c>: the trained model's predictions for
/// images, folders of images or CSV rows, with the training preprocessing (RUN_DIR/preprocess.json).</summary>
public static class PredictCommand
{
    /// <summary>Builds the <c>nabla predict</c> command: its arguments, options and handler (System.CommandLine).</summary>
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "a folder written by 'nabla train' (config.json, model.npz, preprocess.json)" };
        var inputs = new Argument<string[]>("inputs") { Description = "image files, folders (every image below them) or .csv tables", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "also write the predictions to this file (.csv or .json)" };
        var show = new Option<int>("--show") { Description = "rows printed to the terminal (all by default; 0 prints only the summary)", DefaultValueFactory = _ => int.MaxValue };
        var batch = new Option<int>("--batch-size") { Description = "inputs per forward pass", DefaultValueFactory = _ => 256 };
        var cmd = new Command("predict", "predict classes (with probabilities) or values for images, folders or CSV rows") { run, inputs, output, show, batch };
        cmd.SetAction(p => CliErrors.Run("predict", () =>
        {
            string? outPath = p.GetValue(output);
            if (outPath is not null && !outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--out must end in .csv or .json, got '{outPath}'");
            if (p.GetValue(batch) < 1) throw new ArgumentException($"--batch-size must be at least 1, got {p.GetValue(batch)}");
            var set = Predictor.Run(p.GetValue(run)!, p.GetValue(inputs)!, p.GetValue(batch));
            int shown = p.GetValue(show);
            if (shown > 0) Console.Write(Predictor.Table(set, shown));
            Console.WriteLine($"{set.Rows.Count} predictions ({set.Preprocess.Task}{(set.Preprocess.Task == "classification" ? $", classes {string.Join(", ", set.Preprocess.ClassNames)}" : "")})");
            if (set.Accuracy is double acc)
                Console.WriteLine($"accuracy {100 * acc:F2}% ({set.Rows.Count(r => r.Label == r.Truth)}/{set.Rows.Count}) against the {(set.Preprocess.Kind == "images" ? "class folder names" : "target column")}");
            if (set.Rmse is double rmse) Console.WriteLine($"RMSE {rmse:G5} against the target column");
            if (outPath is not null)
            {
                string? dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
                if (dir is not null) Directory.CreateDirectory(dir);
                if (outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) File.WriteAllText(outPath, set.ToJson());
                else
                {
                    using var w = new StreamWriter(outPath);
                    set.WriteCsv(w);
                }
                Console.WriteLine($"wrote {outPath}");
            }
        }));
        return cmd;
    }
}
