using System.Diagnostics;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// The settings of the CIFAR-10 recipe labs (today cifar10-resnet9; cifar10-vgg11 has its own, see Cifar10Vgg11Settings) (formerly the NABLA_CIFAR_* environment knobs: TRAIN, TEST, EPOCHS, BATCH,
/// LR, CUTOUT, SMOOTHING, AUGMENT, NESTEROV; WIDTH lives on <see cref="Cifar10ResNet9Settings"/>). Each lab has its own
/// sealed settings record deriving from this one.
/// </summary>
public abstract record Cifar10Settings
{
    [Setting("training images used (the first of the 45,000 of the train split)", Min = 128, Max = 45_000)] public int Train { get; init; } = 45_000;
    [Setting("validation images used (of the last 5,000 training images)", Min = 1, Max = 5_000)] public int Valid { get; init; } = 5_000;
    [Setting("test images (one pass at the end)", Min = 100, Max = 10_000)] public int Test { get; init; } = 10_000;
    [Setting("epochs", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("minibatch size", Min = 1, Max = 4096)] public int BatchSize { get; init; } = 128;
    [Setting("one-cycle peak learning rate", Key = "lr", Min = 1e-6, Max = 10)] public double MaxLr { get; init; } = 0.1;
    [Setting("SGD momentum", Min = 0, Max = 0.999)] public double Momentum { get; init; } = 0.9;
    [Setting("Nesterov momentum (false: plain heavy-ball momentum)")] public bool Nesterov { get; init; } = true;
    [Setting("weight decay", Min = 0)] public double WeightDecay { get; init; } = 5e-4;
    [Setting("augmentation: random crop 32 (padding 4) + horizontal flip (+ cutout); false turns all of it off")] public bool Augment { get; init; } = true;
    [Setting("cutout square side (0 = off)", Min = 0, Max = 32)] public int Cutout { get; init; }
    [Setting("label smoothing ε of the cross-entropy", Key = "smoothing", Min = 0, Max = 0.99)] public double LabelSmoothing { get; init; }
}

/// <summary>
/// Everything a CIFAR-10 lab's report needs: the copy read (display name, path, format, standardisation), the
/// per-epoch history, the test accuracies (single view and flip-averaged), the most frequent confusion, sizes and times.
/// </summary>
public sealed record Cifar10Result(string DataName, string DataPath, bool Jpeg, float[] Mean, float[] Std, IReadOnlyList<string> ClassNames,
    IReadOnlyList<EpochRecord> History, string StopReason, double TestAccuracy, double TestAccuracyFlip, int TrainCount, int ValidCount, int TestCount,
    long Parameters, int FirstConvChannels, int MistakeCount, (int True, int Predicted, int Count) TopConfusion, bool Resumed,
    double LoadSeconds, double WallSeconds);

/// <summary>
/// A CIFAR-10 training lab: the recipe's model on the 45k/5k train/validation split, per-channel standardisation,
/// random crop 32 with padding 4 + horizontal flip (+ cutout), SGD with Nesterov momentum 0.9, weight decay 5e-4,
/// batch 128, a one-cycle learning rate stepped per batch, one test pass at the end. Checkpoints every epoch into the
/// output folder and resumes from it (full runs). Every knob is a setting (<c>--set key=value</c>).
/// </summary>
public abstract partial class Cifar10Lab<TSettings> : Lab<TSettings, Cifar10Result> where TSettings : Cifar10Settings
{
    /// <summary>Images per second measured by the vgg11-train benchmark on this machine (for the wall-time estimate).</summary>
    public const double BenchmarkImagesPerSecond = 241;

    /// <summary>The model's name in captions, e.g. "VGG11-BN" or "ResNet-9 (width 32)".</summary>
    public abstract string ModelName(TSettings s);

    /// <summary>The recipe's model, initialised from <paramref name="generator"/>.</summary>
    protected abstract Sequential CreateModel(TSettings s, Generator generator);

    /// <summary>One sentence naming the model's layers, for the report.</summary>
    protected abstract string ModelDescription(TSettings s);

    /// <summary>Whether <paramref name="s"/> is the full recipe (the run the README quotes) — only then does the report
    /// hold its test accuracy against the 90 % target.</summary>
    public bool IsFullRecipe(TSettings s) => s == Full;

