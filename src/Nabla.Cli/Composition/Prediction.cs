using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;

namespace Nabla.Cli.Composition;

/// <summary>One input's prediction: the class and its probability with every class's probability (classification),
/// or the predicted value (regression); <see cref="Truth"/> when the input says it (class folder, target column).</summary>
public sealed record Prediction(string Input, string? Label, double Probability, double[] Probabilities, double Value, string? Truth);

/// <summary>The predictions for a list of inputs, with the run's preprocessing (class names, task).</summary>
public sealed record PredictionSet(Preprocess Preprocess, IReadOnlyList<Prediction> Rows)
{
    /// <summary>Share of rows whose label equals the truth, when every row has a truth (classification); else null.</summary>
    public double? Accuracy => Preprocess.Task == "classification" && Rows.Count > 0 && Rows.All(r => r.Truth is not null)
        ? (double)Rows.Count(r => r.Label == r.Truth) / Rows.Count : null;

    /// <summary>Root-mean-square error against the truth when every row has one (regression); else null.</summary>
    public double? Rmse => Preprocess.Task == "regression" && Rows.Count > 0 && Rows.All(r => r.Truth is not null)
        ? Math.Sqrt(Rows.Average(r => Math.Pow(r.Value - double.Parse(r.Truth!, CultureInfo.InvariantCulture), 2))) : null;

    /// <summary>CSV: input,label,probability,p_&lt;class&gt;...[,truth] or input,value[,truth].</summary>
    public void WriteCsv(TextWriter w)
    {
        bool truth = Rows.Any(r => r.Truth is not null);
        var header = new List<string> { "input" };
        if (Preprocess.Task == "regression") header.Add("value");
        else header.AddRange(["label", "probability", .. Preprocess.ClassNames.Select(c => "p_" + c)]);
        if (truth) header.Add("truth");
        w.WriteLine(string.Join(",", header.Select(Quote)));
        foreach (var r in Rows)
        {
            var cells = new List<string> { r.Input };
            if (Preprocess.Task == "regression") cells.Add(Num(r.Value));
            else cells.AddRange([r.Label!, Num(r.Probability), .. r.Probabilities.Select(Num)]);
            if (truth) cells.Add(r.Truth ?? "");
            w.WriteLine(string.Join(",", cells.Select(Quote)));
        }
    }

    /// <summary>JSON: an array of {input, label, probability, probabilities {class: p}} or {input, value}, plus truth.</summary>
    public string ToJson()
    {
        var arr = new JsonArray();
        foreach (var r in Rows)
        {
            var o = new JsonObject { ["input"] = r.Input };
            if (Preprocess.Task == "regression") o["value"] = r.Value;
            else
            {
                o["label"] = r.Label;
                o["probability"] = r.Probability;
                var p = new JsonObject();
                for (int c = 0; c < Preprocess.ClassNames.Length; c++) p[Preprocess.ClassNames[c]] = r.Probabilities[c];
                o["probabilities"] = p;
            }
            if (r.Truth is not null) o["truth"] = r.Truth;
            arr.Add(o);
        }
        return arr.ToJsonString(Json.Options);
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

/// <summary>
/// <c>nabla predict</c>'s engine: rebuilds a run's model from config.json + model.npz, replays preprocess.json on
/// image files, folders (every image below them) or CSV rows, and returns class probabilities or values.
/// </summary>
public static class Predictor
{
    /// <summary>The run's model (in eval mode) and preprocessing.</summary>
    public static (Module Model, Preprocess Preprocess) LoadRun(string runDir)
    {
        string configPath = Path.Combine(runDir, "config.json"), modelPath = Path.Combine(runDir, "model.npz");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{configPath} not found: is '{runDir}' an output folder of 'nabla train'?");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath} not found: the run in '{runDir}' did not finish");
        var o = JsonSerializer.Deserialize<TrainOptions>(BoundedText.ReadAllText(configPath), Json.Options)
            ?? throw new InvalidDataException($"{configPath} is empty");
        // Runs on MNIST / Fashion-MNIST from before preprocess.json existed: their preprocessing is fixed and known.
        var pre = !File.Exists(Path.Combine(runDir, Preprocess.FileName)) && o.Data is "mnist" or "fashion-mnist"
            ? TrainData.MnistPreprocess(DatasetSpec.Find(o.Data))
            : Preprocess.Load(runDir);
        var model = ModelFactory.Create(o.Resolved(), pre.FeatureShape, pre.Outputs);
        model.LoadStateDict(Npz.Load(modelPath));
        model.Eval();
        return (model, pre);
    }

    /// <summary>Predicts for <paramref name="inputs"/>: image files, folders of images, or one or more CSV tables.</summary>
    public static PredictionSet Run(string runDir, IReadOnlyList<string> inputs, int batchSize = 256)
    {
        if (inputs.Count == 0) throw new ArgumentException("predict: give at least one input (image, folder or .csv)");
        var (model, pre) = LoadRun(runDir);
        var rows = new List<Prediction>();
        var csvs = inputs.Where(i => i.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
        if (csvs.Count > 0 && csvs.Count < inputs.Count) throw new ArgumentException("predict: give either CSV tables or images/folders, not both");
        if (csvs.Count > 0)
        {
            foreach (var path in csvs) rows.AddRange(PredictTable(model, pre, CsvTable.Read(path), batchSize));
            return new PredictionSet(pre, rows);
        }
        var files = ImageFiles(inputs);
        for (int start = 0; start < files.Count; start += batchSize)
        {
            var chunk = files.Skip(start).Take(batchSize).ToList();
            var x = pre.EncodeImages(chunk);
            rows.AddRange(Decode(model, pre, x, chunk, chunk.Select(f =>
            {
                string? parent = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(f)));
                return parent is not null && pre.ClassNames.Contains(parent) ? parent : null;
            }).ToList()));
        }
        return new PredictionSet(pre, rows);
    }

