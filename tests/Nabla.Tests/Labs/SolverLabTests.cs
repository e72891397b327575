using System.Text.Json;
using Nabla.Course;
using Nabla.Course.Models;
using Nabla.Data;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class SolverLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-solver-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>n 28×28 images labelled 0, 1, …, 9, 0, …; image i carries i in its first two pixels (i mod 256, i / 256).</summary>
    private static ImageDataset Cyclic(int n)
    {
        var pixels = new byte[n * 784];
        for (int i = 0; i < n; i++) (pixels[i * 784], pixels[i * 784 + 1]) = ((byte)(i % 256), (byte)(i / 256));
        return new ImageDataset(new LabeledImages(pixels, Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray(), 28, 28));
    }

    /// <summary>The source indices of the rows of a split (decoded from the first two pixels).</summary>
    private static int[] SourceRows(SolverLabData.Split s)
    {
        var x = s.X.ToArray<float>();
        return Enumerable.Range(0, s.Count).Select(i => (int)Math.Round(x[i * 784] * 255) + 256 * (int)Math.Round(x[i * 784 + 1] * 255)).ToArray();
    }

    [Fact]
    public void Binary_split_draws_500_250_250_fours_and_nines_without_replacement_with_a_fixed_seed()
    {
        ImageDataset train = Cyclic(6000), val = Cyclic(3000), test = Cyclic(2500);
        var a = SolverLabData.Binary(train, val, test, seed: 0);
        var b = SolverLabData.Binary(train, val, test, seed: 0);
        var c = SolverLabData.Binary(train, val, test, seed: 1);
        foreach (var (split, count) in new[] { (a.Train, 500), (a.Val, 250), (a.Test, 250) })
        {
            Assert.Equal([count, 1, 28, 28], split.X.Shape.ToArray());
            var rows = SourceRows(split);
            Assert.Equal(count, rows.Distinct().Count());                                  // without replacement
            var labels = split.Y.ToArray<int>();
            for (int i = 0; i < count; i++)
            {
                Assert.Contains(rows[i] % 10, new[] { 4, 9 });                            // only fours and nines
                Assert.Equal(rows[i] % 10 == 9 ? 1 : 0, labels[i]);                       // 9 → 1, 4 → 0
            }
        }
        Assert.Equal(SourceRows(a.Train), SourceRows(b.Train));
        Assert.NotEqual(SourceRows(a.Train), SourceRows(c.Train));
        Assert.Contains("fours", a.Description);

        // 2,000 images hold only 400 fours and nines: not enough for 500.
        var e = Assert.Throws<ArgumentException>(() => SolverLabData.Binary(Cyclic(2000), val, test, 0));
        Assert.Contains("500", e.Message);
    }

    [Fact]
    public void Choose_takes_the_first_highest_validation_accuracy()
    {
        Assert.Equal(1, SolverLabSearching.Choose([0.90, 0.95, 0.95, 0.10]));
        Assert.Equal(0, SolverLabSearching.Choose([0.5]));
        Assert.Equal(2, SolverLabSearching.Choose([0.1, 0.2, 0.3]));
        Assert.Throws<ArgumentException>(() => SolverLabSearching.Choose([]));
    }

    /// <summary>A model that ignores its input: constant scores (predicts class 0) and zero gradients.</summary>
    private sealed class Constant : ILossModel
    {
        public IDictionary<string, Tensor> Params { get; } = new Dictionary<string, Tensor> { ["W1"] = Tensor.Zeros([4, 1]) };

        public Tensor Scores(Tensor x) => Tensor.Full([x.Shape[0]], -1f);

        public (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y) => (1.0, new() { ["W1"] = Tensor.Zeros([4, 1]) });
    }

    /// <summary>A separable binary problem in 4 dimensions: label 1 iff x0 + x1 &gt; 0.</summary>
    private static SolverLabData.Split Blobs(int n, ulong seed)
    {
        var x = Tensor.Randn([n, 4], 0, 1, DType.Float32, new Generator(seed));
        var v = x.ToArray<float>();
        var y = Enumerable.Range(0, n).Select(i => v[i * 4] + v[i * 4 + 1] > 0 ? 1 : 0).ToArray();
        return new SolverLabData.Split(x, Tensor.Wrap(y, [n]));
    }

    [Fact]
    public void Search_picks_the_best_validation_accuracy_and_the_test_set_scores_each_final_model_once()
    {
        var (train, val, big) = (Blobs(200, 1), Blobs(100, 2), Blobs(400, 4));
        var data = new SolverData(train.X, train.Y, val.X, val.Y);
        var options = SolverLab.Options(5e-2, 1.0, 20, 10);
        SolverLabCandidate[] candidates =
        [
            new("constant", _ => new Constant()),
            new("logistic", seed => new LogisticClassifier(4, null, 1e-2, 0, DType.Float32, seed)),
        ];
        var (search, fits) = SolverLabSearching.Search("toy", "toy search", "200 points", candidates, data, options, 3, TextWriter.Null);
        Assert.Equal(1, search.Chosen);
        Assert.Equal(["constant", "logistic"], search.Trials.Select(t => t.Setting));
        Assert.InRange(search.Trials[1].ValAcc, 0.9, 1.0);                             // the problem is linearly separable
        Assert.Equal(search.Trials[0].ValAcc, val.Y.ToArray<int>().Count(v => v == 0) / 100.0, 9);   // "always 0"
        Assert.Equal(100, search.ValCount);

        var test = new SolverLabTestSet(Blobs(100, 3));
        var reused = SolverLabSearching.Finish("logistic", "Q", search, candidates, fits, 3, null, options, test, TextWriter.Null);
        Assert.False(reused.Retrained);
        Assert.Equal(search.Winner.ValAcc, reused.BestValAcc);
        Assert.Equal(reused.BestValAcc, reused.RestoredValAcc);                        // the Solver restored the best parameters
        Assert.Equal(11, reused.ValAccHistory.Count);                                  // epoch 0 and 10 epoch ends
        Assert.Equal(10 * 10, reused.LossHistory.Count);                               // 200 / 20 iterations per epoch
        Assert.Equal(1, test.Evaluations);
        var again = Assert.Throws<InvalidOperationException>(() => test.Score("toy", fits[1].Solver));
        Assert.Contains("already used", again.Message);

        var retrained = SolverLabSearching.Finish("logistic", "Q", search with { Key = "toy-2" }, candidates, fits, 3,
            new SolverData(big.X, big.Y, val.X, val.Y), SolverLab.Options(5e-2, 1.0, 20, 2), test, TextWriter.Null);
        Assert.True(retrained.Retrained);
        Assert.Equal((400, 2, 2 * 20), (retrained.TrainCount, retrained.Epochs, retrained.LossHistory.Count));
        Assert.Equal(2, test.Evaluations);
    }

    private static SolverLabTrial Trial(string s, double val) => new(s, val, 1.0, 3, 1.0);

    private static SolverLabFinal Final(string key, double test, double train = 1.0, bool bn = false, int bestEpoch = 2, double restored = 0.99) =>
        new(key, key == "cnn-dropout-bn" ? "CNN with dropout + batch norm" : key, "Q5", "setting", true, 54000, 2, 6000, 0.99, restored, test, 10000,
            bestEpoch, train, [2.0, 1.0, 0.5, 0.25], [0.1, 0.9, 0.95], [0.1, 0.9, 0.99], 2, bn, 10);

    [Fact]
    public void Winner_sentence_follows_the_margin_over_the_runner_up()
    {
        // p ≈ 0.9 on 6,000 images: one standard error of a difference is √(2·0.09/6000) ≈ 0.55 points.
        var close = new SolverLabSearch("s", "t", "b", 6000, [Trial("a", 0.900), Trial("b", 0.903)], 1);
        Assert.Contains("b wins with 90.30 %", SolverLab.WinnerSentence(close));
        Assert.Contains("18 of 6,000 validation images apart, within one standard error", SolverLab.WinnerSentence(close));
        var clear = close with { Trials = [Trial("a", 0.90), Trial("b", 0.92)] };
        Assert.Contains("more than one standard error", SolverLab.WinnerSentence(clear));
        var tie = close with { Trials = [Trial("a", 0.90), Trial("b", 0.90)], Chosen = 0 };
        Assert.Contains("a tie", SolverLab.WinnerSentence(tie));
        Assert.StartsWith("Only one setting", SolverLab.WinnerSentence(close with { Trials = [Trial("a", 0.9)], Chosen = 0 }));
    }

    [Fact]
    public void Bar_restore_and_shortfall_sentences_follow_the_numbers()
    {
        Assert.Contains("meets the bar of 99 %", SolverLab.BarSentence(Final("cnn-dropout-bn", 0.9912)));
        Assert.Contains("does not meet the bar of 98.5 %", SolverLab.BarSentence(Final("cnn", 0.9849)));

        Assert.Equal("", SolverLab.RestoreSentence(Final("cnn", 0.99, bestEpoch: 1)));                     // no batch norm
        Assert.Equal("", SolverLab.RestoreSentence(Final("cnn-dropout-bn", 0.99, bn: true, bestEpoch: 2)));  // best check = last
        var moved = SolverLab.RestoreSentence(Final("cnn-dropout-bn", 0.99, bn: true, bestEpoch: 1, restored: 0.985));
        Assert.Contains("running statistics", moved);
        Assert.Contains("scores 98.50 % on validation instead of the 99.00 %", moved);
        Assert.Contains("changed nothing", SolverLab.RestoreSentence(Final("cnn-dropout-bn", 0.99, bn: true, bestEpoch: 1, restored: 0.99)));

        Assert.Contains("more capacity", SolverLab.ShortfallSentence(Final("cnn-dropout-bn", 0.988, train: 0.999)));
        Assert.Contains("misses the 99.00 % bar by 0.20 points", SolverLab.ShortfallSentence(Final("cnn-dropout-bn", 0.988, train: 0.999)));
        Assert.Contains("has not fit its training images", SolverLab.ShortfallSentence(Final("cnn-dropout-bn", 0.988, train: 0.98)));

        var met = new SolverLabResult("", "", "", [], [Final("cnn", 0.986), Final("cnn-dropout-bn", 0.9905)], 2, 1);
        Assert.DoesNotContain("misses", SolverLab.Discussion(met));
        // 0.45 points apart on 10,000 test images, one standard error of the difference ≈ 0.15 points.
        Assert.Contains("CNN with dropout + batch norm (99.05 %) does better than the cnn (98.6 %)", SolverLab.Discussion(met));
        var near = met with { Finals = [Final("cnn", 0.9900), Final("cnn-dropout-bn", 0.9910)] };
        Assert.Contains("no clear difference", SolverLab.Discussion(near));
        var missed = met with { Finals = [Final("cnn", 0.970), Final("cnn-dropout-bn", 0.9850)] };
        Assert.Contains("misses the 99.00 % bar", SolverLab.Discussion(missed));
        Assert.Contains("CNN with dropout + batch norm (98.5 %) does better than the cnn (97 %)", SolverLab.Discussion(missed));
    }

    [Fact]
    public void He_init_redraws_each_weight_with_std_sqrt_2_over_fan_in_and_keeps_biases_and_batch_norm_parameters()
    {
        var model = SolverLab.HeInit(new ThreeLayerConvNet(numFilters: 16, filterSize: 5, hiddenDim: 200, batchNorm: true, seed: 1), 1);
        foreach (var (name, fanIn) in new[] { ("W1", 1 * 5 * 5), ("W2", 16 * 14 * 14), ("W3", 200) })
        {
            var w = model.Params[name].ToDoubleArray();
            double std = Math.Sqrt(w.Sum(v => v * v) / w.Length);
            Assert.InRange(std / Math.Sqrt(2.0 / fanIn), 0.85, 1.15);   // 400 to 627,200 draws
            Assert.InRange(w.Average(), -0.2 * std, 0.2 * std);
        }
        Assert.All(model.Params["b2"].ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.All(model.Params["gamma1"].ToDoubleArray(), v => Assert.Equal(1, v));
        Assert.Equal(model.Params["W2"].ToDoubleArray(), SolverLab.HeInit(new ThreeLayerConvNet(numFilters: 16, filterSize: 5, hiddenDim: 200, batchNorm: true, seed: 1), 1).Params["W2"].ToDoubleArray());
    }

    [Fact]
    public void The_report_discloses_that_the_full_cnn_budgets_were_set_after_a_run_with_known_test_scores()
    {
        Assert.Contains("not made on validation alone", SolverLab.BudgetNote(SolverLabSettings.Full));
        Assert.Equal("", SolverLab.BudgetNote(SolverLabSettings.Quick));
        Assert.Equal("", SolverLab.BudgetNote(SolverLabSettings.Full with { BnEpochs = 5 }));
    }

    [Fact]
    public void Full_settings_search_at_least_two_settings_per_question_and_meet_the_homework_sizes()
    {
        var f = SolverLabSettings.Full;
        Assert.True(f.BinaryRegs.Length >= 2 && f.BinaryHidden.Length >= 2 && f.SoftmaxRegs.Length >= 2 && f.SoftmaxHidden.Length >= 2);
        Assert.True(f.CnnFilterSizes.Length >= 2 && f.CnnHidden.Length >= 2, "Q5.3 searches filter size and hidden width");
        Assert.True(f.BnDropouts.Length >= 2 && f.BnFilters.Length * f.BnHidden.Length >= 2, "Q5.4 searches architecture and dropout");
        Assert.All(f.CnnFilterSizes, k => Assert.Equal(1, k % 2));    // odd sizes keep 28×28 with padding (k − 1)/2
        Assert.Null(f.TrainImages);                                    // all 54,000 training images
        Assert.Null(f.ValImages);                                      // all 6,000 held out (1/10)
        Assert.Null(f.TestImages);
    }

    [RequiresDataFact]
    public void Quick_run_chooses_on_validation_scores_test_once_per_final_model_and_writes_the_report()
    {
        var lab = new SolverLab();
        var ctx = new LabContext(_dir, Quick: true, Log: new StringWriter());
        var result = lab.Experiment(lab.Quick, new LabKit(ctx, lab.Name));
        string[] keys = ["logistic", "logistic-hidden", "svm", "svm-hidden", "softmax", "softmax-hidden", "cnn", "cnn-dropout-bn"];
        Assert.Equal(keys, result.Finals.Select(f => f.Key));
        Assert.Equal(keys, result.Searches.Select(s => s.Key));
        Assert.Equal(keys.Length, result.TestEvaluations);
        var q = lab.Quick;
        int[] gridSizes = [q.BinaryRegs.Length, q.BinaryHidden.Length, q.BinaryRegs.Length, q.BinaryHidden.Length, q.SoftmaxRegs.Length,
            q.SoftmaxHidden.Length, q.CnnFilterSizes.Length * q.CnnHidden.Length, q.BnFilters.Length * q.BnHidden.Length * q.BnDropouts.Length];
        Assert.Equal(gridSizes, result.Searches.Select(s => s.Trials.Count));
        foreach (var (search, final) in result.Searches.Zip(result.Finals))
        {
            Assert.Equal(SolverLabSearching.Choose(search.Trials.Select(t => t.ValAcc).ToList()), search.Chosen);
            Assert.Equal(search.Winner.Setting, final.Setting);
            Assert.InRange(final.TestAcc, 0, 1);
            Assert.Equal(final.ValAccHistory.Max(), final.BestValAcc);
        }
        // Even a few epochs of a linear model separate 4 from 9 far better than chance.
        Assert.InRange(result.Finals[0].TestAcc, 0.8, 1);
        Assert.All(result.Finals.Take(4), f => Assert.False(f.Retrained));       // 4 vs 9: the searched fit is the final one
        Assert.All(result.Finals.Skip(6), f => Assert.True(f.Retrained));        // CNNs: searched on a subset, retrained
        string cnnFilter = result.Finals[6].Setting.Split(',')[0];                   // "filter k×k": Q5.4 keeps Q5.3's choice
        Assert.Contains($"{cnnFilter} from Q5.3", result.Searches[7].Title);

        var report = new LabReport(lab.Name, lab.Title, ctx);
        lab.Report(report, q, result);
        var saved = report.Save(ctx);
        string md = File.ReadAllText(saved.ReportPath);
        Assert.Contains("data.pkl", md);
        Assert.Contains($"{keys.Length} test scorings for {keys.Length} final models", md);
        foreach (var k in keys)
        {
            Assert.True(File.Exists(Path.Combine(_dir, $"{k}_loss.png")), $"{k}_loss.png is missing");
            Assert.True(File.Exists(Path.Combine(_dir, $"{k}_accuracy.png")), $"{k}_accuracy.png is missing");
        }
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(result.Finals[5].TestAcc, m["test_accuracy_softmax-hidden"]);
        Assert.Equal(keys.Length, m["test_evaluations"]);
    }
}
