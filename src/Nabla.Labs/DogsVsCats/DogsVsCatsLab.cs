using System.Diagnostics;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>The sizes, training recipe and compared settings of <c>dogs-vs-cats</c> (<c>--set key=value</c>).</summary>
public sealed record DogsVsCatsSettings
{
    [Setting("training photos per class that fit (the first files of train/<class>)", Min = 1)] public int TrainPerClass { get; init; }
    [Setting("hold-out photos per class (the next files of train/<class>): the validation split every setting is compared on", Min = 1)] public int HoldoutPerClass { get; init; }
    [Setting("test photos per class: the first files of the data's validation/<class> folder, scored once for the final choice (0 = all)", Min = 0)] public int TestPerClass { get; init; }
    [Setting("side the photos are resized to in every setting but 'large-size' (a multiple of 32: the deeper setting halves it five times)", Min = 32, Max = 512)] public int Size { get; init; }
    [Setting("side of the 'large-size' setting (a multiple of 16)", Min = 16, Max = 512)] public int LargeSize { get; init; }
    [Setting("epochs of every setting (the equal budget)", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("minibatch size", Min = 1, Max = 4096)] public int BatchSize { get; init; }
    [Setting("Adam learning rate (cosine decay over the epochs)", Min = 0)] public double LearningRate { get; init; }
    [Setting("Adam weight decay", Min = 0)] public double WeightDecay { get; init; }
    [Setting("dropout in the classifier head (0 in the 'no-dropout' setting)", Min = 0, Max = 0.95)] public double Dropout { get; init; }
    [Setting("settings to compare, comma-separated; 'base' first (base, no-augmentation, no-batchnorm, no-dropout, deeper, large-size)")]
    public string[] Compare { get; init; } = [];
    [Setting("reuse a setting's trained model and curves from runs/ in the output folder when its recipe is unchanged")] public bool Reuse { get; init; }
}

/// <summary>One compared setting: its key, what it changes from the base, and the recipe.</summary>
public sealed record DogsVsCatsSpec(string Key, string Change, int Size, int[] Channels, bool BatchNorm, double Dropout, bool Augment)
{
    /// <summary>The model options of this setting.</summary>
    public DogsVsCatsCnnOptions Options => new(ImageSize: Size, Channels: Channels, Dropout: Dropout, BatchNorm: BatchNorm);

    /// <summary>Every value that changes the trained model (with the shared recipe): runs with equal signatures are reusable.</summary>
    public string Signature(DogsVsCatsSettings s, ulong seed) =>
        $"{Key}|{Size}|{string.Join(",", Channels)}|bn={BatchNorm}|p={Dropout}|aug={Augment}|fit={s.TrainPerClass}|hold={s.HoldoutPerClass}|" +
        $"epochs={s.Epochs}|batch={s.BatchSize}|lr={s.LearningRate}|wd={s.WeightDecay}|seed={seed}";
}

/// <summary>One setting's run: per-epoch curves (training figures re-evaluated on the fit set in eval mode without
/// augmentation, and the running mean over the epoch's augmented train-mode batches; hold-out in eval mode), the
/// hold-out class probabilities after the last epoch, size, time, and whether it was read back from runs/.</summary>
public sealed record DogsVsCatsRun(DogsVsCatsSpec Spec, long Parameters,
    double[] FitLoss, double[] FitError, double[] RunningLoss, double[] RunningError, double[] HoldoutLoss, double[] HoldoutError,
    float[] HoldoutProbabilities, double Seconds, bool Reused)
{
    /// <summary>Hold-out accuracy after the last epoch: the number the choice is made on.</summary>
    public double HoldoutAccuracy => 1 - HoldoutError[^1];

    /// <summary>Fit-set accuracy after the last epoch (eval mode, no augmentation).</summary>
    public double FitAccuracy => 1 - FitError[^1];
}

/// <summary>The final choice scored on the test split: accuracy, flip-averaged accuracy, the probabilities, brightness
/// and contrast of every test photo, and the submission file.</summary>
public sealed record DogsVsCatsTested(DogsVsCatsRun Run, double Accuracy, double AccuracyFlip, Predictions Predictions,
    double[] Brightness, double[] Contrast, string SubmissionFile, int SubmissionRows);

public sealed record DogsVsCatsResult(string Directory, IReadOnlyList<string> Classes, int TrainCount, int HoldoutCount, int TestCount,
    IReadOnlyList<DogsVsCatsRun> Runs, int ChosenIndex, DogsVsCatsTested Final, double EnsembleHoldoutAccuracy, int[] HoldoutLabels,
    double Seconds);

/// <summary>
/// IFT6135-H2019 Problem 3, Dogs vs Cats: a small CNN (<see cref="DogsVsCatsCnn"/>) trained under several settings of
/// equal budget (with/without augmentation, batch norm, dropout, a deeper network, larger input), compared on a
/// hold-out cut from <c>train/</c>; the best on the hold-out is scored once on the test split (the data's
/// <c>validation/</c> folder) and its predictions are written as <c>predictions.csv</c> (<c>id,label</c>). Figures:
/// training and hold-out loss and error per epoch, every setting's hold-out error, kernels, feature maps, confusion
/// matrix, galleries of confident mistakes and of 50/50 cases.
/// </summary>
public sealed partial class DogsVsCatsLab : Lab<DogsVsCatsSettings, DogsVsCatsResult>
{
    /// <summary>The settings the lab can compare, in the order of the table.</summary>
    public static readonly IReadOnlyList<string> Known = ["base", "no-augmentation", "no-batchnorm", "no-dropout", "deeper", "large-size"];

