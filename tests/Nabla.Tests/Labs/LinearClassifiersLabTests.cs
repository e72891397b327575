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
        Assert.Contains("fours", a.Counts);

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
}
