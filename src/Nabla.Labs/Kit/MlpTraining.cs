using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// Training a classifier as the MLP labs do (mlp-init, mlp-search, finite-difference): plain mini-batch SGD on
/// cross-entropy through the library's <see cref="Trainer"/>, with a one-line log per epoch.
/// </summary>
public static class MlpTraining
{
    /// <summary>Number of parameters of a fully connected net with the given layer widths (input … output):
    /// Σ (in·out + out).</summary>
    public static long DenseParameterCount(params int[] widths)
    {
        long n = 0;
        for (int i = 0; i + 1 < widths.Length; i++) n += (long)widths[i] * widths[i + 1] + widths[i + 1];
        return n;
    }

    /// <summary>Trains <paramref name="model"/> with plain SGD (no momentum, no weight decay) on cross-entropy for
    /// <paramref name="epochs"/> epochs of shuffled mini-batches of <paramref name="data"/>'s training split, evaluating on
    /// its validation split after each epoch (then <paramref name="callbacks"/>, in order, after the epoch's log line).
    /// Returns the trainer (history, Evaluate) and how the fit ended.</summary>
    public static (Trainer Trainer, FitResult Fit) TrainSgd(Module model, LabMnist data, int epochs, double learningRate,
        int batchSize, ulong seed, TextWriter log, string tag, params ITrainerCallback[] callbacks)
    {
        var optimizer = new Sgd(model.Parameters(), new SgdOptions(learningRate));
        var trainer = new Trainer(model, optimizer, (logits, labels) => logits.CrossEntropy(labels), new TrainerOptions(epochs, seed));
        trainer.Callbacks.Add(new EpochLog(log, tag, epochs));
        trainer.Callbacks.AddRange(callbacks);
        var train = new DataLoader(data.Train, batchSize, shuffle: true, seed: seed);
        var fit = trainer.Fit(train.ForEpoch, data.Validation.Count == 0 ? null : () => EvalLoader(data.Validation).Batches());
        if (fit.Diverged) log.WriteLine($"  [{tag}] {fit.StopReason}");
        return (trainer, fit);
    }

    /// <summary>Loss and accuracy on <paramref name="data"/> (eval mode, no recording).</summary>
    public static EvalResult Evaluate(Trainer trainer, IDataset data) => trainer.Evaluate(EvalLoader(data).Batches());

    public static DataLoader EvalLoader(IDataset data) => new(data, 1000, shuffle: false);

    /// <summary>A per-epoch series of the history, padded with NaN up to <paramref name="epochs"/> when the run stopped
    /// early (diverged).</summary>
    public static double[] Series(FitResult fit, int epochs, Func<EpochRecord, double> value)
    {
        var s = Enumerable.Repeat(double.NaN, epochs).ToArray();
        for (int i = 0; i < fit.History.Count && i < epochs; i++) s[i] = value(fit.History[i]);
        return s;
    }

    /// <summary>Logs "[tag] epoch e/E: train loss …, val acc …" after each epoch.</summary>
    public sealed class EpochLog(TextWriter log, string tag, int epochs) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord r)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{tag}] epoch {r.Epoch}/{epochs}: train loss {LabReport.Format(r.TrainLoss)}, val acc {100 * r.ValidationAccuracy:F2}% ({r.Seconds:F1} s)"));
            return true;
        }
    }
}
