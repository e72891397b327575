using System.Text.Json.Nodes;

namespace Nabla.Tests.Board;

/// <summary>Writes run folders in the run-folder contract's format (config.json, metrics.jsonl, metrics.csv,
/// metrics.json) for the board's tests, with per-epoch numbers from a simple rule so each is known.</summary>
public static class RunFolders
{
    public static readonly string[] Columns = ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds", "samples_per_s"];

    /// <summary>The record of <paramref name="epoch"/>: loss = <paramref name="scale"/>/epoch, accuracy =
    /// 1 − loss/4, lr = 0.1·0.5^(epoch−1).</summary>
    public static JsonObject Epoch(int epoch, double scale = 2.0) => new()
    {
        ["epoch"] = epoch,
        ["train_loss"] = scale / epoch,
        ["train_accuracy"] = 1 - scale / epoch / 4,
        ["val_loss"] = scale / epoch + 0.1,
        ["val_accuracy"] = 1 - (scale / epoch + 0.1) / 4,
        ["lr"] = 0.1 * Math.Pow(0.5, epoch - 1),
        ["seconds"] = 1.5,
        ["samples_per_s"] = 1000.0,
    };

    /// <summary>A run folder with <paramref name="epochs"/> finished epochs; <paramref name="final"/> adds
    /// metrics.json (a finished run), otherwise only the live files exist (a run still training).</summary>
    public static string Write(string root, string id, int epochs, double scale = 2.0, bool final = true, JsonObject? config = null)
    {
        string dir = Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        config ??= new JsonObject { ["model"] = "mlp", ["data"] = "mnist", ["lr"] = 0.1, ["epochs"] = epochs, ["hidden"] = new JsonArray(32) };
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        var records = Enumerable.Range(1, epochs).Select(e => Epoch(e, scale)).ToList();
        File.WriteAllText(Path.Combine(dir, "metrics.jsonl"), string.Concat(records.Select(r => r.ToJsonString() + "\n")));
        File.WriteAllText(Path.Combine(dir, "metrics.csv"), string.Join(",", Columns) + "\n" +
            string.Concat(records.Select(r => string.Join(",", Columns.Select(c => r[c]!.ToJsonString())) + "\n")));
        if (final)
            File.WriteAllText(Path.Combine(dir, "metrics.json"), new JsonObject
            {
                ["history"] = new JsonArray(records.Select(r => (JsonNode)r.DeepClone()).ToArray()),
                ["test_accuracy"] = 0.9,
                ["test_loss"] = 0.3,
                ["stop_reason"] = $"completed {epochs} epochs",
                ["seconds_total"] = 1.5 * epochs,
            }.ToJsonString());
        return dir;
    }

    /// <summary>Appends one epoch line to a run's metrics.jsonl, as the trainer does after each epoch.</summary>
    public static void Append(string dir, JsonObject record)
    {
        using var f = new FileStream(Path.Combine(dir, "metrics.jsonl"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        using var w = new StreamWriter(f);
        w.Write(record.ToJsonString() + "\n");
    }

    /// <summary>A lab output folder: report.md with a table and a figure, results.json and the figure.</summary>
    public static string WriteLab(string root, string id)
    {
        string dir = Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "report.md"),
            "# Logic gates\n\nA **bold** claim with `code` and <script>alert(1)</script>.\n\n| gate | accuracy |\n|---|---|\n| AND | 1 |\n| XOR | 0.75 |\n\n![loss curve](fig.svg)\n\n*loss curve*\n");
        File.WriteAllText(Path.Combine(dir, "results.json"), """{ "xor_accuracy": 0.75 }""");
        File.WriteAllText(Path.Combine(dir, "fig.svg"), """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#2563eb"/></svg>""");
        return dir;
    }
}
