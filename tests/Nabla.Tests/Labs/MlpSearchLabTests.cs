using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class MlpSearchLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-search-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Each_sweep_changes_exactly_the_factor_it_names()
    {
        var full = new MlpSearchLab().Full;
        var b = MlpSearchLab.Baseline(full);
        foreach (var s in MlpSearchLab.Sweeps(full))
        {
            var changed = new List<string>();
            if (!s.Hidden.SequenceEqual(b.Hidden)) changed.Add("hidden widths");
            if (s.Activation != b.Activation) changed.Add("activation");
            if (s.LearningRate != b.LearningRate) changed.Add("learning rate");
            if (s.BatchSize != b.BatchSize) changed.Add("batch size");
            Assert.Equal(new[] { s.Factor }, changed);
        }
        Assert.Equal(new[] { "activation", "batch size", "hidden widths", "learning rate" }, MlpSearchLab.Sweeps(full).Select(s => s.Factor).Distinct().Order());
    }

    [RequiresDataFact]
    public void Quick_run_writes_the_report_and_selects_the_best_validation_accuracy()
    {
        var r = new MlpSearchLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "lr_sweep.png", "best_curves.png" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        int settings = (int)r.Metrics["settings"];
        int sweeps = MlpSearchLab.Sweeps(new MlpSearchLab().Quick).Count;
        Assert.InRange(settings, 1 + sweeps, 2 + sweeps);
        var accs = Enumerable.Range(1, settings).Select(i => r.Metrics[$"setting{i}_val_accuracy"]).ToList();
        foreach (double a in accs)
        {
            // Accuracy = correct / 1000 on the quick validation set.
            double correct = a * 1000;
            Assert.Equal(Math.Round(correct), correct, 6);
        }
        Assert.Equal(accs.Max(), r.Metrics["best_val_accuracy"]);
        Assert.InRange(r.Metrics["best_test_accuracy"], 0.5, 1.0);
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("sigmoid", md);
        Assert.Contains("test accuracy", md);
    }

    [RequiresDataFact]
    public void Overrides_change_the_search_space()
    {
        var r = new MlpSearchLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["train-images"] = "500", ["hidden"] = "32", ["sweep-learning-rates"] = "0.3", ["sweep-activations"] = "tanh",
            ["sweep-hidden"] = "16-16", ["sweep-batch-sizes"] = "128",
        }));
        // Baseline + four one-value sweeps, plus the combined setting unless it coincides with one of them.
        Assert.InRange(r.Metrics["settings"], 5, 6);
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("| 16-16 |", md);
        Assert.Contains("| `sweep-hidden` | 16-16 (--set) |", md);
    }

    [Fact]
    public void Sweep_widths_parse_and_bad_ones_are_named()
    {
        Assert.Equal([256, 256], MlpSearchLab.ParseWidths("256-256"));
        Assert.Equal([128], MlpSearchLab.ParseWidths("128"));
        var e = Assert.Throws<ArgumentException>(() => MlpSearchLab.ParseWidths("256-x"));
        Assert.Contains("'256-x'", e.Message);
        Assert.Throws<ArgumentException>(() => MlpSearchLab.ParseWidths("0"));
    }

    [Fact]
    public void Prose_rules_follow_the_numbers()
    {
        (double, double)[] lrs = [(0.01, 0.67), (0.03, 0.777), (0.1, 0.729), (0.3, 0.692)];
        Assert.Contains("lags the best by 10.70 points", MlpSearchLab.SmallRateSays(lrs, 1));
        Assert.Contains("within 0.20 points of the best", MlpSearchLab.SmallRateSays([(0.01, 0.975), (0.1, 0.977)], 5));
        Assert.Contains("peaks at 0.03 and is 8.50 points lower at 0.3, where the steps become too large", MlpSearchLab.LearningRateSays(lrs));
        Assert.Contains("within seed-to-seed noise", MlpSearchLab.LearningRateSays([(0.03, 0.978), (0.3, 0.975)]));
        Assert.Contains("largest rate tried is also the best", MlpSearchLab.LearningRateSays([(0.03, 0.96), (0.3, 0.97)]));
        Assert.Contains("derivative is at most 1/4", MlpSearchLab.ActivationSays("sigmoid"));
        Assert.Contains("the weakest is tanh, not sigmoid", MlpSearchLab.ActivationSays("tanh"));
        Assert.Contains("ample capacity", MlpSearchLab.WidthSays(101_770, 814_090, 0.4));
        Assert.Contains("the width matters here", MlpSearchLab.WidthSays(101_770, 814_090, 8.4));
        Assert.Contains("the smaller batch (32) came out ahead", MlpSearchLab.BatchSays(32, 0.98, 128, 0.97));
        Assert.Contains("the larger batch (128) came out ahead", MlpSearchLab.BatchSays(32, 0.96, 128, 0.97));
        Assert.Contains("tie", MlpSearchLab.BatchSays(32, 0.97, 128, 0.97));
    }
}