    public override Cifar10Result Experiment(TSettings s, LabKit kit)
    {
        var wall = Stopwatch.StartNew();
        kit.Out.WriteLine("loading CIFAR-10");
        var c = kit.LoadCifar10(s.Train, s.Valid, s.Test);
        var data = c.Data;
        kit.Out.WriteLine($"  {data.DisplayName} from {data.Path} in {c.LoadSeconds:F1} s");

        // Augmentation on standardised features: padding and cutout fill 0 = the channel mean.
        var augment = !s.Augment ? null : s.Cutout > 0
            ? Transforms.Compose(Transforms.RandomCrop(32, padding: 4), Transforms.HorizontalFlip(), Transforms.Cutout(s.Cutout))
            : Transforms.Compose(Transforms.RandomCrop(32, padding: 4), Transforms.HorizontalFlip());
        var trainLoader = new DataLoader(c.Train, s.BatchSize, shuffle: true, seed: kit.Seed + 11, transform: augment);
        var validLoader = new DataLoader(c.Valid, 250);

        var model = CreateModel(s, kit.Generator(5));
        var opt = new Sgd(model.Parameters(), new SgdOptions(s.MaxLr, s.Momentum, WeightDecay: s.WeightDecay, Nesterov: s.Nesterov));
        var sched = new OneCycleLR(opt, s.MaxLr, s.Epochs * trainLoader.BatchCount);
        string checkpoint = kit.PathOf("checkpoint.npz");
        var trainer = new Trainer(model, opt, (o, y) => o.CrossEntropy(y, labelSmoothing: s.LabelSmoothing),
            new TrainerOptions(Epochs: s.Epochs, Seed: kit.Seed, CheckpointPath: checkpoint, SchedulerStepPerBatch: true, FreeIntermediates: true), sched);
        bool resumed = false;
        if (!kit.Quick && File.Exists(checkpoint))
        {
            trainer.Resume(checkpoint);
            resumed = true;
            kit.Out.WriteLine($"  resumed from {checkpoint} after {trainer.EpochsDone} epochs");
        }
        trainer.Callbacks.Add(new EpochLog(kit.Out, s.Epochs));
        var fit = trainer.Fit(trainLoader.ForEpoch, validLoader.Batches);
        kit.Out.WriteLine($"  {fit.StopReason}");
        // The trained weights alone beside the checkpoint, as `nabla train` writes them (numpy.load reads the file):
        // every parameter and buffer under its state-dict key, no optimizer state.
        Npz.Save(kit.PathOf("model.npz"), model.StateDict());

        // The one test pass.
        var (xTest, yTest) = LabKit.ToTensors(c.Test);
        var predictions = Visualize.Predict(model, xTest, yTest, batchSize: 250);
        double testAccuracy = 1 - predictions.Error;
        // Test-time augmentation, reported beside (never instead of) the single-view accuracy.
        var flipped = Visualize.Predict(model, xTest, yTest, batchSize: 250, flipAverage: true);
        kit.Out.WriteLine($"  test accuracy {testAccuracy:P2} (with flip averaging {1 - flipped.Error:P2}) on {predictions.Count:N0} images of {data.DisplayName}");

        // Figures that need the model or the test pixels (the curves are drawn by the report from the history).
        var first = model.NamedModules().Select(m => m.Module).OfType<Conv2d>().First();
        Visualize.Kernels(kit.PathOf("kernels.png"), first, $"The {first.OutChannels} first-layer 3×3 RGB kernels, {data.DisplayName} (shared scale)");
        Visualize.ConfusionMatrix(kit.PathOf("confusion.png"), predictions, $"Test confusion matrix, {data.DisplayName} (accuracy {testAccuracy:P2})", data.ClassNames);
        var wrong = predictions.ClearlyMisclassified(24);
        // Undo the standardisation so the gallery shows the images' own colours.
        var pixels = xTest.Mul(Tensor.FromArray(data.Std, [1, 3, 1, 1])).Add(Tensor.FromArray(data.Mean, [1, 3, 1, 1]));
        Visualize.Gallery(kit.PathOf("misclassified.png"), pixels, predictions, wrong, $"Most confident test mistakes, {data.DisplayName} (true→predicted p)", data.ClassNames);

        return new Cifar10Result(data.DisplayName, data.Path, data.Format == Cifar10Format.Jpeg, data.Mean, data.Std, data.ClassNames,
            trainer.History.ToList(), fit.StopReason, testAccuracy, 1 - flipped.Error, c.Train.Count, c.Valid.Count, predictions.Count,
            model.ParameterCount(), first.OutChannels, wrong.Length, CnnLabTraining.TopConfusion(predictions.ConfusionMatrix()), resumed,
            c.LoadSeconds, wall.Elapsed.TotalSeconds);
    }

    /// <summary>One line per epoch: losses, accuracies, learning rate at the epoch start and throughput.</summary>
    private sealed class EpochLog(TextWriter log, int epochs) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord r)
        {
            log.WriteLine($"  epoch {r.Epoch,2}/{epochs}: train loss {r.TrainLoss:F4} acc {r.TrainAccuracy:P2}, valid loss {r.ValidationLoss:F4} " +
                          $"acc {r.ValidationAccuracy:P2}, lr₀ {r.LearningRate:G3}, {r.Seconds:F0} s ({r.SamplesPerSecond:F0} img/s)");
            return true;
        }
    }
}
