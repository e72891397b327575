namespace Nabla.Course;

/// <summary>Plain mini-batch SGD for the homework MLPs: <see cref="Epochs"/> passes over the training set in batches
/// of <see cref="BatchSize"/> (order from <see cref="HandMlpBatches.Epoch"/> with <see cref="Seed"/>), θ ← θ − η·∂L/∂θ
/// with η = <see cref="LearningRate"/>. <see cref="EvaluateTrainingSet"/> adds a full pass over the training set at the
/// end of every epoch (IFT6135's "average loss measured on the training data at the end of each epoch").</summary>
public sealed record HandMlpTrainOptions(int Epochs = 10, int BatchSize = 64, double LearningRate = 0.1, ulong Seed = 1,
    bool EvaluateTrainingSet = true)
{
    public HandMlpTrainOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"HandMlpTrainOptions: epochs must be at least 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"HandMlpTrainOptions: batch size must be at least 1, got {BatchSize}");
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"HandMlpTrainOptions: learning rate must be non-negative and finite, got {LearningRate}");
        return this;
    }
}
