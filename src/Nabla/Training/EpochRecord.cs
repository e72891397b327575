namespace Nabla.Training;

/// <summary>One epoch of history, as plain numbers (accuracies are fractions in [0, 1]; NaN when not measured).</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double LearningRate,
    double Seconds,
    double SamplesPerSecond);

/// <summary>Loss and accuracy of a model on a data set.</summary>
public sealed record EvalResult(double Loss, double Accuracy, int Samples);

/// <summary>Why <see cref="Trainer.Fit"/> stopped.</summary>
public enum FitStop
{
    /// <summary>All the epochs asked for ran.</summary>
    Completed,
    /// <summary>Validation loss stopped improving (<see cref="TrainerOptions.EarlyStoppingPatience"/>).</summary>
    EarlyStopping,
    /// <summary>A callback's <see cref="ITrainerCallback.OnEpochEnd"/> returned false.</summary>
    Callback,
    /// <summary>An epoch failed the good-epoch rule (see <see cref="TrainerOptions"/>); the model's weights in memory are
    /// those of the bad epoch, the checkpoint (if any) those of <see cref="FitResult.LastGoodEpoch"/>.</summary>
    Diverged,
    /// <summary>The cancellation token passed to <see cref="Trainer.Fit"/> was signalled; the unfinished epoch is
    /// discarded (not in the history, no checkpoint), so the weights in memory are ahead of the checkpoint.</summary>
    Interrupted,
}

/// <summary>What <see cref="Trainer.Fit"/> returns: the per-epoch history (good epochs only) and why training
/// stopped. <see cref="LastGoodEpoch"/> is the last epoch of <see cref="History"/> (0 when none).</summary>
public sealed record FitResult(IReadOnlyList<EpochRecord> History, string StopReason, bool Diverged, FitStop Stop = FitStop.Completed)
{
    /// <summary>The last epoch that passed the good-epoch rule (1-based; 0 = none).</summary>
    public int LastGoodEpoch => History.Count == 0 ? 0 : History[^1].Epoch;
}
