using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// A live per-epoch log for <see cref="Trainer"/>: after every good epoch one line is appended to
/// <c>&lt;name&gt;.jsonl</c> (a JSON object with <see cref="Columns"/> as keys, non-finite numbers as null) and one row to
/// <c>&lt;name&gt;.csv</c> (header line first, non-finite numbers as empty fields), each flushed to disk, so that
/// <c>tail -f</c>, a dashboard or a spreadsheet sees every finished epoch while training goes on, and a killed run
/// leaves them all. Add it to <see cref="Trainer.Callbacks"/>, or call <see cref="Append"/> yourself.
/// </summary>
public sealed class MetricsLog : ITrainerCallback
{
    /// <summary>The keys of a JSON line and the columns of the CSV, in order.</summary>
    public static readonly string[] Columns = ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds", "samples_per_s"];

    /// <summary>Logs into <paramref name="directory"/>/<paramref name="name"/>.jsonl and .csv (appending to existing files).</summary>
    public MetricsLog(string directory, string name = "metrics")
    {
        JsonlPath = Path.Combine(directory, name + ".jsonl");
        CsvPath = Path.Combine(directory, name + ".csv");
    }

    /// <summary>Path of the JSON-lines file.</summary>
    public string JsonlPath { get; }

    /// <summary>Path of the CSV file.</summary>
    public string CsvPath { get; }

    /// <inheritdoc/>
    public bool OnEpochEnd(EpochRecord record)
    {
        Append(record);
        return true;
    }

    /// <summary>Appends one epoch to both files and flushes them to disk.</summary>
    public void Append(EpochRecord r)
    {
        bool newCsv = !File.Exists(CsvPath) || new FileInfo(CsvPath).Length == 0;
        AppendText(JsonlPath, JsonLine(r));
        AppendText(CsvPath, (newCsv ? CsvHeader : "") + CsvRow(r));
    }

    /// <summary>Replaces both files (atomically) with <paramref name="history"/>: used when a resumed run continues
    /// from a checkpoint, so that the logs hold exactly the checkpoint's epochs.</summary>
    public void Rewrite(IEnumerable<EpochRecord> history)
    {
        var rows = history.ToList();
        AtomicFile.WriteAllText(JsonlPath, string.Concat(rows.Select(JsonLine)));
        AtomicFile.WriteAllText(CsvPath, CsvHeader + string.Concat(rows.Select(CsvRow)));
    }

    private static readonly string CsvHeader = string.Join(",", Columns) + "\n";

    private static double[] Values(EpochRecord r) =>
        [r.Epoch, r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate, r.Seconds, r.SamplesPerSecond];

    /// <summary>One JSON object on one line (with the trailing newline).</summary>
    public static string JsonLine(EpochRecord r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            var v = Values(r);
            w.WriteNumber(Columns[0], r.Epoch);
            for (int i = 1; i < Columns.Length; i++)
            {
                if (double.IsFinite(v[i])) w.WriteNumber(Columns[i], v[i]);
                else w.WriteNull(Columns[i]);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static string CsvRow(EpochRecord r) =>
        string.Join(",", Values(r).Select((v, i) => i == 0 ? r.Epoch.ToString(CultureInfo.InvariantCulture)
            : double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")) + "\n";

    private static void AppendText(string path, string text)
    {
        using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        fs.Write(Encoding.UTF8.GetBytes(text));
        fs.Flush(flushToDisk: true);
    }
}
