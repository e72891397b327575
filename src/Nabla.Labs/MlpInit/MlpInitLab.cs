using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Sizes of the mlp-init lab.</summary>
public sealed record MlpInitSettings
{
    [Setting("training images (the first of the 50k training part)", Min = 1, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("validation images (the first of the 10k held out)", Min = 1, Max = 10_000)] public int ValidationImages { get; init; }
    [Setting("test images (the first of the test file)", Min = 1, Max = 10_000)] public int TestImages { get; init; }
    [Setting("hidden layer widths", Min = 1, Max = 4096)] public int[] Hidden { get; init; } = [512, 512];
    [Setting("epochs of plain SGD per initialisation", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("SGD learning rate", Min = 1e-6, Max = 10)] public double LearningRate { get; init; }
    [Setting("mini-batch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; }
}

/// <summary>Pre-activation std per Linear layer, fraction of hidden units that are 0 on every probe image (per hidden
/// layer) and mean loss, on the first validation images (up to 1000).</summary>
public sealed record InitProbe(double[] PreStd, double[] Dead, double Loss);

/// <summary>One initialisation's run: per epoch, the average loss on the whole training set measured at the end of the
/// epoch (eval mode, no recording: the assignment's number), the running mean of the epoch's minibatch losses (what the
/// optimiser saw while the weights changed) and the validation accuracy (NaN after a divergence); the probes before and
/// after training, final accuracies and how the run ended.</summary>
public sealed record InitRun(string Label, string Key, double[] TrainLoss, double[] RunningTrainLoss, double[] ValidationAccuracy,
    InitProbe Before, InitProbe After, double FinalValidationAccuracy, double TestAccuracy, string Outcome);

/// <summary>What zero initialisation left after training: the largest |W| over all layers, the largest hidden |b|, the
/// output bias.</summary>
public sealed record ZeroInitState(double MaxWeight, double MaxHiddenBias, double[] OutputBias);

public sealed record MlpInitResult(int TrainCount, int ValidationCount, int TestCount, int ProbeImages, long Parameters,
    IReadOnlyList<InitRun> Runs, ZeroInitState Zero);

/// <summary>
/// Weight initialisation of a 784-512-512-10 ReLU MLP on MNIST: zeros, N(0, 1) and Glorot/Xavier uniform, each
/// trained 10 epochs with the same plain SGD; the average loss on the whole training set at the end of every epoch (and
/// the running minibatch mean beside it), curves and accuracies.
/// </summary>
public sealed partial class MlpInitLab : Lab<MlpInitSettings, MlpInitResult>
{
    public override string Name => "mlp-init";

    public override string Description => "MLP 784-512-512-10 on MNIST: zero vs N(0,1) vs Glorot init, 10 epochs of SGD";

    public override string Title => "Weight initialisation of an MLP on MNIST";

    public override MlpInitSettings Quick => new()
    {
        TrainImages = 2000, ValidationImages = 1000, TestImages = 1000, Epochs = 2, LearningRate = 0.01, BatchSize = 64,
    };

    public override MlpInitSettings Full => new()
    {
        TrainImages = 50_000, ValidationImages = 10_000, TestImages = 10_000, Epochs = 10, LearningRate = 0.01, BatchSize = 64,
    };

    /// <summary>(label, Init.Apply_ scheme name, results.json key) of the three schemes, in report order.</summary>
    public static readonly (string Label, string Scheme, string Key)[] Schemes =
        [("Zero", "zeros", "zeros"), ("N(0,1)", "normal", "normal"), ("Glorot", "xavier_uniform", "glorot")];

    public override MlpInitResult Experiment(MlpInitSettings s, LabKit kit)
    {
        var data = kit.Mnist(s.TrainImages, s.ValidationImages, s.TestImages);
        var runs = new List<InitRun>();
        ZeroInitState? zero = null;
        foreach (var (label, scheme, key) in Schemes)
        {
            kit.Out.WriteLine($"init {label}");
            var model = Mlp.Create(new MlpOptions(Hidden: s.Hidden, Init: scheme), kit.Generator(17));
            var before = Measure(model, data.Validation);
            var endOfEpoch = new TrainSetLoss(model, data.Train, kit.Out, label);
            var (trainer, fit) = MlpTraining.TrainSgd(model, data, s.Epochs, s.LearningRate, s.BatchSize, kit.Seed + 1, kit.Out, label, endOfEpoch);
            var trainLoss = Enumerable.Repeat(double.NaN, s.Epochs).ToArray();
            for (int e = 0; e < endOfEpoch.Loss.Count && e < s.Epochs; e++) trainLoss[e] = endOfEpoch.Loss[e];
            runs.Add(new InitRun(label, key, trainLoss,
                MlpTraining.Series(fit, s.Epochs, e => e.TrainLoss), MlpTraining.Series(fit, s.Epochs, e => e.ValidationAccuracy),
                before, Measure(model, data.Validation),
                MlpTraining.Evaluate(trainer, data.Validation).Accuracy, MlpTraining.Evaluate(trainer, data.Test).Accuracy,
                fit.Diverged ? fit.StopReason : "completed"));
            if (scheme == "zeros") zero = ZeroState(model);
        }
        return new MlpInitResult(data.Train.Count, data.Validation.Count, data.Test.Count, Math.Min(1000, data.Validation.Count),
            MlpTraining.DenseParameterCount([784, .. s.Hidden, 10]), runs, zero!);
    }

    /// <summary>Mean cross-entropy of <paramref name="model"/> over every example of <paramref name="data"/>, in eval mode
    /// without recording (the model's mode is restored).</summary>
    public static double MeanLoss(Module model, IDataset data)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            double sum = 0;
            long n = 0;
            foreach (var (x, y) in MlpTraining.EvalLoader(data).Batches())
            {
                sum += model.Invoke(x).CrossEntropy(y, LossReduction.Sum).Item();
                n += x.Size(0);
            }
            return n == 0 ? double.NaN : sum / n;
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>After each epoch: the average loss on the whole training set (<see cref="MeanLoss"/>), logged.</summary>
    private sealed class TrainSetLoss(Module model, IDataset train, TextWriter log, string tag) : ITrainerCallback
    {
        public List<double> Loss { get; } = [];

        public bool OnEpochEnd(EpochRecord r)
        {
            Loss.Add(MeanLoss(model, train));
            log.WriteLine($"  [{tag}] epoch {r.Epoch}: loss on the whole training set at the end of the epoch {LabReport.Format(Loss[^1])}");
            return true;
        }
    }

    /// <summary>Runs the first 1000 images of <paramref name="data"/> through the layers one by one (no recording).</summary>
    private static InitProbe Measure(Sequential model, IDataset data)
    {
        using var _ = GradMode.NoGrad();
        var (x, y) = MlpTraining.EvalLoader(data).Batches().First();
        var stds = new List<double>();
        var dead = new List<double>();
        foreach (var layer in model.Layers)
        {
            x = layer.Invoke(x);
            if (layer is Linear) stds.Add(Std(x.ToDoubleArray()));
            else if (layer is ReLU) dead.Add(DeadFraction(x.ToDoubleArray(), x.Size(0)));
        }
        return new InitProbe(stds.ToArray(), dead.ToArray(), x.CrossEntropy(y).Item());
    }

    private static double Std(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / v.Length);
    }

    /// <summary>Fraction of columns of h [n, units] that are zero in every row (units that never fire).</summary>
    public static double DeadFraction(double[] h, int n)
    {
        int units = h.Length / n, dead = 0;
        for (int j = 0; j < units; j++)
        {
            bool fires = false;
            for (int i = 0; i < n && !fires; i++) fires = h[i * units + j] > 0;
            if (!fires) dead++;
        }
        return (double)dead / units;
    }

    private static ZeroInitState ZeroState(Sequential model)
    {
        var linears = model.Layers.OfType<Linear>().ToList();
        double maxW = linears.Max(l => l.Weight.ToDoubleArray().Max(Math.Abs));
        double maxHiddenBias = linears.Take(linears.Count - 1).Select(l => l.Bias!.ToDoubleArray().Max(Math.Abs)).DefaultIfEmpty(0).Max();
        return new ZeroInitState(maxW, maxHiddenBias, linears[^1].Bias!.ToDoubleArray());
    }
}
