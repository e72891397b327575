using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>The sizes and training recipe of <c>dogs-vs-cats</c> (formerly the NABLA_DOGS_SIZE / NABLA_DOGS_EPOCHS
/// environment knobs, now <c>--set size=…</c>, <c>--set epochs=…</c>).</summary>
public sealed record DogsVsCatsSettings
{
    [Setting("training photos per class that fit (the first files of train/<class>)", Min = 1)] public int TrainPerClass { get; init; }
    [Setting("hold-out photos per class (the next files of train/<class>), monitored each epoch", Min = 1)] public int HoldoutPerClass { get; init; }
    [Setting("validation photos per class scored once at the end (0 = the whole validation/ folder)", Min = 0)] public int ValidPerClass { get; init; }
    [Setting("side the photos are resized to (a multiple of 16: four halvings)", Min = 16, Max = 512)] public int Size { get; init; }
    [Setting("epochs", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("minibatch size", Min = 1, Max = 4096)] public int BatchSize { get; init; }
    [Setting("Adam learning rate (cosine decay over the epochs)", Min = 0)] public double LearningRate { get; init; }
    [Setting("Adam weight decay", Min = 0)] public double WeightDecay { get; init; }
    [Setting("dropout in the classifier head", Min = 0, Max = 0.95)] public double Dropout { get; init; }
}

public sealed record DogsVsCatsResult(string Directory, IReadOnlyList<string> Classes, int TrainCount, int HoldoutCount, int ValidCount,
    EpochCurves Curves, double FitAccuracy, double ValidAccuracy, double ValidAccuracyFlip, int[,] Confusion, long Parameters, int FlatWidth);

/// <summary>
/// Dogs vs Cats with <see cref="DogsVsCatsCnn"/> at 96×96 and augmentation (random resized crop, flip, colour
/// jitter). A hold-out cut from the training folder is monitored each epoch; the given validation folder is scored
/// once at the end. Figures: curves, first-layer kernels, feature maps of one image, confusion matrix, galleries of
/// confident mistakes and of 50/50 cases.
/// </summary>
public sealed partial class DogsVsCatsLab : Lab<DogsVsCatsSettings, DogsVsCatsResult>
{
    public override string Name => "dogs-vs-cats";

    public override string Description => "CNN on Dogs vs Cats (96×96) with augmentation: curves, kernels, feature maps, confusion matrix, galleries";

    public override string Title => "Dogs vs Cats with a small CNN and data augmentation";

    public override DogsVsCatsSettings Quick => new()
    {
        TrainPerClass = 16, HoldoutPerClass = 8, ValidPerClass = 16, Size = 64, Epochs = 1, BatchSize = 16, LearningRate = 1e-3, WeightDecay = 1e-4, Dropout = 0.5,
    };

    /// <summary>The run the README quotes (80.2 % on the validation folder): 900 + 100 photos, 96×96, 50 epochs, batch 32.</summary>
    public override DogsVsCatsSettings Full => Quick with { TrainPerClass = 450, HoldoutPerClass = 50, ValidPerClass = 0, Size = 96, Epochs = 50, BatchSize = 32 };

    /// <summary>Width of the flattened feature vector: 128 channels at side/16.</summary>
    public static int Flat(int size) => 128 * (size / 16) * (size / 16);

    public override DogsVsCatsResult Experiment(DogsVsCatsSettings s, LabKit kit)
    {
        if (s.Size % 16 != 0)
            throw new ArgumentException($"lab '{Name}': setting 'size' must be a multiple of 16 (the network halves it four times), got {s.Size}");
        kit.Out.WriteLine("decoding Dogs vs Cats");
        var d = kit.LoadDogsVsCats(s.Size, s.TrainPerClass, s.HoldoutPerClass, s.ValidPerClass);
        kit.Out.WriteLine($"  {d.Train.Count} train, {d.Holdout.Count} hold-out, {d.Validation.Count} validation images from {d.Directory}");

        var model = DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: s.Size, Dropout: s.Dropout), kit.Generator(11));
        var opt = new Adam(model.Parameters(), new AdamOptions(s.LearningRate, WeightDecay: s.WeightDecay));
        var sched = new CosineAnnealingLR(opt, s.Epochs);
        var loader = new DataLoader(new ImageDataset(d.Train), s.BatchSize, shuffle: true, seed: kit.Seed + 5, transform: DogsVsCatsLabData.Augmentation(d.Mean, d.Std));
        // The training error is the running error of the augmented batches (train mode); the hold-out is measured in eval mode.
        // Model selection: the last epoch's weights (schedule fixed in advance); the hold-out is only monitored.
        var curves = CnnTraining.Fit(model, opt, sched, loader, s.Epochs, kit.Seed + 5, null, d.Normalized(d.Holdout), kit.Out, "dogs-vs-cats",
            freeIntermediates: true, evalBatch: 200);

        var (xVal, yVal) = d.Normalized(d.Validation);
        var rawVal = d.Raw(d.Validation);
        var (xTr, yTr) = d.Normalized(d.Train);
        var pred = Visualize.Predict(model, xVal, yVal, 250);
        double fitError = CnnLabTraining.Error(model, xTr, yTr, 250);
        double valAcc = 1 - pred.Error;
        // Test-time flip averaging, reported beside (never instead of) the single-view accuracy.
        double valAccFlip = 1 - Visualize.Predict(model, xVal, yVal, 250, flipAverage: true).Error;
        if (!kit.Quick) Nabla.IO.Npz.Save(kit.PathOf("model.npz"), model.StateDict());
        kit.Out.WriteLine($"  last epoch (best hold-out epoch {curves.BestEpoch}): fit error {fitError:P2}, validation accuracy {valAcc:P2} (with flip averaging {valAccFlip:P2}) ({curves.Seconds:F0} s)");

        // Figures of the trained model (they need it, so they are drawn here; the curves are drawn by the report).
        var convs = model.Layers.OfType<Conv2d>().ToList();
        var relus = model.Layers.OfType<ReLU>().ToList();
        Visualize.Kernels(kit.PathOf("kernels.png"), convs[0], maxKernels: 32);
        int sample = 0;
        var image = xVal.Select(0, sample);
        string caption = $"validation image {sample} ({d.Classes[pred.Labels[sample]]}, predicted {d.Classes[pred.Predicted(sample)]})";
        Visualize.Gallery(kit.PathOf("input.png"), rawVal, pred, [sample], "input", d.Classes);
        Visualize.SaveFeatureMaps(kit.PathOf("feature_maps_1.png"), model, relus[0], image, $"conv1 → BN → ReLU, {s.Size}×{s.Size}: {caption}");
        Visualize.SaveFeatureMaps(kit.PathOf("feature_maps_2.png"), model, relus[1], image, $"conv2 → BN → ReLU, {s.Size / 2}×{s.Size / 2}: {caption}");
        Visualize.ConfusionMatrix(kit.PathOf("confusion.png"), pred, $"Validation confusion matrix (accuracy {valAcc:P1})", d.Classes);
        Visualize.Gallery(kit.PathOf("misclassified.png"), rawVal, pred, pred.ClearlyMisclassified(16), "Most confident mistakes (true→predicted probability)", d.Classes);
        Visualize.Gallery(kit.PathOf("unsure.png"), rawVal, pred, pred.Unsure(16), "Closest to 50/50 (true: top-1 p / top-2 p)", d.Classes, showSecond: true);

        return new DogsVsCatsResult(d.Directory, d.Classes, d.Train.Count, d.Holdout.Count, d.Validation.Count, curves, 1 - fitError, valAcc, valAccFlip,
            pred.ConfusionMatrix(), model.ParameterCount(), Flat(s.Size));
    }
}
