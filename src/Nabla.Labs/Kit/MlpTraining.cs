using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>The MNIST splits a lab trains on: 50k / 10k / 10k in full mode, small prefixes of them in quick mode.</summary>
public sealed record MnistLabSplits(IDataset Train, IDataset Validation, IDataset Test);

/// <summary>
/// Pieces shared by the MLP labs (mlp-init, mlp-search, finite-difference): loading MNIST with the standard split,
/// training a classifier with plain mini-batch SGD through <see cref="Trainer"/>, and a one-line log per epoch.
/// </summary>
public static class MnistMlpKit
{
    /// <summary>Quick-mode sizes: the first examples of each split.</summary>
    public const int QuickTrain = 2000, QuickValidation = 1000, QuickTest = 1000;

    /// <summary>MNIST standardised with (0.1307, 0.3081), last 10,000 training images as validation. Throws the
    /// library's DatasetNotFoundException when the files are not under the data root.</summary>
    public static MnistLabSplits Load(LabContext ctx)
    {
        var m = Mnist.Load("mnist", new MnistOptions { Root = ctx.DataRoot, ValidationCount = 10_000, Normalize = true });
        if (!ctx.Quick) return new MnistLabSplits(m.Train, m.Validation!, m.Test);
        return new MnistLabSplits(m.Train.Slice(0, QuickTrain), m.Validation!.Slice(0, QuickValidation), m.Test.Slice(0, QuickTest));
    }

    /// <summary>Number of parameters of a fully connected net with the given layer widths (input … output):
    /// Σ (in·out + out).</summary>
    public static long DenseParameterCount(params int[] widths)
    {
        long n = 0;
        for (int i = 0; i + 1 < widths.Length; i++) n += (long)widths[i] * widths[i + 1] + widths[i + 1];
        return n;
    }

    /// <summary>Trains <paramref name="model"/> with plain SGD (no momentum, no weight decay) on cross-entropy for
    /// <paramref name="epochs"/> epochs of shuffled mini-batches, evaluating on <paramref name="validation"/> after
    /// each epoch. Returns the trainer (history, Evaluate) and how the fit ended.</summary>
    public static (Trainer Trainer, FitResult Fit) TrainSgd(Module model, MnistLabSplits data, int epochs, double learningRate,
        int batchSize, ulong seed, TextWriter log, string tag)
    {
        var optimizer = new Sgd(model.Parameters(), new SgdOptions(learningRate));
        var trainer = new Trainer(model, optimizer, (logits, labels) => logits.CrossEntropy(labels), new TrainerOptions(epochs, seed));
        trainer.Callbacks.Add(new EpochLog(log, tag, epochs));
        var train = new DataLoader(data.Train, batchSize, shuffle: true, seed: seed);
        var fit = trainer.Fit(train.ForEpoch, () => EvalLoader(data.Validation).Batches());
        if (fit.Diverged) log.WriteLine($"  [{tag}] {fit.StopReason}");
        return (trainer, fit);
    }

    /// <summary>Loss and accuracy on <paramref name="data"/> (eval mode, no recording).</summary>
    public static EvalResult Evaluate(Trainer trainer, IDataset data) => trainer.Evaluate(EvalLoader(data).Batches());

    public static DataLoader EvalLoader(IDataset data) => new(data, 1000, shuffle: false);

    /// <summary>Features [1, …] and label [1] of example <paramref name="index"/>.</summary>
    public static (Tensor X, Tensor Y) Example(IDataset data, int index)
    {
        var x = new float[data.FeatureSize()];
        int y = data.Get(index, x);
        return (Tensor.FromArray(x, [1, .. data.FeatureShape]), Tensor.FromArray(new[] { y }, 1));
    }

    /// <summary>The per-epoch average training loss, padded with NaN up to <paramref name="epochs"/> when the run
    /// stopped early (diverged).</summary>
    public static double[] TrainLosses(FitResult fit, int epochs)
    {
        var l = Enumerable.Repeat(double.NaN, epochs).ToArray();
        for (int i = 0; i < fit.History.Count && i < epochs; i++) l[i] = fit.History[i].TrainLoss;
        return l;
    }

    private sealed class EpochLog(TextWriter log, string tag, int epochs) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord r)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{tag}] epoch {r.Epoch}/{epochs}: train loss {LabReport.Format(r.TrainLoss)}, val acc {100 * r.ValidationAccuracy:F2}% ({r.Seconds:F1} s)"));
            return true;
        }
    }
}
