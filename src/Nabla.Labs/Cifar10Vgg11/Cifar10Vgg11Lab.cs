using System.Diagnostics;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>One training run of the lab: its place in the ablation (factor and level; the baseline has neither), its
/// spec, per-epoch history, size and time, and whether it was read back from an earlier invocation's folder.</summary>
public sealed record VggLabRun(string Key, VggLabFactor? Factor, string? Level, VggLabRunSpec Spec, IReadOnlyList<EpochRecord> History,
    long Parameters, double Seconds, bool Reused)
{
    /// <summary>Validation accuracy after the last epoch (the number every choice is made on).</summary>
    public double ValidAccuracy => History.Count == 0 ? double.NaN : History[^1].ValidationAccuracy;

    /// <summary>Training accuracy of the last epoch (running mean over its batches).</summary>
    public double TrainAccuracy => History.Count == 0 ? double.NaN : History[^1].TrainAccuracy;
}

/// <summary>A model scored on the test set: the run, its test accuracy, the most frequent confusion.</summary>
public sealed record VggLabTested(VggLabRun Run, double TestAccuracy, (int True, int Predicted, int Count) TopConfusion);

/// <summary>
/// Everything the report needs: the copy read, the homework's network as prescribed (baseline, tested: Q6.1–6.2), the
/// ablation runs (Q6.3), the final choice (tested once), the wide VGG11-BN row (tested; null when left out), sizes, times.
/// </summary>
public sealed record Cifar10Vgg11Result(string DataName, string DataPath, bool Jpeg, float[] Mean, float[] Std, IReadOnlyList<string> ClassNames,
    IReadOnlyList<(string Layer, string Shape, long Parameters)> NarrowLayers,
    VggLabTested Baseline, IReadOnlyList<VggLabRun> Ablation, VggLabRunSpec Choice, VggLabTested Final, VggLabTested? Wide,
    int TrainCount, int ValidCount, int TestCount, double LoadSeconds, double WallSeconds);

/// <summary>
/// EECS 498 (UMich, Winter 2019) Homework 1, Q6: the homework's narrow VGG11 (8-16-32-32-64-64-64-64 channels, no
/// batch normalisation, 64→64→ReLU→10, Adam 1e-3, batch 100) trained and tested on CIFAR-10 (the JPEG copy under the
/// data root), a one-factor-at-a-time ablation of optimiser, activation, preprocessing and learning-rate strategy on
/// the 45k/5k split at an equal epoch budget, the choice made on validation accuracy and scored once on the test set,
/// and the wide VGG11-BN as a second, labelled row.
/// </summary>
public sealed partial class Cifar10Vgg11Lab : Lab<Cifar10Vgg11Settings, Cifar10Vgg11Result>
{
    public override string Name => "cifar10-vgg11";

    public override string Description => "EECS 498 Q6: the homework's narrow VGG11 on CIFAR-10 (JPEG copy), a Q6.3 ablation (optimiser, activation, preprocessing, lr strategy) chosen on validation, tested once; wide VGG11-BN row";

    public override string Title => "VGG11 on CIFAR-10 (EECS 498 Q6)";

    /// <summary>6 epochs per narrow run (8–9 runs, about an hour on the shared 2 cores) and the wide VGG11-BN recipe's 30 epochs.</summary>
    public override Cifar10Vgg11Settings Full => new() { Epochs = 6, WideEpochs = 30 };

    public override Cifar10Vgg11Settings Quick => Full with { Train = 300, Valid = 200, Test = 300, Epochs = 1, WideEpochs = 1 };

    public override Cifar10Vgg11Result Experiment(Cifar10Vgg11Settings s, LabKit kit)
    {
        var wall = Stopwatch.StartNew();
        kit.Out.WriteLine("loading CIFAR-10");
        var c = kit.LoadCifar10(s.Train, s.Valid, s.Test);
        var data = c.Data;
        kit.Out.WriteLine($"  {data.DisplayName} from {data.Path} in {c.LoadSeconds:F1} s");
        var sets = VggLabData.From(c);

        var layers = Summary.Of(Vgg.Vgg11Narrow(), [3, 32, 32]).Rows
            .Select(r => (r.Type, "[" + string.Join(", ", r.OutputShape.Skip(1)) + "]", r.Parameters)).ToList();

        // The baseline, then each factor's other levels, one factor at a time.
        var runner = new VggLabRunner(kit, sets);
        var baseline = runner.Run("baseline", null, null, s.Baseline);
        var ablation = new List<VggLabRun> { baseline };
        foreach (var (factor, levels) in Cifar10Vgg11Settings.Levels)
            foreach (var level in levels.Skip(1))
                ablation.Add(runner.Run($"{factor}-{level}".ToLowerInvariant(), factor, level, s.Baseline.With(factor, level, s)));

        // The choice: each factor's level with the best validation accuracy, combined.
        var choice = Cifar10Vgg11Says.Choose(s.Baseline, ablation, s);
        var finalRun = ablation.FirstOrDefault(r => r.Spec == choice) ?? runner.Run("final", null, null, choice);
        kit.Out.WriteLine($"  choice: {Cifar10Vgg11Says.Describe(choice)} (valid {finalRun.ValidAccuracy:P2}); scoring the test set");

        // The test set: the homework's network as prescribed (Q6.2), the final choice (once), the wide row.
        var baselineTested = runner.Test(baseline, "the homework's VGG11", confusionFigure: finalRun == baseline ? "confusion.png" : null);
        var final = finalRun == baseline ? baselineTested : runner.Test(finalRun, "the final choice", confusionFigure: "confusion.png");
        // The final choice's weights alone (every parameter under its state-dict key), as `nabla train` writes them.
        Npz.Save(kit.PathOf("model.npz"), runner.Model(finalRun).StateDict());
        var wide = s.WideEpochs > 0 ? runner.Test(runner.Run("wide-vgg11-bn", null, null, s.Wide), "the wide VGG11-BN") : null;

        return new Cifar10Vgg11Result(data.DisplayName, data.Path, data.Format == Cifar10Format.Jpeg, data.Mean, data.Std, data.ClassNames, layers,
            baselineTested, ablation, choice, final, wide, c.Train.Count, c.Valid.Count, c.Test.Count, c.LoadSeconds, wall.Elapsed.TotalSeconds);
    }
}
