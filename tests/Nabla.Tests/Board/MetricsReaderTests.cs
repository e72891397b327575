using System.Text.Json.Nodes;
using Nabla.Board;

namespace Nabla.Tests.Board;

/// <summary>Reading the run-folder contract's files, including a log being appended to and malformed lines.</summary>
public class MetricsReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-board-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Jsonl_records_are_read_in_order_and_an_unfinished_last_line_is_left_out_silently()
    {
        File.WriteAllText(PathOf("metrics.jsonl"), """
            {"epoch": 1, "train_loss": 2.0, "val_accuracy": null}
            {"epoch": 2, "train_loss": 1.0, "val_accuracy": 0.5}
            {"epoch": 3, "train_lo
            """.Replace("\r", ""));
        var warnings = new List<string>();
        var h = MetricsReader.History(_dir, warnings);
        Assert.Equal([1.0, 2.0], h.Select(r => MetricsReader.Number(r, "epoch")!.Value));
        Assert.Null(MetricsReader.Number(h[0], "val_accuracy")); // non-finite values are written as null
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_malformed_line_in_the_middle_is_skipped_with_a_warning_naming_file_and_line()
    {
        File.WriteAllText(PathOf("metrics.jsonl"), "{\"epoch\": 1}\nnot json\n[1, 2]\n{\"epoch\": 2}\n");
        var warnings = new List<string>();
        var h = MetricsReader.History(_dir, warnings);
        Assert.Equal(2, h.Count);
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("metrics.jsonl line 2: not JSON", warnings[0]);
        Assert.StartsWith("metrics.jsonl line 3: not an epoch record", warnings[1]);
    }

    [Fact]
    public void The_final_metrics_history_is_used_when_it_holds_more_epochs_than_the_log()
    {
        // Today's runs have only metrics.json; a run whose log was cut short has a longer final history.
        File.WriteAllText(PathOf("metrics.json"), """{ "history": [ {"epoch": 1, "lr": 0.1}, {"epoch": 2, "lr": 0.05} ], "test_accuracy": 0.9 }""");
        var warnings = new List<string>();
        Assert.Equal(2, MetricsReader.History(_dir, warnings).Count);
        File.WriteAllText(PathOf("metrics.jsonl"), "{\"epoch\": 1}\n{\"epoch\": 2}\n{\"epoch\": 3}\n");
        Assert.Equal(3, MetricsReader.History(_dir, warnings).Count);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Config_brings_nested_options_to_the_top_and_dots_other_objects()
    {
        File.WriteAllText(PathOf("config.json"), """
            { "model": "cnn", "data": "mnist", "options": { "lr": 0.01, "hidden": [64, 32] }, "machine": { "cores": 2 }, "version": "0.3.0" }
            """);
        var c = MetricsReader.Config(_dir, null, []);
        Assert.Equal("cnn", (string?)c["model"]);
        Assert.Equal(0.01, (double)c["lr"]!);
        Assert.Equal("[64,32]", (string?)c["hidden"]);
        Assert.Equal(2, (int)c["machine.cores"]!);
        Assert.Equal("0.3.0", (string?)c["version"]);
    }

    [Fact]
    public void Config_falls_back_to_the_options_a_final_metrics_file_carries()
    {
        var metrics = JsonNode.Parse("""{ "model": "mlp", "data": "fashion-mnist", "options": { "epochs": 3 } }""")!.AsObject();
        var c = MetricsReader.Config(_dir, metrics, []);
        Assert.Equal("mlp", (string?)c["model"]);
        Assert.Equal("fashion-mnist", (string?)c["data"]);
        Assert.Equal(3, (int)c["epochs"]!);
    }

    [Fact]
    public void Final_takes_the_summary_fields_and_what_the_history_says()
    {
        var metrics = JsonNode.Parse("""{ "test_accuracy": 0.91, "stop_reason": "completed 3 epochs", "history": [], "options": {} }""")!.AsObject();
        var history = new List<JsonObject>
        {
            new() { ["epoch"] = 1, ["val_accuracy"] = 0.80, ["train_loss"] = 0.9, ["lr"] = 0.1 },
            new() { ["epoch"] = 2, ["val_accuracy"] = 0.86, ["train_loss"] = 0.5, ["lr"] = 0.05 },
            new() { ["epoch"] = 3, ["val_accuracy"] = 0.84, ["train_loss"] = 0.4, ["lr"] = null },
        };
        var f = MetricsReader.Final(metrics, null, history);
        Assert.Equal(0.91, (double)f["test_accuracy"]!);
        Assert.Equal("completed 3 epochs", (string?)f["stop_reason"]);
        Assert.Equal(3, (int)f["epochs"]!);
        Assert.Equal(0.84, (double)f["val_accuracy"]!);      // the last epoch's
        Assert.Equal(0.86, (double)f["best_val_accuracy"]!); // the best epoch's (2)
        Assert.Equal(0.4, (double)f["train_loss"]!);
        Assert.False(f.ContainsKey("lr"));                   // null in the last record: not shown as a number
        Assert.False(f.ContainsKey("history"));
    }

    [Fact]
    public void A_broken_config_is_a_warning_not_an_exception()
    {
        File.WriteAllText(PathOf("config.json"), "{ \"model\": ");
        var warnings = new List<string>();
        Assert.Empty(MetricsReader.Config(_dir, null, warnings));
        Assert.StartsWith("config.json: not JSON", Assert.Single(warnings));
    }
}
