using Nabla.Data;
using Nabla.Labs;
using Nabla.Models;
using Nabla.NN;
using Nabla.Tests.Data;
using Nabla.Training;

namespace Nabla.Tests.Labs;

public class TrainingPathologiesPartsTests
{
    [Fact]
    public void Derivative_rms_by_hand()
    {
        Assert.Equal(0.25, TrainingPathologiesLab.DerivativeRms("sigmoid", [0.0, 0.0]), 15);
        // σ(ln 3) = 3/4, σ′ = 3/16; with σ′(0) = 1/4: √((1/16 + 9/256)/2).
        Assert.Equal(Math.Sqrt((1.0 / 16 + 9.0 / 256) / 2), TrainingPathologiesLab.DerivativeRms("sigmoid", [0.0, Math.Log(3)]), 14);
        Assert.Equal(Math.Sqrt(0.5), TrainingPathologiesLab.DerivativeRms("relu", [-1.0, 2, 3, -4]), 15);
        Assert.Throws<ArgumentException>(() => TrainingPathologiesLab.DerivativeRms("tanh", [1.0]));
    }

    [Fact]
    public void Measured_and_predicted_factors_by_hand()
    {
        // Three hidden layers: signal 1e-3, 1e-2, 1e-1 (then the output's 1): (1e-3/1e-1)^(1/2) = 0.1.
        // Predicted: √((0.25·gain₁)(0.2·gain₂)) = √(0.25·1 · 0.2·2) = √0.1.
        var p = new GradientProbe(2.3, [1, 1, 1, 1], [1e-3, 1e-2, 1e-1, 1], [0.25, 0.2, 0.9], [7, 1, 2, 9]);
        Assert.Equal(0.1, TrainingPathologiesLab.MeasuredFactor(p), 12);
        Assert.Equal(Math.Sqrt(0.1), TrainingPathologiesLab.PredictedFactor(p), 12);
        Assert.Equal(Math.Sqrt(2), TrainingPathologiesLab.MeanGain(p), 12);
    }

    [Fact]
    public void Probe_reports_the_same_weight_gradients_as_a_plain_backward_and_the_softmax_signal_at_the_output()
    {
        var model = Mlp.Create(new MlpOptions(InputSize: 4, Hidden: [5, 5, 5], Classes: 3, Activation: Nabla.NN.ActivationFunction.Sigmoid), new Generator(3));
        var x = Tensor.Randn([6, 4], generator: new Generator(4));
        var y = Tensor.FromArray(new[] { 0, 1, 2, 0, 1, 2 }, 6);
        var probe = TrainingPathologiesLab.Probe(model, x, y);

        model.ZeroGrad();
        var logits = model.Forward(x);
        logits.CrossEntropy(y).Backward();
        var linears = model.Layers.OfType<Linear>().ToList();
        for (int k = 0; k < linears.Count; k++)
            Assert.Equal(Math.Sqrt(linears[k].Weight.Grad!.ToDoubleArray().Sum(v => v * v)), probe.WeightGrad[k], 6);
        // ∂(mean CE)/∂logits = (softmax − one-hot)/N.
        var p = logits.Softmax(1).ToDoubleArray();
        double sum = 0;
        for (int n = 0; n < 6; n++)
            for (int c = 0; c < 3; c++)
            {
                double g = (p[n * 3 + c] - (c == y.ToArray<int>()[n] ? 1 : 0)) / 6;
                sum += g * g;
            }
        Assert.Equal(Math.Sqrt(sum), probe.SignalGrad[^1], 6);
        Assert.Equal(3, probe.DerivativeRms.Length);
        Assert.All(probe.DerivativeRms, v => Assert.InRange(v, 0, 0.25));
        Assert.Equal(Math.Sqrt(linears[1].Weight.ToDoubleArray().Sum(v => v * v) / 5), probe.Gain[1], 12);
    }

