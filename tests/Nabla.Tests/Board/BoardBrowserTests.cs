using System.Text.Json.Nodes;
using Nabla.Board;
using Nabla.Cli.Composition;
using Nabla.Data;
using Xunit.Abstractions;

namespace Nabla.Tests.Board;

/// <summary>
/// The board end to end in a real browser (headless chromium over the DevTools protocol): the runs table, the
/// overlaid curves' points, sorting, a live update when an epoch is appended, a lab report with its figure; a
/// screenshot is saved as a test artifact. Skipped, with the reason, where /usr/bin/chromium is absent.
/// </summary>
public class BoardBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nabla-board-browser-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    /// <summary>Where the screenshot goes (beside the test assembly, so it survives the test's temporary folder).</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "TestResults", "board", "board-browser.png");

    [BrowserFact]
    public async Task The_page_lists_runs_draws_their_curves_and_follows_a_run_as_it_trains()
    {
        RunFolders.Write(_root, "a", 2);                          // finished: 2 epochs
        string b = RunFolders.Write(_root, "b", 3, scale: 1.0, final: false); // still training: 3 epochs so far
        RunFolders.WriteLab(_root, "labs/logic");
        // A run whose second epoch had a non-finite validation loss (written as null): a gap in its dashed line.
        string c = RunFolders.Write(_root, "c", 3, scale: 3.0);
        File.WriteAllText(Path.Combine(c, "metrics.jsonl"), string.Concat(Enumerable.Range(1, 3).Select(e =>
        {
            var r = RunFolders.Epoch(e, 3.0);
            if (e == 2) r["val_loss"] = null;
            return r.ToJsonString() + "\n";
        })));
        // c is a run on your own data: no test split, its final figures are the validation set's (metrics.json says so).
        var cMetrics = JsonNode.Parse(File.ReadAllText(Path.Combine(c, "metrics.json")))!.AsObject();
        cMetrics["test_split"] = "validation";
        File.WriteAllText(Path.Combine(c, "metrics.json"), cMetrics.ToJsonString());
        var expected = new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 };
        // One real `nabla train` run through Trainer when MNIST is here (a few seconds).
        if (DataRoot.Find(DatasetSpec.Find("mnist")) is not null)
        {
            TrainRun.Run(new TrainOptions
            {
                Model = "mlp", Epochs = 2, Limit = 600, ValidationCount = 500, Hidden = [16], Out = Path.Combine(_root, "real"), Seed = 1,
            }, TextWriter.Null);
            expected["real"] = 2;
        }
        else output.WriteLine("MNIST not found: the page is tested on the written runs only (set NABLA_DATA to add a real training run)");

        await using var server = await BoardServer.StartAsync(new BoardOptions(_root, Port: 0, PollInterval: TimeSpan.FromMilliseconds(200)));
        await using var browser = await HeadlessChromium.LaunchAsync();
        output.WriteLine($"board at {server.Url}");
        await browser.NavigateAsync(server.Url);

        // The table: one row per run, sorted by name, with the final metrics.
        int rows = expected.Count + 2;
        await browser.WaitForAsync($"document.querySelectorAll('#runs tbody tr').length === {rows}", $"{rows} table rows");
        var ids = (await browser.EvaluateAsync("[...document.querySelectorAll('#runs tbody tr')].map(r => r.dataset.run)"))!.AsArray();
        Assert.Equal(expected.Keys.Append("labs/logic").Append("c").Order(StringComparer.Ordinal), ids.Select(i => (string)i!));
        Assert.Equal("90.00 %", await Text("#runs tr[data-run='a'] td[data-key='test_accuracy']"));
        Assert.Equal("–", await Text("#runs tr[data-run='c'] td[data-key='test_accuracy']"));   // a validation figure is not shown as test
        Assert.Equal("–", await Text("#runs tr[data-run='c'] td[data-key='test_loss']"));
        if (expected.ContainsKey("real"))
            Assert.Matches(@"^\d+\.\d\d %$", await Text("#runs tr[data-run='real'] td[data-key='test_accuracy']"));   // MNIST's test set
        Assert.Equal("running", await Text("#runs tr[data-run='b'] td[data-key='status']"));
        Assert.Equal("lab", (string?)(await browser.EvaluateAsync("fetch('/api/runs').then(r => r.json()).then(j => j.runs.find(r => r.id === 'labs/logic').kind)")));

        // The curves: every run with epochs is overlaid; one point per epoch and series.
        int lossPoints = 2 * expected.Values.Sum() + 3 + 2; // c: 3 training points, 2 validation points (one null)
        await browser.WaitForAsync(PointCount("chart-loss") + $" === {lossPoints}", "every run's loss points");
        Assert.Equal(2, await Points("chart-loss", "c", "val_loss"));
        Assert.Equal(2, (int)(await browser.EvaluateAsync(
            "(document.querySelector(\"#chart-loss path[data-run='c'][data-series='val_loss']\").getAttribute('d').match(/M/g) || []).length"))!);
        foreach (var (id, epochs) in expected)
        {
            Assert.Equal(epochs, await Points("chart-loss", id, "train_loss"));
            Assert.Equal(epochs, await Points("chart-loss", id, "val_loss"));
            Assert.Equal(epochs, await Points("chart-accuracy", id, "val_accuracy"));
            Assert.Equal(epochs, await Points("chart-lr", id, "lr"));
        }
        Assert.Equal(1.0 / 3, (double)(await browser.EvaluateAsync(
            "+document.querySelector(\"#chart-loss circle[data-run='b'][data-series='train_loss'][data-epoch='3']\").dataset.value"))!, 12);
        Assert.Equal(lossPoints, int.Parse(await Attr("#chart-loss", "data-points")));

        // Sorting by a column, both ways.
        await Click("#runs th[data-key='epochs']");
        Assert.Equal("labs/logic", await FirstRow());            // 0 epochs first
        await Click("#runs th[data-key='epochs']");
        Assert.Equal("b", await FirstRow());                     // 3 epochs first (b before c on a tie; a real run has 2)

        // Live: the trainer appends epoch 4 to b's log; the page follows without a reload.
        string refreshes = await Attr("body", "data-refreshes");
        await browser.EvaluateAsync("window.sameDocument = 'yes'");
        RunFolders.Append(b, RunFolders.Epoch(4, 1.0));
        await browser.WaitForAsync(PointsJs("chart-loss", "b", "train_loss") + " === 4", "b's 4th epoch on the loss chart");
        Assert.Equal("4", await Text("#runs tr[data-run='b'] td[data-key='epochs']"));
        Assert.Equal(4, await Points("chart-lr", "b", "lr"));
        Assert.NotEqual(refreshes, await Attr("body", "data-refreshes"));
        Assert.Equal("yes", (string?)await browser.EvaluateAsync("window.sameDocument")); // updated in place, not reloaded

        // Unticking a run removes its curves.
        await Click("#runs tr[data-run='a'] input[type=checkbox]");
        await browser.WaitForAsync(PointsJs("chart-loss", "a", "train_loss") + " === 0", "a's curves gone once unticked");

        // A lab's report and figure.
        await Click("#runs tr[data-run='labs/logic'] .run-link");
        await browser.WaitForAsync("document.querySelector('#detail-report h1')?.textContent === 'Logic gates'", "the lab report");
        await browser.WaitForAsync("[...document.querySelectorAll('#detail-report img, #detail-figures img')].every(i => i.complete && i.naturalWidth === 40)" +
                                   " && document.querySelectorAll('#detail-figures img').length === 1", "the lab's figure loaded");
        Assert.Equal("0.75", await Text("#detail-report td:nth-child(2)", last: true));
        Assert.Equal(0, (int)(await browser.EvaluateAsync("document.querySelectorAll('#detail-report script').length"))!);

        await browser.ScreenshotAsync(ScreenshotPath);
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000, "the screenshot is suspiciously small");
        output.WriteLine($"screenshot: {ScreenshotPath}");
        Console.WriteLine($"nabla board browser test screenshot: {ScreenshotPath}"); // also in CI's log at normal verbosity
        Assert.True(browser.PageErrors.IsEmpty, "the page reported errors: " + string.Join("\n", browser.PageErrors));

        async Task<int> Points(string chart, string run, string series) => (int)(await browser.EvaluateAsync(PointsJs(chart, run, series)))!;
        async Task<string> Text(string selector, bool last = false) => (string)(await browser.EvaluateAsync(
            last ? $"[...document.querySelectorAll(\"{selector}\")].pop().textContent" : $"document.querySelector(\"{selector}\").textContent"))!;
        async Task<string> Attr(string selector, string name) =>
            (string?)(await browser.EvaluateAsync($"document.querySelector(\"{selector}\").getAttribute('{name}')")) ?? "";
        async Task Click(string selector) => await browser.EvaluateAsync($"document.querySelector(\"{selector}\").click()");
        async Task<string> FirstRow() => (string)(await browser.EvaluateAsync("document.querySelector('#runs tbody tr').dataset.run"))!;
    }

    /// <summary>A script expression: how many points of one run's series a chart draws.</summary>
    private static string PointsJs(string chart, string run, string series) =>
        $"document.querySelectorAll(\"#{chart} circle[data-run='{run}'][data-series='{series}']\").length";

    private static string PointCount(string chart) => $"+(document.getElementById('{chart}').getAttribute('data-points') || 0)";
}

/// <summary>A [Fact] that needs Debian's chromium; skipped with the reason where it is absent.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.SkipReason is string reason) Skip = reason;
    }
}
