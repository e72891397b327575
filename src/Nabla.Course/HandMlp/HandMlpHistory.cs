namespace Nabla.Course;

/// <summary>What a training run recorded: every mini-batch loss in order (before its update) and the epochs.</summary>
public sealed record HandMlpHistory(IReadOnlyList<double> StepLosses, IReadOnlyList<HandMlpEpoch> Epochs);
