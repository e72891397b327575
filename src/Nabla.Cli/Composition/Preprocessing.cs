using System.Globalization;
using System.Text.Json;
using Nabla.Data;

namespace Nabla.Cli.Composition;

/// <summary>How one table column becomes features: "numeric" → (x − Mean) / Std (one feature); "categorical" →
/// one-hot over <see cref="Levels"/> (one feature per level; a level unseen in training gives all zeros).</summary>
public sealed record ColumnEncoding(string Name, string Kind, double Mean = 0, double Std = 1, string[]? Levels = null)
{
    /// <summary>Number of features this column contributes.</summary>
    public int Width => Kind == "categorical" ? Levels!.Length : 1;
}

/// <summary>The target of a table: classification over <see cref="Levels"/>, or regression on (y − Mean) / Std.</summary>
public sealed record TargetEncoding(string Name, string Task, string[]? Levels = null, double Mean = 0, double Std = 1);

/// <summary>
/// Everything that turns raw input into the model's features, fixed at training time and written to the run folder
/// as <c>preprocess.json</c>, so that <c>nabla predict</c> applies exactly the training preprocessing.
/// Images: decode → (resize to Height × Width, convert to Channels) → p / 255 → (x − Mean[c]) / Std[c].
/// Tables: numeric columns standardised with the training rows' mean and std, categorical columns one-hot.
/// </summary>
public sealed record Preprocess
{
    /// <summary>"images" or "table".</summary>
    public string Kind { get; init; } = "images";

    /// <summary>"classification" or "regression".</summary>
    public string Task { get; init; } = "classification";

    /// <summary>Class names in label order (classification).</summary>
    public string[] ClassNames { get; init; } = [];

    /// <summary>Shape of one example's features.</summary>
    public int[] FeatureShape { get; init; } = [];

    /// <summary>Images: every image is resized to Height × Width.</summary>
    public int Height { get; init; }
    /// <summary>Images: see <see cref="Height"/>.</summary>
    public int Width { get; init; }
    /// <summary>Images: 1 (grey) or 3 (RGB).</summary>
    public int Channels { get; init; }
    /// <summary>Images: per-channel mean of the training pixels in [0, 1] (one value for all channels for MNIST).</summary>
    public float[] Mean { get; init; } = [];
    /// <summary>Images: per-channel std, like <see cref="Mean"/>.</summary>
    public float[] Std { get; init; } = [];

    /// <summary>The feature columns in order (tables).</summary>
    public ColumnEncoding[] Columns { get; init; } = [];

    /// <summary>Tables: the target column's encoding.</summary>
    public TargetEncoding? Target { get; init; }

    /// <summary>Missing numeric values: "error" (default) or "mean" (replaced by the training mean, i.e. 0 after standardising).</summary>
    public string Missing { get; init; } = "error";

    /// <summary>Model outputs: the number of classes, or 1 for regression.</summary>
    public int Outputs => Task == "regression" ? 1 : ClassNames.Length;

    /// <summary>The file's name in a run folder.</summary>
    public const string FileName = "preprocess.json";

