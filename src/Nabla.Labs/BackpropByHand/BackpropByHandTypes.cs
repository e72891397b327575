using Nabla.Course;

namespace Nabla.Labs;

/// <summary>Settings of the <c>backprop-by-hand</c> lab (quick: a few thousand images, seconds).</summary>
public sealed record BackpropByHandSettings
{
    [Setting("training images (first of the 50,000 of the standard split)", Min = 100, Max = 50_000)]
    public int TrainSize { get; init; } = 50_000;

    [Setting("validation images (of the 10,000 held out from the training file)", Min = 100, Max = 10_000)]
    public int ValidationSize { get; init; } = 10_000;

    [Setting("test images, scored once at the end", Min = 100, Max = 10_000)]
    public int TestSize { get; init; } = 10_000;

    [Setting("epochs of every network", Min = 1, Max = 200)]
    public int Epochs { get; init; } = 10;

    [Setting("mini-batch size", Min = 1, Max = 10_000)]
    public int BatchSize { get; init; } = 64;

    [Setting("IFT6135 net: SGD learning rate", Key = "lr", Min = 0)]
    public double LearningRate { get; init; } = 0.05;

    [Setting("IFT6135 net: hidden sizes h1,h2", Min = 1)]
    public int[] Hidden { get; init; } = [512, 512];

    [Setting("24789 net: hidden sizes (the template's own are not in the seed text)")]
    public int[] TemplateHidden { get; init; } = [512, 256];

    [Setting("24789 net: hidden activation")]
    public HandActivation TemplateActivation { get; init; } = HandActivation.Sigmoid;

    [Setting("24789 net: SGD learning rate", Key = "template-lr", Min = 0)]
    public double TemplateLearningRate { get; init; } = 0.5;

    [Setting("24789 net: the initialisation tried beside the template's standard normal")]
    public HandMlpInit TemplateAltInit { get; init; } = HandMlpInit.Glorot;

    [Setting("gradient check: rows of the real mini-batch", Min = 1, Max = 1000)]
    public int CheckBatch { get; init; } = 64;

    [Setting("gradient check: entries per parameter tensor compared with finite differences", Min = 1, Max = 100_000)]
    public int CheckEntries { get; init; } = 40;
}

/// <summary>One parameter tensor of the gradient check: explicit vs autograd (every entry), explicit and autograd vs
/// central finite differences (the sampled entries).</summary>
public sealed record BackpropGradRow(string Network, string Tensor, string Shape, HandGradError ExplicitVsAutograd,
    HandGradError ExplicitVsNumeric, HandGradError AutogradVsNumeric);

/// <summary>One network trained twice from the same weights and batches: explicit backprop and its autograd twin.
/// <see cref="InitialPreActivationStd"/> is the standard deviation of the first layer's pre-activations at
/// initialisation over (up to) 1,000 training images.</summary>
public sealed record BackpropRun(string Key, string Network, string Init, string Twin, long Parameters, HandMlpHistory Explicit,
    IReadOnlyList<double> TwinStepLosses, IReadOnlyList<double> TwinValidAccuracy, double TestLoss, double TestAccuracy,
    double TwinTestAccuracy, double Seconds, double TwinSeconds, double InitialPreActivationStd)
{
    /// <summary>max over steps of |explicit loss − autograd loss| (NaN when either went non-finite).</summary>
    public double MaxLossDifference => MaxOver((a, b) => Math.Abs(a - b));

    /// <summary>max over steps of |Δ loss| / |autograd loss|.</summary>
    public double MaxRelativeLossDifference => MaxOver((a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12));

    private double MaxOver(Func<double, double, double> f)
    {
        double m = 0;
        foreach (var (a, b) in Explicit.StepLosses.Zip(TwinStepLosses))
        {
            double v = f(a, b);
            if (double.IsNaN(v)) return double.NaN;
            m = Math.Max(m, v);
        }
        return m;
    }

    public double FinalValidAccuracy => Explicit.Epochs[^1].ValidAccuracy;
}

/// <summary>Everything the report needs.</summary>
public sealed record BackpropByHandResult(int TrainCount, int ValidCount, int TestCount, IReadOnlyList<BackpropGradRow> GradCheck,
    int CheckRows, double CheckEps, IReadOnlyList<BackpropRun> Runs);