    public override string Name => "dogs-vs-cats";

    public override string Description => "IFT6135 P3: small CNN on Dogs vs Cats, settings (augmentation, BN, depth, size) compared on a hold-out, test once, predictions.csv";

    public override string Title => "Dogs vs Cats (IFT6135 Problem 3): settings compared on a hold-out, the choice tested once";

    public override DogsVsCatsSettings Quick => new()
    {
        TrainPerClass = 12, HoldoutPerClass = 6, TestPerClass = 8, Size = 32, LargeSize = 48, Epochs = 1, BatchSize = 8,
        LearningRate = 1e-3, WeightDecay = 1e-4, Dropout = 0.5, Compare = ["base", "no-augmentation", "no-batchnorm", "deeper", "large-size"], Reuse = false,
    };

    /// <summary>800 fit + 200 hold-out photos from train/, 64 px (96 in 'large-size'), 10 epochs per setting (five
    /// settings; an epoch of the base took 30–90 s at one thread on the loaded machine, so 25 and then 15 epochs were cut to
    /// 10 to finish within about an hour), the 500 photos of
    /// validation/ as the test split.</summary>
    public override DogsVsCatsSettings Full => Quick with
    {
        TrainPerClass = 400, HoldoutPerClass = 100, TestPerClass = 0, Size = 64, LargeSize = 96, Epochs = 10, BatchSize = 32, Reuse = true,
    };

    /// <summary>The spec of a compared setting: the base (augmentation, BN, dropout, four stages at <c>size</c>) or
    /// the base with one change.</summary>
    public static DogsVsCatsSpec Spec(string key, DogsVsCatsSettings s)
    {
        int[] four = [32, 64, 128, 128];
        var b = new DogsVsCatsSpec("base", "augmentation, batch norm, dropout, 4 stages", s.Size, four, true, s.Dropout, true);
        return key switch
        {
            "base" => b,
            "no-augmentation" => b with { Key = key, Change = "no augmentation (only standardisation)", Augment = false },
            "no-batchnorm" => b with { Key = key, Change = "no batch normalization", BatchNorm = false },
            "no-dropout" => b with { Key = key, Change = "no dropout", Dropout = 0 },
            "deeper" => b with { Key = key, Change = "5 stages (32-64-128-128-256)", Channels = [32, 64, 128, 128, 256] },
            "large-size" => b with { Key = key, Change = $"input {s.LargeSize}×{s.LargeSize}", Size = s.LargeSize },
            _ => throw new ArgumentException($"lab 'dogs-vs-cats': setting 'compare' names '{key}', which is not one of {string.Join(", ", Known)}"),
        };
    }

    /// <summary>Checks the settings before any photo is read: known, distinct compared settings; sizes divisible by
    /// 2^stages of each setting.</summary>
    public static IReadOnlyList<DogsVsCatsSpec> Specs(DogsVsCatsSettings s)
    {
        if (s.Compare.Length == 0) throw new ArgumentException("lab 'dogs-vs-cats': setting 'compare' is empty; name at least one of " + string.Join(", ", Known));
        if (s.Compare.Distinct().Count() != s.Compare.Length) throw new ArgumentException($"lab 'dogs-vs-cats': setting 'compare' repeats a setting ({string.Join(",", s.Compare)})");
        var specs = s.Compare.Select(k => Spec(k, s)).ToList();
        foreach (var sp in specs)
        {
            int f = 1 << sp.Channels.Length;
            if (sp.Size % f != 0)
                throw new ArgumentException($"lab 'dogs-vs-cats': setting '{sp.Key}' needs an image size that is a multiple of {f} (its network halves it {sp.Channels.Length} times), got {sp.Size}");
        }
        return specs;
    }

