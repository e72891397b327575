using System.Text.Json;
using Nabla.Labs;
using Nabla.Models;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;
using Nabla.Training;

namespace Nabla.Tests.Labs;

public class Cifar10Vgg11LabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-vgg11-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly Cifar10Vgg11Settings S = new Cifar10Vgg11Lab().Full;

    [RequiresDataFact("cifar10")]
    public void Quick_run_writes_the_report_the_ablation_table_and_the_final_weights_then_reuses_finished_runs()
    {
        var log = new StringWriter();
        new Cifar10Vgg11Lab().Run(new LabContext(_dir, Quick: true, Log: log));
        foreach (var f in new[] { "report.md", "results.json", "ablation.png", "curves.png", "confusion.png", "model.npz" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        foreach (var f in new[] { "ablation.png", "curves.png", "confusion.png" })
            PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, f)), 100);
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        // The homework's narrow VGG11 (hand count in VggTests): 149,370; the wide VGG11-BN: 9,231,114.
        Assert.Equal(149_370, m["narrow_parameters"]);
        Assert.Equal(9_231_114, m["wide_parameters"]);
        Assert.Equal(1 + 1 + 2 + 2 + 2, m["ablation_runs"]);   // baseline, SGD, ELU + GELU, none + augment, step + one-cycle
        Assert.Equal(300, m["train_images"]);
        Assert.Equal(300, m["test_images"]);
        foreach (var k in new[] { "baseline_test_accuracy", "final_test_accuracy", "wide_test_accuracy", "final_valid_accuracy" })
            Assert.InRange(m[k], 0, 1);
        // model.npz: the final choice's weights, loadable into a fresh narrow VGG11 (activations have no parameters).
        var fresh = Vgg.Vgg11Narrow();
        fresh.LoadStateDict(Nabla.IO.Npz.Load(Path.Combine(_dir, "model.npz")));

        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        string name = m["jpeg_copy"] == 1 ? "CIFAR-10 (JPEG copy)" : "CIFAR-10";
        Assert.Contains($"| factor | level | run | train acc (last epoch) | valid acc ({name}) | 2 s.e. (points) | seconds | choice |", report);
        foreach (var row in new[] { "| optimiser | Adam (baseline) | baseline |", "| optimiser | SGD + momentum | optimizer-sgdmomentum |",
                     "| activation | ELU | activation-elu |", "| activation | GELU | activation-gelu |",
                     "| preprocessing | none ([0, 1] pixels) | preprocessing-none |", "| preprocessing | standardisation + crop/flip augmentation | preprocessing-augment |",
                     "| learning-rate strategy | step (×0.1 after 2/3) | schedule-step |", "| learning-rate strategy | one-cycle | schedule-onecycle |" })
            Assert.Contains(row, report);
        // One "chosen" per factor.
        Assert.Equal(4, report.Split('\n').Count(l => l.EndsWith("| **chosen** |")));
        Assert.Contains("scored **once**", report);
        Assert.Contains($"| narrow VGG11 as the homework prescribes (baseline) | 149370 | 1 |", report);
        Assert.Contains("| wide VGG11-BN (64–512 channels", report);
        Assert.Contains($"**{100 * m["baseline_test_accuracy"]:F2} %**", report);
        Assert.Contains($"Scored once on the test set: **{100 * m["final_test_accuracy"]:F2} %** on 300 images of {name}", report);
        Assert.Contains("| Conv2d-8 | [64, 2, 2] | 36928 |", report);
        Assert.Contains("| Linear-1 | [64] | 4160 |", report);
        Assert.DoesNotContain("read back", report);

        // A second invocation into the same folder reads every finished run back instead of retraining it.
        var log2 = new StringWriter();
        new Cifar10Vgg11Lab().Run(new LabContext(_dir, Quick: true, Log: log2));
        Assert.DoesNotContain(" epoch ", log2.ToString());
        Assert.Contains("baseline: reused from", log2.ToString());
        Assert.Contains("read back", File.ReadAllText(Path.Combine(_dir, "report.md")));
        var m2 = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(m["final_test_accuracy"], m2["final_test_accuracy"]);
        Assert.Equal(m["wide_test_accuracy"], m2["wide_test_accuracy"]);

        // An interrupted run (its checkpoint and spec.txt, no run.json or model.npz yet) resumes from its checkpoint
        // instead of starting over (it used to be deleted with its folder).
        string baseline = Path.Combine(_dir, "runs", "baseline");
        File.Delete(Path.Combine(baseline, "run.json"));
        File.Delete(Path.Combine(baseline, "model.npz"));
        var log3 = new StringWriter();
        new Cifar10Vgg11Lab().Run(new LabContext(_dir, Quick: true, Log: log3));
        Assert.Contains($"baseline: resumed from {Path.Combine(baseline, "checkpoint.npz")} after 1 epochs", log3.ToString());
        Assert.DoesNotContain("baseline epoch", log3.ToString());
        Assert.True(File.Exists(Path.Combine(baseline, "run.json")));
        var m3 = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(m["baseline_test_accuracy"], m3["baseline_test_accuracy"]);
    }

    [Fact]
    public void Full_settings_are_the_homeworks_training_and_the_wide_row_is_the_former_recipe()
    {
        Assert.Equal((45_000, 5_000, 10_000, 100, 1e-3), (S.Train, S.Valid, S.Test, S.BatchSize, S.Lr));
        var b = S.Baseline;
        Assert.False(b.Wide);
        Assert.Equal((VggActivation.ReLU, VggLabOptimizer.Adam, 1e-3, 0.0, VggLabPreprocessing.Standardize, VggLabSchedule.Constant, S.Epochs, 100),
            (b.Activation, b.Optimizer, b.Lr, b.WeightDecay, b.Preprocessing, b.Schedule, b.Epochs, b.BatchSize));
        // The wide row: the former cifar10-vgg11 recipe (87.81 % at 30 epochs).
        var w = S.Wide;
        Assert.True(w.Wide);
        Assert.Equal((VggLabOptimizer.SgdMomentum, 0.1, 0.9, true, 5e-4, VggLabPreprocessing.Augment, VggLabSchedule.OneCycle, 0.1, 30, 128),
            (w.Optimizer, w.Lr, w.Momentum, w.Nesterov, w.WeightDecay, w.Preprocessing, w.Schedule, w.PeakLr, w.Epochs, w.BatchSize));
        Assert.Equal(S with { Train = 300, Valid = 200, Test = 300, Epochs = 1, WideEpochs = 1 }, new Cifar10Vgg11Lab().Quick);
        Assert.Contains("cifar10-vgg11", LabRegistry.All.Select(l => l.Name));
    }

    [Fact]
    public void With_changes_one_factor_and_sgd_carries_its_own_rates()
    {
        var b = S.Baseline;
        var sgd = b.With(VggLabFactor.Optimizer, "SgdMomentum", S);
        Assert.Equal(b with { Optimizer = VggLabOptimizer.SgdMomentum, Lr = 0.01, Momentum = 0.9, PeakLr = 3 * 0.01 }, sgd);
        Assert.Equal(b, sgd.With(VggLabFactor.Optimizer, "Adam", S));
        Assert.Equal(b with { Activation = VggActivation.GELU }, b.With(VggLabFactor.Activation, "GELU", S));
        Assert.Equal(b with { Preprocessing = VggLabPreprocessing.None }, b.With(VggLabFactor.Preprocessing, "None", S));
        var oc = b.With(VggLabFactor.Schedule, "OneCycle", S);
        Assert.Equal(3e-3, oc.TopLr, 12);                              // peak = 3 × Adam's 1e-3
        Assert.Equal(0.03, sgd.With(VggLabFactor.Schedule, "OneCycle", S).TopLr, 12);
        Assert.NotEqual(b.Fingerprint(45_000, 5_000, 0), oc.Fingerprint(45_000, 5_000, 0));
        Assert.NotEqual(b.Fingerprint(45_000, 5_000, 0), b.Fingerprint(45_000, 5_000, 1));
    }

    [Fact]
    public void Step_strategy_decays_after_two_thirds_of_the_epochs()
    {
        Assert.Equal(1, VggLabRunner.StepEpoch(1));
        Assert.Equal(4, VggLabRunner.StepEpoch(6));
        Assert.Equal(6, VggLabRunner.StepEpoch(8));
        Assert.Equal(20, VggLabRunner.StepEpoch(30));
    }

    private static VggLabRun Run(string key, VggLabFactor? f, string? level, double valid, double train = 0.5)
    {
        var spec = f is { } factor ? S.Baseline.With(factor, level!, S) : S.Baseline;
        return new VggLabRun(key, f, level, spec, [new EpochRecord(1, 1, train, 1, valid, 1e-3, 1, 1)], 149_370, 10, false);
    }

    private static List<VggLabRun> Ablation(double sgd, double elu, double gelu, double none, double aug, double step, double oc) =>
    [
        Run("baseline", null, null, 0.60),
        Run("optimizer-sgdmomentum", VggLabFactor.Optimizer, "SgdMomentum", sgd),
        Run("activation-elu", VggLabFactor.Activation, "ELU", elu),
        Run("activation-gelu", VggLabFactor.Activation, "GELU", gelu),
        Run("preprocessing-none", VggLabFactor.Preprocessing, "None", none),
        Run("preprocessing-augment", VggLabFactor.Preprocessing, "Augment", aug),
        Run("schedule-step", VggLabFactor.Schedule, "Step", step),
        Run("schedule-onecycle", VggLabFactor.Schedule, "OneCycle", oc),
    ];

    [Fact]
    public void Choice_takes_each_factors_best_validation_level_and_ties_keep_the_baseline()
    {
        var runs = Ablation(sgd: 0.55, elu: 0.62, gelu: 0.61, none: 0.50, aug: 0.60, step: 0.64, oc: double.NaN);
        var choice = Cifar10Vgg11Says.Choose(S.Baseline, runs, S);
        // Adam stays (0.60 > 0.55); ELU wins (0.62); augment ties the baseline (0.60) so standardisation stays; step wins; NaN never wins.
        Assert.Equal(S.Baseline with { Activation = VggActivation.ELU, Schedule = VggLabSchedule.Step }, choice);
        Assert.Equal("Adam, ELU, standardisation, step (×0.1 after 2/3)", Cifar10Vgg11Says.Describe(choice));
        Assert.Same(runs[0], Cifar10Vgg11Says.Winner(Cifar10Vgg11Says.Candidates(VggLabFactor.Preprocessing, runs)));
        var low = Ablation(0, 0, 0, 0, 0, 0.1, double.NaN);
        Assert.Same(low[0], Cifar10Vgg11Says.Winner(Cifar10Vgg11Says.Candidates(VggLabFactor.Schedule, low)));
        // All baseline: the choice is the homework's network itself.
        Assert.Equal(S.Baseline, Cifar10Vgg11Says.Choose(S.Baseline, Ablation(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5), S));
        Assert.Equal([VggLabFactor.Activation, VggLabFactor.Activation], Cifar10Vgg11Says.Candidates(VggLabFactor.Activation, runs).Skip(1).Select(r => r.Factor!.Value));
    }

    [Fact]
    public void Factor_sentence_says_whether_the_lead_exceeds_two_standard_errors()
    {
        // 5,000 validation images: at 60 % and 55 % the 2 s.e. of the difference is 2·√(0.24/5000 + 0.2475/5000) = 1.97 points.
        var clear = Ablation(0.55, 0.60, 0.60, 0.60, 0.60, 0.60, 0.60);
        string s = Cifar10Vgg11Says.FactorSentence(VggLabFactor.Optimizer, Cifar10Vgg11Says.Candidates(VggLabFactor.Optimizer, clear), S.Baseline, 5_000);
        Assert.Contains("the baseline's Adam stays (60.00 % validation)", s);
        Assert.Contains("by 5.0 points, more than two standard errors", s);
        Assert.Contains("2 s.e. = 2.0 points", s);
        var close = Ablation(0.55, 0.61, 0.605, 0.60, 0.60, 0.60, 0.60);
        string t = Cifar10Vgg11Says.FactorSentence(VggLabFactor.Activation, Cifar10Vgg11Says.Candidates(VggLabFactor.Activation, close), S.Baseline, 5_000);
        Assert.Contains("ELU replaces the baseline's ReLU (61.00 % validation)", t);
        Assert.Contains("the next best, GELU (60.50 %), is within two standard errors", t);
        Assert.Contains("not reliable", t);
    }

    [Fact]
    public void Combination_sentence_covers_the_baseline_a_single_change_and_the_three_outcomes()
    {
        var runs = Ablation(0.55, 0.64, 0.60, 0.50, 0.66, 0.60, 0.60);
        Assert.Contains("the homework's network itself", Cifar10Vgg11Says.CombinationSentence(S.Baseline, runs[0], runs, 5_000));
        Assert.Contains("not retrained", Cifar10Vgg11Says.CombinationSentence(S.Baseline, runs[5], runs, 5_000));
        var choice = S.Baseline with { Activation = VggActivation.ELU, Preprocessing = VggLabPreprocessing.Augment };
        VggLabRun Final(double v) => new("final", null, null, choice, [new EpochRecord(1, 1, 0.5, 1, v, 1e-3, 1, 1)], 149_370, 10, false);
        Assert.Contains("the gains add up", Cifar10Vgg11Says.CombinationSentence(S.Baseline, Final(0.70), runs, 5_000));
        Assert.Contains("do not clearly add up", Cifar10Vgg11Says.CombinationSentence(S.Baseline, Final(0.665), runs, 5_000));
        Assert.Contains("the changes interfere", Cifar10Vgg11Says.CombinationSentence(S.Baseline, Final(0.60), runs, 5_000));
    }

    [Fact]
    public void Test_overfit_and_width_sentences_follow_the_numbers()
    {
        // 2 s.e. of a difference of two ~65 % rates on 5,000 and 10,000 images ≈ 1.65 points.
        Assert.Contains("agrees with its validation accuracy", Cifar10Vgg11Says.TestVsValidSentence(0.65, 5_000, 0.64, 10_000));
        Assert.Contains("validation was optimistic", Cifar10Vgg11Says.TestVsValidSentence(0.67, 5_000, 0.64, 10_000));
        Assert.Contains("validation was pessimistic", Cifar10Vgg11Says.TestVsValidSentence(0.62, 5_000, 0.65, 10_000));
        // 2 s.e. of a 60 % validation accuracy on 5,000 images: 1.39 points.
        Assert.Contains("fits its training images better", Cifar10Vgg11Says.OverfitSentence("X", Run("r", null, null, 0.60, train: 0.62), 5_000));
        Assert.Contains("no sign of overfitting", Cifar10Vgg11Says.OverfitSentence("X", Run("r", null, null, 0.60, train: 0.61), 5_000));
        Assert.Contains("62× the parameters", Cifar10Vgg11Says.NarrowVsWideSentence(0.65, 149_370, 0.88, 9_231_114, 10_000));
        Assert.Contains("beats the narrow final choice (65.00 %) by 23.0 points", Cifar10Vgg11Says.NarrowVsWideSentence(0.65, 149_370, 0.88, 9_231_114, 10_000));
        Assert.Contains("within two standard errors", Cifar10Vgg11Says.NarrowVsWideSentence(0.65, 149_370, 0.655, 9_231_114, 10_000));
        Assert.Contains("The narrow final choice (70.00 % test) beats", Cifar10Vgg11Says.NarrowVsWideSentence(0.70, 149_370, 0.60, 9_231_114, 10_000));
    }
}
