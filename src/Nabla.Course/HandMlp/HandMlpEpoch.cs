namespace Nabla.Course;

/// <summary>One epoch of a homework MLP's training: the mean of its mini-batch losses (each taken before its update),
/// the loss and accuracy on the whole training set after the epoch (NaN when not evaluated), and on the validation set
/// (NaN without one).</summary>
public sealed record HandMlpEpoch(int Epoch, double MeanBatchLoss, double TrainLoss, double TrainAccuracy,
    double ValidLoss, double ValidAccuracy, double Seconds);