    /// <summary>The image files named or found below the folders named (ordinal path order within a folder).</summary>
    public static List<string> ImageFiles(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(ImageDecoder.IsImageName).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new ArgumentException($"predict: no images ({string.Join(", ", ImageDecoder.Extensions)}) under {input}");
                files.AddRange(found);
            }
            else if (File.Exists(input))
            {
                if (!ImageDecoder.IsImageName(input)) throw new ArgumentException($"predict: {input} is neither an image ({string.Join(", ", ImageDecoder.Extensions)}) nor a .csv table");
                files.Add(input);
            }
            else throw new FileNotFoundException($"predict: {input} does not exist");
        }
        return files;
    }

    private static IEnumerable<Prediction> PredictTable(Module model, Preprocess pre, CsvTable table, int batchSize)
    {
        int t = pre.Target is { } te && table.Columns.Contains(te.Name) ? table.ColumnIndex(te.Name) : -1;
        var all = new List<Prediction>();
        for (int start = 0; start < table.RowCount; start += batchSize)
        {
            var rows = Enumerable.Range(start, Math.Min(batchSize, table.RowCount - start)).ToList();
            var x = pre.EncodeTable(table, rows, out _);
            var names = rows.Select(r => $"{table.Source}:{table.LineOf(r)}").ToList();
            var truths = rows.Select(r => t < 0 || table.IsMissing(r, t) ? null
                : pre.Task == "classification" && CsvTable.TryNumber(table.Cell(r, t), out double d) ? d.ToString("R", CultureInfo.InvariantCulture)
                : table.Cell(r, t)).ToList();
            all.AddRange(Decode(model, pre, x, names, truths));
        }
        return all;
    }

    /// <summary>Runs the model on X and turns its outputs into predictions: softmax probabilities or the value.</summary>
    private static IEnumerable<Prediction> Decode(Module model, Preprocess pre, Tensor x, IReadOnlyList<string> names, IReadOnlyList<string?> truths)
    {
        using var _ = GradMode.NoGrad();
        var output = model.Invoke(x);
        if (pre.Task == "regression")
        {
            var v = output.Contiguous().ToArray<float>();
            for (int i = 0; i < names.Count; i++)
                yield return new Prediction(names[i], null, double.NaN, [], pre.Unstandardise(v[i]), truths[i]);
            yield break;
        }
        int k = pre.ClassNames.Length;
        var p = output.Softmax(1).Contiguous().ToArray<float>();
        for (int i = 0; i < names.Count; i++)
        {
            var probs = new double[k];
            int best = 0;
            for (int c = 0; c < k; c++)
            {
                probs[c] = p[i * k + c];
                if (probs[c] > probs[best]) best = c;
            }
            yield return new Prediction(names[i], pre.ClassNames[best], probs[best], probs, double.NaN, truths[i]);
        }
    }

    /// <summary>The predictions as an aligned text table (at most 8 class columns; more classes show only the top one).</summary>
    public static string Table(PredictionSet set, int maxRows = int.MaxValue)
    {
        var pre = set.Preprocess;
        var sb = new StringBuilder();
        int width = Math.Clamp(set.Rows.Count == 0 ? 10 : set.Rows.Max(r => r.Input.Length), 10, 60);
        bool truth = set.Rows.Any(r => r.Truth is not null);
        bool perClass = pre.Task == "classification" && pre.ClassNames.Length <= 8;
        string Cut(string s) => s.Length <= width ? s : "…" + s[^(width - 1)..];
        sb.Append(Cut("input").PadRight(width));
        if (pre.Task == "regression") sb.Append($" {"value",12}");
        else
        {
            sb.Append($" {"label",-14} {"prob",6}");
            if (perClass) foreach (var c in pre.ClassNames) sb.Append($" {Short(c),8}");
        }
        if (truth) sb.Append("  truth");
        sb.AppendLine();
        foreach (var r in set.Rows.Take(maxRows))
        {
            sb.Append(Cut(r.Input).PadRight(width));
            if (pre.Task == "regression") sb.Append($" {r.Value,12:G6}");
            else
            {
                sb.Append($" {Short(r.Label!, 14),-14} {r.Probability,6:F3}");
                if (perClass) foreach (double q in r.Probabilities) sb.Append($" {q,8:F3}");
            }
            if (truth) sb.Append($"  {r.Truth}{(pre.Task == "classification" && r.Truth is not null && r.Truth != r.Label ? "  ✗" : "")}");
            sb.AppendLine();
        }
        if (set.Rows.Count > maxRows) sb.AppendLine($"… {set.Rows.Count - maxRows} more rows");
        return sb.ToString();
    }

    private static string Short(string s, int n = 8) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
