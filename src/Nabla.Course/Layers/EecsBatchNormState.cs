
namespace Nabla.Course;

/// <summary>
/// Running statistics of the EECS 498 batch-norm variant: the running mean [D] and the running sum of squared
/// deviations S = Σ_j ‖X_j − μ‖² ([1] for <see cref="EecsSigmaScope.AllFeatures"/>, [D] per feature), both updated in
/// training mode as running ← momentum·running + (1 − momentum)·batch. Test mode uses σ = √(S_running + ε), the
/// σ of a training batch (so it matches training only for the training batch size: this σ has no 1/n).
/// The running mean starts at 0 and S at 1, so before any training batch the test-mode layer is (almost) the identity.
/// </summary>
public sealed class EecsBatchNormState
{
    public EecsBatchNormState(int features, DType dtype = DType.Float64, EecsSigmaScope scope = EecsSigmaScope.AllFeatures,
        double momentum = 0.9, double eps = 1e-5)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), $"EecsBatchNormState: features must be positive, got {features}");
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"EecsBatchNormState: dtype must be float32 or float64, got {dtype.Name()}", nameof(dtype));
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"EecsBatchNormState: momentum must be in [0, 1], got {momentum}");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"EecsBatchNormState: eps must be positive, got {eps}");
        Scope = scope;
        RunningMean = Tensor.Zeros([features], dtype);
        RunningSumSq = Tensor.Ones([scope == EecsSigmaScope.AllFeatures ? 1 : features], dtype);
        Momentum = momentum;
        Eps = eps;
    }

    public EecsSigmaScope Scope { get; }

    /// <summary>[D] running mean.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running Σ_j ‖X_j − μ‖²: [1] (all features) or [D] (per feature).</summary>
    public Tensor RunningSumSq { get; }

    public double Momentum { get; }

    public double Eps { get; }
}
