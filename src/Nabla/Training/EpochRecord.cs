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

/// <summary>What <see cref="Trainer.Fit"/> returns: the per-epoch history and why training stopped.</summary>
public sealed record FitResult(IReadOnlyList<EpochRecord> History, string StopReason, bool Diverged);