    public override DogsVsCatsResult Experiment(DogsVsCatsSettings s, LabKit kit)
    {
        var specs = Specs(s);
        var wall = Stopwatch.StartNew();
        var sizes = specs.Select(sp => sp.Size).Distinct().ToList();
        var data = new Dictionary<int, DogsVsCatsLabSplits>();
        foreach (int size in sizes)
        {
            kit.Out.WriteLine($"decoding Dogs vs Cats at {size}×{size}");
            data[size] = kit.LoadDogsVsCats(size, s.TrainPerClass, s.HoldoutPerClass, s.TestPerClass);
        }
        var d0 = data[sizes[0]];
        kit.Out.WriteLine($"  {d0.Train.Count} fit, {d0.Holdout.Count} hold-out, {d0.Test.Count} test images from {d0.Directory}");

        var runner = new DogsVsCatsRunner(kit, s);
        var runs = new List<DogsVsCatsRun>();
        var models = new List<Sequential>();
        foreach (var sp in specs)
        {
            var (run, model) = runner.Run(sp, data[sp.Size]);
            runs.Add(run);
            models.Add(model);
        }
        int chosen = DogsVsCatsSays.Choose(runs);
        var final = runs[chosen];
        var finalModel = models[chosen];
        var d = data[final.Spec.Size];
        kit.Out.WriteLine($"  choice: {final.Spec.Key} (hold-out {final.HoldoutAccuracy:P2}); scoring the test split once");

        // Beside, on the hold-out only: the mean of every setting's class probabilities (an ensemble).
        int nh = d.Holdout.Count;
        var holdoutLabels = d.Holdout.Labels.Select(l => (int)l).ToArray();
        double ensembleAcc = DogsVsCatsSays.EnsembleAccuracy(runs.Select(r => r.HoldoutProbabilities).ToList(), holdoutLabels, d.Classes.Count);

        // The test split, once: the chosen model, with flip averaging reported beside.
        var (xTest, yTest) = d.Normalized(d.Test);
        var rawTest = d.Raw(d.Test);
        var pred = Visualize.Predict(finalModel, xTest, yTest, 250);
        double testAcc = 1 - pred.Error;
        double testAccFlip = 1 - Visualize.Predict(finalModel, xTest, yTest, 250, flipAverage: true).Error;
        var (brightness, contrast) = DogsVsCatsSays.BrightnessContrast(rawTest);
        string csv = kit.PathOf("predictions.csv");
        int rows = DogsVsCatsSubmission.Write(csv, d.TestFiles, Enumerable.Range(0, pred.Count).Select(pred.Predicted).ToArray(), d.Classes);
        kit.Out.WriteLine($"  test accuracy {testAcc:P2} (flip-averaged {testAccFlip:P2}); {rows} predictions written to {csv}");

        // Figures of the chosen model (the curves are drawn by the report).
        var convs = finalModel.Layers.OfType<Conv2d>().ToList();
        var relus = finalModel.Layers.OfType<ReLU>().ToList();
        Visualize.Kernels(kit.PathOf("kernels.png"), convs[0], maxKernels: 32);
        int sample = 0;
        var image = xTest.Select(0, sample);
        int side = final.Spec.Size;
        string caption = $"test image {sample} ({d.Classes[pred.Labels[sample]]}, predicted {d.Classes[pred.Predicted(sample)]})";
        string bn = final.Spec.BatchNorm ? " → BN" : "";
        Visualize.Gallery(kit.PathOf("input.png"), rawTest, pred, [sample], "input", d.Classes);
        Visualize.SaveFeatureMaps(kit.PathOf("feature_maps_1.png"), finalModel, relus[0], image, $"conv1{bn} → ReLU, {side}×{side}: {caption}");
        Visualize.SaveFeatureMaps(kit.PathOf("feature_maps_2.png"), finalModel, relus[1], image, $"conv2{bn} → ReLU, {side / 2}×{side / 2}: {caption}");
        Visualize.ConfusionMatrix(kit.PathOf("confusion.png"), pred, $"Test confusion matrix (accuracy {testAcc:P1})", d.Classes);
        Visualize.Gallery(kit.PathOf("misclassified.png"), rawTest, pred, pred.ClearlyMisclassified(16), "Most confident mistakes (true→predicted probability)", d.Classes);
        Visualize.Gallery(kit.PathOf("unsure.png"), rawTest, pred, pred.Unsure(16), "Closest to 50/50 (true: top-1 p / top-2 p)", d.Classes, showSecond: true);

        var tested = new DogsVsCatsTested(final, testAcc, testAccFlip, pred, brightness, contrast, "predictions.csv", rows);
        return new DogsVsCatsResult(d.Directory, d.Classes, d.Train.Count, d.Holdout.Count, d.Test.Count, runs, chosen, tested, ensembleAcc,
            holdoutLabels, wall.Elapsed.TotalSeconds);
    }
}