    /// <summary>Writes <see cref="FileName"/> into <paramref name="dir"/>.</summary>
    public void Save(string dir) => File.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, Json.Options));

    /// <summary>Reads <see cref="FileName"/> from a run folder; a clear error when it is absent.</summary>
    public static Preprocess Load(string dir)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: the run was trained before preprocess.json existed, or '{dir}' is not a 'nabla train' output folder");
        return JsonSerializer.Deserialize<Preprocess>(BoundedText.ReadAllText(path), Json.Options) ?? throw new InvalidDataException($"{path} is empty");
    }

    /// <summary>The images preprocessing.</summary>
    public static Preprocess ForImages(int channels, int height, int width, float[] mean, float[] std, IReadOnlyList<string> classes) => new()
    {
        Kind = "images", Channels = channels, Height = height, Width = width, Mean = mean, Std = std,
        ClassNames = classes.ToArray(), FeatureShape = [channels, height, width],
    };

    /// <summary>A dataset over decoded images with this normalisation.</summary>
    public ImageDataset Dataset(LabeledImages images) => new(images, Mean, Std);

    /// <summary>Decodes and normalises image files: X [N, C, H, W].</summary>
    public Tensor EncodeImages(IReadOnlyList<string> files)
    {
        if (Kind != "images") throw new ArgumentException($"this model was trained on a table; give it a CSV file, not images");
        var (pixels, _, _) = ImageDecoder.DecodeAll(files.Count, i => File.ReadAllBytes(files[i]), files, Channels, (Height, Width));
        var set = Dataset(new LabeledImages(pixels, new byte[files.Count], Height, Width, Channels));
        var x = new float[(long)files.Count * set.FeatureSize()];
        for (int i = 0; i < files.Count; i++) set.Get(i, x.AsSpan(i * set.FeatureSize(), set.FeatureSize()));
        return Tensor.FromArray(x, [files.Count, .. FeatureShape]);
    }

    /// <summary>
    /// Fits the table preprocessing on <paramref name="trainRows"/>: every column but the target is a feature,
    /// numeric when all its values are numbers, otherwise categorical (levels sorted ordinally; a missing cell is
    /// the level ""). The task is <paramref name="task"/> or, for "auto", classification when the target is not
    /// numeric or holds at most 20 distinct integers, else regression.
    /// </summary>
    public static Preprocess FitTable(CsvTable table, string target, string task, IReadOnlyList<int> trainRows, string missing = "error")
    {
        if (missing is not ("error" or "mean")) throw new ArgumentException($"--missing must be error or mean, got '{missing}'");
        int t = table.ColumnIndex(target);
        for (int r = 0; r < table.RowCount; r++)
            if (table.IsMissing(r, t)) throw new CsvFormatException(table.Source, table.LineOf(r), target, "the target is missing");
        bool numericTarget = table.IsNumeric(t);
        if (task == "auto")
        {
            bool fewIntegers = numericTarget && Enumerable.Range(0, table.RowCount).All(r => double.IsInteger(table.Number(r, t)))
                && Enumerable.Range(0, table.RowCount).Select(r => table.Number(r, t)).Distinct().Count() <= 20;
            task = !numericTarget || fewIntegers ? "classification" : "regression";
        }
        if (task is not ("classification" or "regression")) throw new ArgumentException($"--task must be auto, classification or regression, got '{task}'");
        TargetEncoding te;
        if (task == "regression")
        {
            if (!numericTarget) throw new ArgumentException($"{table.Source}: --task regression needs a numeric target, and column '{target}' holds text (e.g. '{FirstText(table, t)}')");
            var (m, s) = MeanStd(trainRows.Select(r => table.Number(r, t)));
            te = new TargetEncoding(target, task, null, m, s);
        }
        else
        {
            var levels = Enumerable.Range(0, table.RowCount).Select(r => Level(table, r, t, numericTarget)).Distinct();
            var ordered = numericTarget ? levels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)) : levels.Order(StringComparer.Ordinal);
            te = new TargetEncoding(target, task, ordered.ToArray());
            if (te.Levels!.Length < 2) throw new ArgumentException($"{table.Source}: the target '{target}' has only one value ('{te.Levels[0]}'); classification needs at least two");
        }
        var columns = new List<ColumnEncoding>();
        for (int c = 0; c < table.Columns.Count; c++)
        {
            if (c == t) continue;
            string name = table.Columns[c];
            if (table.IsNumeric(c))
            {
                var values = trainRows.Where(r => !table.IsMissing(r, c)).Select(r => table.Number(r, c)).ToList();
                if (missing == "error")
                    foreach (int r in trainRows)
                        if (table.IsMissing(r, c))
                            throw new CsvFormatException(table.Source, table.LineOf(r), name, $"missing value ('{table.Cell(r, c)}') in a numeric column; fix the file or pass --missing mean to use the training mean");
                var (m, s) = MeanStd(values);
                columns.Add(new ColumnEncoding(name, "numeric", m, s));
            }
            else
            {
                var levels = trainRows.Select(r => table.IsMissing(r, c) ? "" : table.Cell(r, c)).Distinct().Order(StringComparer.Ordinal).ToArray();
                columns.Add(new ColumnEncoding(name, "categorical", Levels: levels));
            }
        }
        if (columns.Count == 0) throw new ArgumentException($"{table.Source}: no feature columns besides the target '{target}'");
        int width = columns.Sum(c => c.Width);
        return new Preprocess
        {
            Kind = "table", Task = task, ClassNames = te.Levels ?? [], FeatureShape = [width], Columns = columns.ToArray(), Target = te, Missing = missing,
        };
    }

    /// <summary>Features of the given rows: X [rows, F]. Columns are found by name; the target column may be absent.</summary>
    public Tensor EncodeTable(CsvTable table, IReadOnlyList<int> rows, out int unseenLevels)
    {
        if (Kind != "table") throw new ArgumentException($"{table.Source}: this model was trained on images; give it image files or a folder");
        int f = FeatureShape[0];
        var x = new float[(long)rows.Count * f];
        unseenLevels = 0;
        int offset = 0;
        foreach (var col in Columns)
        {
            int c = table.ColumnIndex(col.Name);
            for (int i = 0; i < rows.Count; i++)
            {
                int r = rows[i];
                if (col.Kind == "numeric")
                {
                    if (table.IsMissing(r, c) && Missing == "mean") continue;   // the training mean standardises to 0
                    x[(long)i * f + offset] = (float)((table.Number(r, c) - col.Mean) / col.Std);
                }
                else
                {
                    string v = table.IsMissing(r, c) ? "" : table.Cell(r, c);
                    int k = Array.IndexOf(col.Levels!, v);
                    if (k >= 0) x[(long)i * f + offset + k] = 1;
                    else unseenLevels++;
                }
            }
            offset += col.Width;
        }
        return Tensor.FromArray(x, rows.Count, f);
    }

    /// <summary>Class indices (classification, int32 [rows]) or standardised values (regression, float32 [rows, 1]).</summary>
    public Tensor EncodeTarget(CsvTable table, IReadOnlyList<int> rows)
    {
        var te = Target ?? throw new InvalidOperationException("no target in this preprocessing");
        int t = table.ColumnIndex(te.Name);
        if (te.Task == "regression")
            return Tensor.FromArray(rows.Select(r => (float)((table.Number(r, t) - te.Mean) / te.Std)).ToArray(), rows.Count, 1);
        bool numeric = double.TryParse(te.Levels![0], NumberStyles.Float, CultureInfo.InvariantCulture, out _) && te.Levels.All(l => CsvTable.TryNumber(l, out _));
        var y = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            string v = Level(table, rows[i], t, numeric);
            y[i] = Array.IndexOf(te.Levels, v);
            if (y[i] < 0) throw new CsvFormatException(table.Source, table.LineOf(rows[i]), te.Name, $"target '{v}' is not one of the training classes {string.Join(", ", te.Levels)}");
        }
        return Tensor.FromArray(y, rows.Count);
    }

    /// <summary>A regression output back in the target's units: y = ŷ·Std + Mean.</summary>
    public double Unstandardise(double value) => Target is { } t ? value * t.Std + t.Mean : value;

    /// <summary>A class value as a level name: numbers in their shortest invariant form (so "1.0" and "1" agree).</summary>
    private static string Level(CsvTable table, int r, int c, bool numeric) =>
        numeric ? table.Number(r, c).ToString("R", CultureInfo.InvariantCulture) : table.Cell(r, c);

    private static string FirstText(CsvTable table, int c) =>
        Enumerable.Range(0, table.RowCount).Select(r => table.Cell(r, c)).First(s => !CsvTable.TryNumber(s, out _));

    /// <summary>Mean and population std (std 1 when the values are constant, so standardising never divides by 0).</summary>
    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return (0, 1);
        double m = v.Average();
        double s = Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
        return (m, s > 1e-12 ? s : 1);
    }
}