    [Fact]
    public void Scaled_dropout_scales_as_declared_in_each_mode()
    {
        var ones = Tensor.Ones(20_000);
        var textbook = new ScaledDropout(0.5, trainScale: 1) { Generator = new Generator(5) };
        var t = textbook.Forward(ones).ToDoubleArray();
        Assert.All(t, v => Assert.True(v == 0 || v == 1));
        Assert.InRange(t.Average(), 0.48, 0.52);                       // E[x ⊙ m] = (1 − p)·x
        var inverted = new ScaledDropout(0.5, trainScale: 2) { Generator = new Generator(5) };
        var i = inverted.Forward(ones).ToDoubleArray();
        Assert.All(i, v => Assert.True(v == 0 || v == 2));
        Assert.InRange(i.Average(), 0.96, 1.04);
        Assert.Equal(0.5, textbook.ExpectedTrainFactor);
        Assert.Equal(1, inverted.ExpectedTrainFactor);
        textbook.Eval();
        textbook.EvalScale = 0.5;
        Assert.All(textbook.Forward(ones).ToDoubleArray(), v => Assert.Equal(0.5, v));
        textbook.KeepOnInEval = true;
        Assert.Contains(0.0, textbook.Forward(ones).ToDoubleArray());
    }

    [Fact]
    public void Windowed_loss_averages_windows_and_flushes_at_epoch_ends()
    {
        var w = new TrainingPathologiesLab.WindowedLoss(2);
        foreach (var (b, l) in new[] { (1, 1.0), (2, 3.0), (3, 5.0) }) w.OnBatchEnd(0, b, l, 0);
        w.OnEpochEnd(new EpochRecord(1, 3, 0, 0, 0, 0.1, 1, 1));
        w.OnBatchEnd(1, 1, 7, 0);
        w.Flush();
        Assert.Equal([2.0, 5.0, 7.0], w.Points);
        Assert.Equal([2, 3, 4], w.Steps);
    }
}

public class TrainingPathologiesRuleTests
{
    [Fact]
    public void Decay_rule_has_three_branches()
    {
        string sigma = TrainingPathologiesLab.DecaySays(0.23, 0.235, 0.235, 1.0, 12);
        Assert.Contains("the decay is σ′'s", sigma);
        Assert.Contains("at most ¼", sigma);
        Assert.Contains("does not account", TrainingPathologiesLab.DecaySays(0.05, 0.235, 0.235, 1.0, 12));
        Assert.Contains("no marked decay", TrainingPathologiesLab.DecaySays(0.8, 0.8, 0.235, 3.4, 12));
    }

    [Fact]
    public void Relu_saturation_and_stuck_rules()
    {
        Assert.Contains("keeps its signal", TrainingPathologiesLab.ReluKeepsSays(1.02, 1.01));
        Assert.Contains("also changes", TrainingPathologiesLab.ReluKeepsSays(0.3, 1.01));
        Assert.Contains("toward saturation", TrainingPathologiesLab.SaturationSays(0.23, 0.15));
        Assert.Contains("did not saturate", TrainingPathologiesLab.SaturationSays(0.23, 0.22));
        Assert.Contains("still near chance (11.35%", TrainingPathologiesLab.StuckSays(0.1135, 0.96, 3));
        Assert.Contains("does better than the sigmoid network", TrainingPathologiesLab.StuckSays(0.8, 0.96, 3));
    }

    [Fact]
    public void Dropout_rules_follow_the_numbers()
    {
        var right = new DropoutRow("inv", "y = x", "inverted_identity", true, 1, 0.87, 0.98, 0.07, 0.98, 0.07);
        var lossOnly = new DropoutRow("inv", "y = (1 − p)·x", "inverted_scaled", false, 0.5, 0.22, 0.978, 0.2, 0.978, 0.2);
        string s = TrainingPathologiesLab.MismatchSays("y = (1 − p)·x", lossOnly, "y = x", right, 2);
        Assert.Contains("close to 0.5^2 = 0.25", s);
        Assert.Contains("Accuracy hides most of it", s);
        var costly = lossOnly with { ValidationAccuracy = 0.9, MeasuredRatio = 0.6 };
        string c = TrainingPathologiesLab.MismatchSays("y = (1 − p)·x", costly, "y = x", right, 2);
        Assert.Contains("costs 8 points", c);
        Assert.DoesNotContain("close to", c);
        var helps = lossOnly with { ValidationLoss = 0.05, ValidationAccuracy = 0.981 };
        Assert.Contains("over-confident", TrainingPathologiesLab.MismatchSays("y = (1 − p)·x", helps, "y = x", right, 2));
        var same = lossOnly with { ValidationLoss = 0.071, ValidationAccuracy = 0.98 };
        Assert.Contains("barely matters", TrainingPathologiesLab.MismatchSays("y = (1 − p)·x", same, "y = x", right, 2));
        Assert.Contains("Jensen", TrainingPathologiesLab.JensenSays(0.87, 0.84));
        Assert.Contains("within 5 %", TrainingPathologiesLab.JensenSays(0.99, 1.02));
    }

