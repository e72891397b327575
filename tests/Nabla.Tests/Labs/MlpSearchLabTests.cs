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
        var b = MlpSearchLab.Baseline;
        foreach (var s in MlpSearchLab.Sweeps)
        {
            var changed = new List<string>();
            if (!s.Hidden.SequenceEqual(b.Hidden)) changed.Add("hidden widths");
            if (s.Activation != b.Activation) changed.Add("activation");
            if (s.LearningRate != b.LearningRate) changed.Add("learning rate");
            if (s.BatchSize != b.BatchSize) changed.Add("batch size");
            Assert.Equal(new[] { s.Factor }, changed);
        }
        Assert.Equal(new[] { "activation", "batch size", "hidden widths", "learning rate" }, MlpSearchLab.Sweeps.Select(s => s.Factor).Distinct().Order());
    }

    [RequiresDataFact]
    public void Quick_run_writes_the_report_and_selects_the_best_validation_accuracy()
    {
        var r = new MlpSearchLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "lr_sweep.png", "best_curves.png" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        int settings = (int)r.Metrics["settings"];
        Assert.InRange(settings, 1 + MlpSearchLab.Sweeps.Count, 2 + MlpSearchLab.Sweeps.Count);
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
}
