using Nabla.Course;

namespace Nabla.Labs;

/// <summary>One network trained twice from the same weights and batches: explicit backprop and its autograd twin.
/// <see cref="InitialPreActivationStd"/> is the standard deviation of the first layer's pre-activations at
/// initialisation over (up to) 1,000 training images.</summary>
public sealed record BackpropRun(string Key, string Network, string Init, string Twin, long Parameters, HandMlpHistory Explicit,
    IReadOnlyList<double> TwinStepLosses, IReadOnlyList<double> TwinValidAccuracy, double TestLoss, double TestAccuracy,
    double TwinTestAccuracy, double Seconds, double TwinSeconds, double InitialPreActivationStd)
{
    /// <summary>max over steps of |explicit loss − autograd loss| (NaN when either went non-finite).</summary>
    public double MaxLossDifference => MaxOver((a, b) => Math.Abs(a - b));

    /// <summary>max over steps of |Δ loss| / |autograd loss|.</summary>
    public double MaxRelativeLossDifference => MaxOver((a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12));

    private double MaxOver(Func<double, double, double> f)
    {
        double m = 0;
        foreach (var (a, b) in Explicit.StepLosses.Zip(TwinStepLosses))
        {
            double v = f(a, b);
            if (double.IsNaN(v)) return double.NaN;
            m = Math.Max(m, v);
        }
        return m;
    }

    public double FinalValidAccuracy => Explicit.Epochs[^1].ValidAccuracy;
}