    [Fact]
    public void Divergence_rules_follow_the_numbers()
    {
        string fell = TrainingPathologiesLab.HighRunSays([1.0, 0.5, 0.4, 0.9, 3], [50, 100, 150, 200, 250], true, 2, 100);
        Assert.Contains("first falls, from 1 in the first window to 0.4 at batch 150 (epoch 1.5)", fell);
        Assert.Contains("NaN/∞ in epoch 2", fell);
        Assert.Contains("diverges at once", TrainingPathologiesLab.HighRunSays([2.0, 5, 30], [1, 2, 3], true, 1, 10));
        Assert.Contains("does not show the pathology", TrainingPathologiesLab.HighRunSays([2.0, 1, 0.5], [1, 2, 3], false, 0, 10));
        Assert.Contains("still diverges (epoch 3)", TrainingPathologiesLab.FixSays("clipping", true, 3, double.NaN, double.NaN));
        Assert.Contains("does not diverge", TrainingPathologiesLab.FixSays("clipping", false, 0, 0.1, 0.97));
        Assert.Contains("batch norm ends with the best", TrainingPathologiesLab.BestFixSays([("lower", 0.97), ("batch norm", 0.98), ("clip", double.NaN)]));
        Assert.Contains("None of the fixes", TrainingPathologiesLab.BestFixSays([("clip", double.NaN)]));
        Assert.Contains("treats the explosion", TrainingPathologiesLab.ClipSays(false, 0.3, 0.05));
        Assert.Contains("about as well", TrainingPathologiesLab.ClipSays(false, 0.06, 0.05));
        Assert.Contains("did not stop", TrainingPathologiesLab.ClipSays(true, double.NaN, 0.05));
    }
}

public class TrainingPathologiesEnsembleTests
{
    // One input feature x = 1, dropout p = ½ (inverted: the input becomes 0 or 2), Linear 1 → 2 with w = (1, −1), b = 0.
    // Scaled net: logits (1, −1) → p₀ = σ(2). Thinned nets: logits (0, 0) → p₀ = ½, or (2, −2) → p₀ = σ(4), each with
    // probability ½, so the average of many masks tends to p̄₀ = (½ + σ(4))/2 and TV(p̄, p_scaled) = |p̄₀ − σ(2)|.
    private static (Sequential Model, TensorDataset Data) Tiny(double p)
    {
        var linear = new Linear(1, 2);
        using (GradMode.NoGrad())
        {
            linear.Weight.SetAt(1.0, 0, 0);
            linear.Weight.SetAt(-1.0, 1, 0);
            linear.Bias!.Fill_(0);
        }
        var model = new Sequential(new ScaledDropout(p, 1 / (1 - p)), linear);
        const int n = 1000;
        var data = new TensorDataset(Tensor.Ones(n, 1), Tensor.FromArray(new int[n], n));
        return (model, data);
    }

