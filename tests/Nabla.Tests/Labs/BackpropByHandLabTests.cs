using Nabla.Course;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class BackpropByHandLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-bbh-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact]
    public void Quick_run_checks_the_gradients_and_trains_each_network_in_step_with_its_autograd_twin()
    {
        var lab = new BackpropByHandLab();
        var r = lab.Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "loss.png", "validation.png" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        var m = r.Metrics;
        // float64 on real data: explicit = autograd to rounding; both = finite differences to their O(ε²) + round-off error.
        Assert.True(m["grad_max_rel_explicit_vs_autograd"] <= 1e-12, $"explicit vs autograd {m["grad_max_rel_explicit_vs_autograd"]:E2}");
        Assert.True(m["grad_max_rel_explicit_vs_numeric"] <= 1e-6, $"explicit vs finite differences {m["grad_max_rel_explicit_vs_numeric"]:E2}");
        foreach (var key in new[] { "ift6135", "24789_normal", "24789_glorot" })
        {
            // Same weights, same batches, same SGD: over the first steps the float32 curves differ by rounding only, and
            // in float64 explicit backprop and autograd agree to ~1e-15 relative per step.
            Assert.True(m[$"max_rel_loss_diff_early_{key}"] <= 1e-4, $"{key}: max relative loss difference {m[$"max_rel_loss_diff_early_{key}"]:E2}");
            Assert.True(m[$"control_max_rel_loss_diff_{key}"] <= 1e-10, $"{key}: float64 control {m[$"control_max_rel_loss_diff_{key}"]:E2}");
            Assert.True(Math.Abs(m[$"test_accuracy_{key}"] - m[$"twin_test_accuracy_{key}"]) <= 0.002, key);
        }
        Assert.True(m["test_accuracy_ift6135"] > 0.8, $"IFT6135 quick test accuracy {m["test_accuracy_ift6135"]:P1}");   // 2 epochs on 3,000 images
        string md = File.ReadAllText(r.ReportPath);
        Assert.StartsWith("# Backprop by hand", md);
        Assert.Contains("smoke run", md.Split('\n')[0]);
        Assert.Contains("agree with autograd to float64 rounding", md);
        Assert.Contains("in float64 the first 30 steps agree to", md);
        Assert.Contains("| IFT6135 | W1 | 128×784 |", md);
        Assert.Contains("| 24789 (N(0,1) init) | b3 | 10 |", md);
    }

    private static HandGradError E(double rel, double abs = 1e-12) => new("w", 10, abs, rel, 1);

    private static BackpropGradRow Row(double auto, double fd, double autoFd) => new("net", "W1", "2×2", E(auto), E(fd), E(autoFd));

    [Fact]
    public void Gradient_sentence_follows_the_errors()
    {
        string ok = BackpropByHandLab.GradSentence([Row(1e-16, 1e-9, 1e-9), Row(3e-16, 2e-9, 2e-9)]);
        Assert.Contains("agree with autograd to float64 rounding in every tensor (largest relative error 3.0e-16", ok);
        Assert.Contains("within the differences' own error", ok);
        Assert.Contains("close, but not to rounding", BackpropByHandLab.GradSentence([Row(1e-8, 1e-9, 1e-9)]));
        Assert.Contains("DISAGREE with autograd", BackpropByHandLab.GradSentence([Row(0.3, 1e-9, 1e-9)]));
        // Explicit = autograd, both far from the finite differences: a kink inside ±ε, not a backward error.
        Assert.Contains("the finite differences are the ones off", BackpropByHandLab.GradSentence([Row(1e-16, 0.2, 0.2)]));
        Assert.Contains("a backward error", BackpropByHandLab.GradSentence([Row(1e-16, 0.2, 1e-9)]));
    }

    private static BackpropRun Run(string network, double[] explicitLosses, double[] twinLosses, double testAcc = 0.9, double z1Std = 1,
        double[]? trainLoss = null, double controlRel = 1e-15, int controlSteps = 1, double controlFirst10 = double.NaN)
    {
        var epochs = (trainLoss ?? [1.0]).Select((l, i) => new HandMlpEpoch(i + 1, l, l, 0.9, l, 0.98, 1)).ToList();
        return new BackpropRun("k", network, "Glorot", "twin", 100, new HandMlpHistory(explicitLosses, epochs), twinLosses, epochs.Select(_ => 0.9).ToList(),
            0.1, testAcc, testAcc, 1, 1, z1Std, new LossDifference(controlSteps, controlRel, controlRel, 0, double.IsNaN(controlFirst10) ? controlRel : controlFirst10));
    }

    [Fact]
    public void Loss_difference_measures_absolute_relative_and_the_first_step_beyond_a_tenth_of_a_percent()
    {
        // |Δ| = 0, 1e-4, 0.5 against 1, 1, 2 → relative 0, 1e-4, 0.25; the third step is the first above 1e-3.
        var d = LossDifference.Of([1.0, 1.0001, 2.5], [1.0, 1.0, 2.0]);
        Assert.Equal((3, 0.5, 0.25, 3, 0.25), (d.Steps, d.MaxAbs, d.MaxRel, d.FirstStepAbove1e3, d.MaxRelFirst10));
        var late = LossDifference.Of(Enumerable.Repeat(1.0, 10).Append(2.0).ToList(), Enumerable.Repeat(1.0, 11).ToList());
        Assert.Equal((1.0, 0.0, 11), (late.MaxRel, late.MaxRelFirst10, late.FirstStepAbove1e3));   // step 11 is outside the first 10
        Assert.True(double.IsNaN(LossDifference.Of([double.NaN], [1.0]).MaxRel));
    }

    [Fact]
    public void Twin_sentence_separates_float32_drift_from_a_different_computation()
    {
        // All steps within 1e-4 relative: |2.0 − 2.0001| / 2.0001 = 5.0e-5.
        Assert.Contains("coincide to float32 rounding", BackpropByHandLab.TwinSentence(Run("n", [2.0, 1.0], [2.0001, 1.0])));
        // Step 1 agrees (0), step 2 differs by 0.5 / 1 = 50 % in float32, but the float64 control agrees: drift from rounding.
        string drift = BackpropByHandLab.TwinSentence(Run("n", [1.0, 1.5], [1.0, 1.0], controlSteps: 1));
        Assert.Contains("over the first 1 steps the float32 batch losses differ by at most 0 relative, and from step 2 of 2 on by more than 0.1 %", drift);
        Assert.Contains("explicit backprop and autograd compute the same updates", drift);
        // The float64 control drifts too but agrees over its first 10 steps: rounding amplified even from float64.
        string fast = BackpropByHandLab.TwinSentence(Run("n", [1.0, 1.5], [1.0, 1.0], controlRel: 3e-3, controlSteps: 300, controlFirst10: 5e-15));
        Assert.Contains("even in float64 they reach 3.0e-3 relative within 300 steps", fast);
        Assert.Contains("first 10 steps agree to 5.0e-15", fast);
        // The float64 control disagrees from the start: not the same computation.
        Assert.Contains("not the same computation", BackpropByHandLab.TwinSentence(Run("n", [1.5], [1.0], controlRel: 1e-3)));
        Assert.Contains("cannot be compared", BackpropByHandLab.TwinSentence(Run("n", [double.NaN], [1.0])));
    }

    [Fact]
    public void Template_init_sentence_says_whether_the_standard_normal_fails_and_why_only_when_units_saturate()
    {
        var normal = Run("24789 784-512-256-10 Sigmoid", [1.0], [1.0], testAcc: 0.90, z1Std: 28.6);
        var glorot = Run("24789 784-512-256-10 Sigmoid", [1.0], [1.0], testAcc: 0.97, z1Std: 1.3);
        string s = BackpropByHandLab.TemplateInitSentence(normal, glorot);
        Assert.Contains("misses the template's top band (test error < 5 %): its test error is 10.00 %", s);
        Assert.Contains("Glorot init (97 %) does better than standard-normal init (90 %)", s);
        Assert.Contains("standard deviation of 28.6", s);
        var good = Run("24789 784-512-256-10 Relu", [1.0], [1.0], testAcc: 0.96, z1Std: 28.6);
        string t = BackpropByHandLab.TemplateInitSentence(good, glorot with { TestAccuracy = 0.962 });
        Assert.Contains("reaches the template's top band", t);
        Assert.Contains("no clear difference", t);
        Assert.DoesNotContain("saturated", t);   // ReLU units do not saturate
        Assert.Contains("diverges", BackpropByHandLab.TemplateInitSentence(Run("x Sigmoid", [double.NaN], [1.0]), glorot));
    }

    [Fact]
    public void Ift_sentence_applies_the_97_percent_validation_bar()
    {
        var met = Run("IFT6135", [1.0], [1.0], trainLoss: [0.3, 0.1]);   // validation accuracy 98 % in every epoch
        Assert.Contains("(98 %) meets the bar of 97 %", BackpropByHandLab.IftSentence(met));
        Assert.Contains("decreases", BackpropByHandLab.IftSentence(met));
        var missed = met with { Explicit = new HandMlpHistory([1.0], [new HandMlpEpoch(1, 1, 1, 0.9, 1, 0.95, 1)]) };
        Assert.Contains("(95 %) does not meet the bar of 97 %", BackpropByHandLab.IftSentence(missed));
    }
}
