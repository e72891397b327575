using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>The sizes, the training recipe and the dropout rates tried by <c>cnn-dropout-bn</c>.</summary>
public sealed record CnnDropoutBnSettings
{
    [Setting("MNIST training images used (the first ones)", Min = 1, Max = 50_000)] public int Train { get; init; }
    [Setting("validation images (standard 10k split)", Min = 1, Max = 10_000)] public int Valid { get; init; }
    [Setting("test images", Min = 1, Max = 10_000)] public int Test { get; init; }
    [Setting("epochs per dropout rate", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("minibatch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; }
    [Setting("SGD learning rate (cosine decay over the epochs)", Min = 0)] public double LearningRate { get; init; }
    [Setting("SGD momentum", Min = 0, Max = 0.999)] public double Momentum { get; init; }
    [Setting("weight decay", Min = 0)] public double WeightDecay { get; init; }
    [Setting("dropout rates tried before the classifier (each in [0, 1))")] public double[] DropoutRates { get; init; } = [];
}

/// <summary>One dropout rate's run.</summary>
public sealed record DropoutRun(double Rate, EpochCurves Curves);

public sealed record CnnDropoutBnResult(IReadOnlyList<DropoutRun> Runs, double ChosenRate, double TestError, int TrainCount, int ValidCount,
    int TestCount, long Parameters, (int True, int Predicted, int Count) TopConfusion);

/// <summary>
/// The configurable CNN with batch normalisation after each convolution and dropout before the classifier, on MNIST;
/// the dropout rate is chosen by validation error among a few values, then the chosen model is examined: first-layer
/// kernels, feature maps of both conv stages for one test image, confusion matrix, galleries of clearly
/// misclassified and of unsure test images.
/// </summary>
public sealed partial class CnnDropoutBnLab : Lab<CnnDropoutBnSettings, CnnDropoutBnResult>
{
    public override string Name => "cnn-dropout-bn";

    public override string Description => "CNN with BatchNorm and dropout on MNIST: dropout chosen on validation, kernels, feature maps, confusion matrix, galleries";

    public override string Title => "CNN with batch normalisation and dropout on MNIST";

    public override CnnDropoutBnSettings Quick => new()
    {
        Train = 1500, Valid = 500, Test = 500, Epochs = 1, BatchSize = 64, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 5e-4, DropoutRates = [0.0, 0.5],
    };

    public override CnnDropoutBnSettings Full => Quick with { Train = 10_000, Valid = 10_000, Test = 10_000, Epochs = 5, DropoutRates = [0.0, 0.25, 0.5] };

    public override CnnDropoutBnResult Experiment(CnnDropoutBnSettings s, LabKit kit)
    {
        if (s.DropoutRates.Length == 0 || s.DropoutRates.Any(p => p is < 0 or >= 1))
            throw new ArgumentException($"lab '{Name}': setting 'dropout-rates' needs one or more rates in [0, 1), got '{LabSettings.Show(s.DropoutRates)}'");
        kit.Out.WriteLine("loading MNIST");
        var d = CnnLabTraining.LoadMnist(kit, s.Train, s.Valid, s.Test);
        var baseOptions = new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: true, BatchNorm: true);

        // 1. One model per dropout rate, same initial weights and data order; pick the lowest final validation error.
        var runs = new List<(DropoutRun Run, Sequential Model)>();
        foreach (double rate in s.DropoutRates)
        {
            var model = Cnn.Create(baseOptions with { Dropout = rate }, kit.Generator(21));
            var opt = new Sgd(model.Parameters(), new SgdOptions(s.LearningRate, s.Momentum, WeightDecay: s.WeightDecay));
            var sched = new CosineAnnealingLR(opt, s.Epochs);
            var loader = new DataLoader(d.TrainSet, s.BatchSize, shuffle: true, seed: kit.Seed + 7);
            var curves = CnnTraining.Fit(model, opt, sched, loader, s.Epochs, kit.Seed + 7, (d.XTrain, d.YTrain), (d.XValid, d.YValid), kit.Out, $"p={rate}");
            runs.Add((new DropoutRun(rate, curves), model));
        }
        var (best, chosen) = runs.MinBy(r => r.Run.Curves.ValidError[^1]);
        var predictions = Visualize.Predict(chosen, d.XTest, d.YTest);
        double testError = predictions.Error;
        kit.Out.WriteLine($"  chosen dropout {best.Rate}: test error {testError:P2}");

        // 2. Figures of the chosen model (they need the model, so they are drawn here).
        var convs = chosen.Layers.OfType<Conv2d>().ToList();
        var relus = chosen.Layers.OfType<ReLU>().ToList();
        Visualize.Kernels(kit.PathOf("kernels.png"), convs[0]);
        int sample = 0;
        var image = d.XTest.Select(0, sample);
        string caption = $"test image {sample} (label {predictions.Labels[sample]}, predicted {predictions.Predicted(sample)})";
        Visualize.Gallery(kit.PathOf("input.png"), d.XTest, predictions, [sample], "input");
        Visualize.SaveFeatureMaps(kit.PathOf("feature_maps_1.png"), chosen, relus[0], image, $"conv1 → BN → ReLU, 28×28: {caption}");
        Visualize.SaveFeatureMaps(kit.PathOf("feature_maps_2.png"), chosen, relus[1], image, $"conv2 → BN → ReLU, 14×14: {caption}");
        Visualize.ConfusionMatrix(kit.PathOf("confusion.png"), predictions, $"Test confusion matrix (dropout {best.Rate}, error {testError:P2})");
        Visualize.Gallery(kit.PathOf("misclassified.png"), d.XTest, predictions, predictions.ClearlyMisclassified(16), "Most confident mistakes (true→predicted probability)");
        Visualize.Gallery(kit.PathOf("unsure.png"), d.XTest, predictions, predictions.Unsure(16), "Least sure (true: top-1 p / top-2 p)", showSecond: true);

        return new CnnDropoutBnResult(runs.Select(r => r.Run).ToList(), best.Rate, testError, d.XTrain.Size(0), d.XValid.Size(0),
            predictions.Count, chosen.ParameterCount(), CnnLabTraining.TopConfusion(predictions.ConfusionMatrix()));
    }
}
