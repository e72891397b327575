using Nabla.Course;

namespace Nabla.Labs;

/// <summary>One network trained twice in float32 from the same weights and batches: explicit backprop and its
/// autograd twin. <see cref="Control"/> repeats the first steps of both in float64 (same initial weights, same
/// batches), which separates float32 rounding from a difference in the computation. <see cref="InitialPreActivationStd"/>
/// is the standard deviation of the first layer's pre-activations at initialisation over (up to) 1,000 training images.</summary>
public sealed record BackpropRun(string Key, string Network, string Init, string Twin, long Parameters, HandMlpHistory Explicit,
    IReadOnlyList<double> TwinStepLosses, IReadOnlyList<double> TwinValidAccuracy, double TestLoss, double TestAccuracy,
    double TwinTestAccuracy, double Seconds, double TwinSeconds, double InitialPreActivationStd, LossDifference Control)
{
    /// <summary>The float32 batch losses of the explicit network and its twin compared over every step.</summary>
    public LossDifference Float32 => LossDifference.Of(Explicit.StepLosses, TwinStepLosses);

    /// <summary>The float32 batch losses compared over the steps the float64 control ran.</summary>
    public LossDifference Float32Early => LossDifference.Of(Explicit.StepLosses.Take(Control.Steps).ToList(), TwinStepLosses.Take(Control.Steps).ToList());

    public double MaxLossDifference => Float32.MaxAbs;

    public double MaxRelativeLossDifference => Float32.MaxRel;

    public double FinalValidAccuracy => Explicit.Epochs[^1].ValidAccuracy;
}
