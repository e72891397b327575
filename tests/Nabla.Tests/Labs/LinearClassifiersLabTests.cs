using System.Text.Json;
using Nabla.Data;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class LinearClassifiersLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-linear-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>n blank 2 x 2 images labelled 0, 1, ..., 9, 0, 1, ...</summary>
    private static ImageDataset Cyclic(int n) =>
        new(new LabeledImages(new byte[n * 4], Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray(), 2, 2), flatten: true);

    [Fact]
    public void Binary_split_draws_500_250_250_fours_and_nines_with_a_fixed_seed()
    {
        ImageDataset train = Cyclic(6000), valid = Cyclic(3000), test = Cyclic(2500);
        var a = LinearClassifiersLab.BinarySplit(train, valid, test, seed: 0);
        var b = LinearClassifiersLab.BinarySplit(train, valid, test, seed: 0);
        var c = LinearClassifiersLab.BinarySplit(train, valid, test, seed: 1);
        foreach (var (subset, source, count) in new[] { (a.Train, train, 500), (a.Valid, valid, 250), (a.Test, test, 250) })
        {
            var s = Assert.IsType<Subset>(subset);
            Assert.Same(source, s.Dataset);                               // each set comes from its own split: disjoint
            Assert.Equal(count, s.Count);
            Assert.Equal(count, s.Indices.ToArray().Distinct().Count());  // without replacement
            Assert.All(s.Indices.ToArray(), i => Assert.Contains(i % 10, new[] { 4, 9 }));
        }
        Assert.Equal(((Subset)a.Train).Indices.ToArray(), ((Subset)b.Train).Indices.ToArray());
        Assert.NotEqual(((Subset)a.Train).Indices.ToArray(), ((Subset)c.Train).Indices.ToArray());
        Assert.Equal(["train", "valid", "test"], a.Counts.Select(c => c.Split));
        Assert.Equal([500, 250, 250], a.Counts.Select(c => c.Fours + c.Nines));

        // 2000 images hold only 400 fours and nines: not enough for 500.
        var e = Assert.Throws<ArgumentException>(() => LinearClassifiersLab.BinarySplit(Cyclic(2000), valid, test, 0));
        Assert.Contains("500", e.Message);
    }

    [Fact]
    public void Binary_losses_and_predictions_match_hand_computations()
    {
        var s = Tensor.FromArray([2f, -1f, 0.5f], 3, 1);                // scores
        var digits = Tensor.FromArray([9, 4, 4], 3);                     // targets 1, 0, 0 (±1: +1, −1, −1)
        var none = Cyclic(10);
        var logistic = ClassifierTask.Binary("logistic", none, none, none, 9, hinge: false);
        var svm = ClassifierTask.Binary("svm", none, none, none, 9, hinge: true);
        // Logistic: log(1 + e^{−s}) for a 9, log(1 + e^{s}) for a 4.
        double bce = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-1)) + Math.Log(1 + Math.Exp(0.5))) / 3;
        Assert.Equal(bce, logistic.Loss(s, digits).Item(), 6);
        // Hinge: max(0, 1 − 2), max(0, 1 − 1), max(0, 1 + 0.5) → mean 0.5.
        Assert.Equal(0.5, svm.Loss(s, digits).Item(), 6);
        Assert.Equal(2, svm.Correct(s, digits));                         // predicted 9, 4, 9
        Assert.Equal(2, logistic.Correct(s, digits));
    }

    [RequiresDataFact]
    public void Quick_run_writes_the_report_table_and_curves()
    {
        var result = LabRegistry.Find("linear-classifiers").Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "binary_loss.png", "binary_accuracy.png", "softmax_loss.png", "softmax_accuracy.png", "width_selection.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        foreach (var task in new[] { "logistic", "svm", "softmax" })
        {
            Assert.InRange(m[$"test_accuracy_{task}_linear"], 0, 1);
            Assert.InRange(m[$"test_accuracy_{task}_hidden"], 0, 1);
            Assert.Contains(m[$"chosen_width_{task}"], task == "softmax" ? new double[] { 32, 128 } : [8, 32]);
        }
        // Even a few epochs of a linear model separate 4 from 9 far better than chance (50 %).
        Assert.InRange(m["test_accuracy_logistic_linear"], 0.8, 1);
        Assert.InRange(m["test_accuracy_svm_linear"], 0.8, 1);
        Assert.InRange(m["test_accuracy_softmax_linear"], 0.6, 1);
        string md = File.ReadAllText(result.ReportPath);
        Assert.Contains("4 vs 9", md);
        Assert.Contains("| logistic regression (4 vs 9) |", md);
    }

    [RequiresDataFact]
    public void Overrides_change_the_widths_and_the_sample_sizes()
    {
        var r = new LinearClassifiersLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["binary-widths"] = "16", ["softmax-widths"] = "64", ["binary-epochs"] = "2", ["binary-train"] = "300", ["softmax-train-images"] = "1000",
        }));
        Assert.Equal(16, r.Metrics["chosen_width_logistic"]);
        Assert.Equal(64, r.Metrics["chosen_width_softmax"]);
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("300/250/250 train/valid/test examples", md);
        Assert.Contains("1,000/1,000/1,000 train/valid/test", md);
    }

    [Fact]
    public void Width_choice_takes_the_best_validation_accuracy_and_the_narrower_on_ties()
    {
        ClassifierFit Fit(int h, double valid) => new("t", h, [0.1], [0.1], [valid], 1, 1);
        Assert.Equal(2, LinearClassifiersLab.ChooseWidth([Fit(0, 0.99), Fit(8, 0.9), Fit(32, 0.95), Fit(128, 0.93)]));
        Assert.Equal(1, LinearClassifiersLab.ChooseWidth([Fit(0, 0.5), Fit(8, 0.95), Fit(32, 0.95)]));
    }

    [Fact]
    public void Prose_rules_follow_the_numbers()
    {
        // ±2 s.e. of a difference of two accuracies near 0.96 on 250 examples ≈ ±3.5 points.
        Assert.Contains("no evidence that the hidden layer helps", LinearClassifiersLab.HiddenLayerSays(0.96, 0.944, 250));
        Assert.Contains("the hidden layer helps", LinearClassifiersLab.HiddenLayerSays(0.923, 0.979, 10_000));
        Assert.Contains("worse with the hidden layer", LinearClassifiersLab.HiddenLayerSays(0.979, 0.923, 10_000));
        Assert.Contains("linearly separable", LinearClassifiersLab.SeparableSays(1.0, 500));
        Assert.Equal("", LinearClassifiersLab.SeparableSays(0.98, 500));
        // √(250·0.96·0.04) ≈ 3.1 examples: a spread of 2 is noise, of 20 is not.
        Assert.Contains("coin toss", LinearClassifiersLab.SelectionSays(2, 250, 0.96, 40));
        Assert.Contains("separates the widths", LinearClassifiersLab.SelectionSays(20, 250, 0.96, 40));
        Assert.Contains("reaches exactly 0", LinearClassifiersLab.LossesSays(0.96, 0.964, 250, 0));
        Assert.Contains("within sampling error", LinearClassifiersLab.LossesSays(0.96, 0.964, 250, 0.01));
        Assert.DoesNotContain("exactly 0", LinearClassifiersLab.LossesSays(0.96, 0.964, 250, 0.01));
        Assert.Contains("differ by +10.0 points", LinearClassifiersLab.LossesSays(0.96, 0.86, 250, 0));
        Assert.Contains("one template", LinearClassifiersLab.TenClassSays(0.923, 0.979, 10_000));
        Assert.Contains("no gain beyond two standard errors", LinearClassifiersLab.TenClassSays(0.86, 0.842, 1000));
    }
}
