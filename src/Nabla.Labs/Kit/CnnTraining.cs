using System.Diagnostics;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>One model's run: per-epoch mean training loss, training error and validation error (fractions), and the
/// wall time (training and the per-epoch measurements).</summary>
public sealed record EpochCurves(IReadOnlyList<double> TrainLoss, IReadOnlyList<double> TrainError, IReadOnlyList<double> ValidError, double Seconds)
{
    /// <summary>The 1-based epoch with the lowest validation error (the latest of tied epochs: more training at a lower
    /// learning rate); 0 when there is no epoch.</summary>
    public int BestEpoch
    {
        get
        {
            int best = 0;
            for (int i = 0; i < ValidError.Count; i++)
                if (best == 0 || ValidError[i] <= ValidError[best - 1]) best = i + 1;
            return best;
        }
    }
}

/// <summary>
/// The CNN labs' training: minibatch cross-entropy through the library's <see cref="Trainer"/> (shuffling loader per
/// epoch, optimiser step per batch, scheduler step per epoch, the default generator reseeded per epoch from the seed),
/// with a per-epoch callback that measures training and validation error in eval mode and logs one line.
/// </summary>
public static class CnnTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> for <paramref name="epochs"/> epochs on <paramref name="train"/>. After each epoch
    /// the validation error is measured on <paramref name="valid"/> (eval mode, batches of <paramref name="evalBatch"/>);
    /// the training error on <paramref name="fitSet"/> the same way, or — when it is null — as the running error of the
    /// epoch's (augmented, train-mode) batches.
    /// </summary>
    public static EpochCurves Fit(Module model, Optimizer opt, LRScheduler? scheduler, DataLoader train, int epochs, ulong seed,
        (Tensor X, Tensor Y)? fitSet, (Tensor X, Tensor Y) valid, TextWriter log, string name,
        bool freeIntermediates = false, int evalBatch = 1000)
    {
        var clock = Stopwatch.StartNew();
        var trainer = new Trainer(model, opt, (o, y) => o.CrossEntropy(y),
            new TrainerOptions(Epochs: epochs, Seed: seed, FreeIntermediates: freeIntermediates), scheduler);
        var errors = new ErrorCurves(model, fitSet, valid, evalBatch, log, name, clock);
        trainer.Callbacks.Add(errors);
        var fit = trainer.Fit(train.ForEpoch);
        if (fit.Diverged) throw new NablaException($"{name}: {fit.StopReason}");
        return new EpochCurves(errors.TrainLoss, errors.TrainError, errors.ValidError, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Per-epoch training and validation error in eval mode (the trainer's own record gives the loss and the
    /// running training accuracy).</summary>
    private sealed class ErrorCurves(Module model, (Tensor X, Tensor Y)? fitSet, (Tensor X, Tensor Y) valid, int evalBatch,
        TextWriter log, string name, Stopwatch clock) : ITrainerCallback
    {
        public List<double> TrainLoss { get; } = [];
        public List<double> TrainError { get; } = [];
        public List<double> ValidError { get; } = [];

        public bool OnEpochEnd(EpochRecord r)
        {
            TrainLoss.Add(r.TrainLoss);
            TrainError.Add(fitSet is { } f ? CnnLabTraining.Error(model, f.X, f.Y, evalBatch) : 1 - r.TrainAccuracy);
            ValidError.Add(CnnLabTraining.Error(model, valid.X, valid.Y, evalBatch));
            log.WriteLine($"  {name} epoch {r.Epoch,2}: loss {r.TrainLoss:F4}, train error{(fitSet is null ? " (augmented batches)" : "")} {TrainError[^1]:P2}, " +
                          $"valid error {ValidError[^1]:P2} ({clock.Elapsed.TotalSeconds:F0} s)");
            return true;
        }
    }
}