    private static double Sigma(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void Average_of_thinned_networks_matches_the_two_mask_calculation()
    {
        var (model, data) = Tiny(0.5);
        var e = TrainingPathologiesLab.MaskEnsemble(model, data, 200, new Generator(7));
        Assert.Equal(1000, e.Images);
        Assert.Equal([1, 2, 5, 10, 20, 50, 100, 200], e.Rows.Select(r => r.Masks));
        Assert.Equal(1, e.ScaledAccuracy);
        Assert.All(e.Rows, r => Assert.Equal(1, r.ArgmaxAgreement));   // every member's p₀ ≥ ½
        // K = 1: E|p₀ − σ(2)| = ½(σ(2) − ½) + ½(σ(4) − σ(2)) over 1000 images (sd ≈ 0.004).
        double one = 0.5 * (Sigma(2) - 0.5) + 0.5 * (Sigma(4) - Sigma(2));
        Assert.Equal(one, e.Rows[0].MeanTotalVariation, 0.02);
        // K = 200: p̄₀ ≈ (½ + σ(4))/2 = 0.741, below σ(2) = 0.881 for every image.
        Assert.Equal(Sigma(2) - (0.5 + Sigma(4)) / 2, e.Rows[^1].MeanTotalVariation, 0.01);
        Assert.False(model.Layers.OfType<ScaledDropout>().Single().KeepOnInEval);   // settings restored
    }

    [Fact]
    public void Without_dropout_the_ensemble_is_the_scaled_network()
    {
        var (model, data) = Tiny(0);
        var e = TrainingPathologiesLab.MaskEnsemble(model, data, 3, new Generator(7));
        Assert.Equal([1, 2, 3], e.Rows.Select(r => r.Masks));
        Assert.All(e.Rows, r => Assert.Equal(0, r.MeanTotalVariation, 1e-7));
    }

    [Fact]
    public void Ensemble_and_gap_sentences_follow_the_numbers()
    {
        var close = new EnsembleCheck(100, 0.97, [new EnsembleRow(1, 0.95, 0.96, 0.05), new EnsembleRow(50, 0.97, 0.995, 0.01)]);
        Assert.Contains("falls from 0.05 (K = 1) to 0.01 (K = 50)", TrainingPathologiesLab.EnsembleSays(close));
        Assert.Contains("co-adaptation", TrainingPathologiesLab.EnsembleSays(close));
        var loose = close with { Rows = [new EnsembleRow(1, 0.9, 0.9, 0.05), new EnsembleRow(50, 0.9, 0.9, 0.06)] };
        Assert.Contains("does not bring", TrainingPathologiesLab.EnsembleSays(loose));
        Assert.Contains("loose approximation", TrainingPathologiesLab.EnsembleSays(loose));
        var without = new DropoutGapRow("no dropout", 1.0, 0.01, 0.97, 0.12);
        var with = new DropoutGapRow("dropout", 0.99, 0.03, 0.98, 0.07);
        Assert.Contains("Dropout narrows the gap", TrainingPathologiesLab.GapSays(without, with));
        Assert.Contains("does not narrow", TrainingPathologiesLab.GapSays(with, without));
        Assert.Contains("disagree", TrainingPathologiesLab.GapSays(without, with with { TrainAccuracy = 1.0, ValidationAccuracy = 0.9 }));
    }
}

public class TrainingPathologiesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-patho-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact]
    public void Quick_run_shows_the_three_pathologies()
    {
        var r = new TrainingPathologiesLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "layer_gradients.png", "dropout_loss.png", "divergence.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        var m = r.Metrics;
        // (a) σ′ ≤ ¼ and Glorot gains ≈ 1 bound the sigmoid factor near ¼; He keeps ReLU's near 1.
        Assert.InRange(m["sigmoid_factor_init"], 0, 0.3);
        Assert.InRange(m["relu_factor_init"], 0.6, 1.6);
        Assert.True(m["sigmoid_first_over_output_init"] < 0.01 * m["relu_first_over_output_init"]);
        // (c) the quick rate diverges (the Trainer's guard), a ten times smaller one does not.
        Assert.Equal(1, m["high_diverged"]);
        Assert.Equal(0, m["lower_diverged"]);
        Assert.True(double.IsNaN(m["high_test_accuracy"]));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("| too large a rate | η = 0.5 | yes | 1 |", md);
        Assert.Contains("784-64-64-64-64-64-64-10", md);
        // Workbook Q8a: K = 50 thinned networks averaged; the average is closer to the scaled network than one mask is.
        Assert.Equal(50, m["q8a_ensemble_masks"]);
        Assert.True(m["q8a_ensemble_mean_tv"] < m["q8a_single_mask_mean_tv"]);
        Assert.InRange(m["q8a_ensemble_argmax_agreement"], 0.8, 1);
        Assert.Contains("## (b′) Why dropout regularises", md);
    }
}
