
namespace Nabla.Course;

/// <summary>
/// The running statistics and hyper-parameters of one batch-norm layer (cs231n's <c>bn_param</c>): running mean and
/// variance of shape [D] (or [C] for spatial batch norm), updated in place by every training-mode forward with the
/// cs231n convention running ← momentum·running + (1 − momentum)·batch (so momentum = 0.9 keeps 90 % of the old
/// value; PyTorch's momentum 0.1 means the same thing from the other side) and the biased batch variance.
/// The running mean starts at 0 and the running variance at 1 (as PyTorch; cs231n starts both at 0).
/// </summary>
public sealed class BatchNormState
{
    public BatchNormState(int features, DType dtype = DType.Float64, double momentum = 0.9, double eps = 1e-5)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), $"BatchNormState: features must be positive, got {features}");
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"BatchNormState: dtype must be float32 or float64, got {dtype.Name()}", nameof(dtype));
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNormState: momentum must be in [0, 1], got {momentum}");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"BatchNormState: eps must be positive, got {eps}");
        RunningMean = Tensor.Zeros([features], dtype);
        RunningVar = Tensor.Ones([features], dtype);
        Momentum = momentum;
        Eps = eps;
    }

    /// <summary>[D] running mean (updated in place in training mode).</summary>
    public Tensor RunningMean { get; }

    /// <summary>[D] running biased variance (updated in place in training mode).</summary>
    public Tensor RunningVar { get; }

    /// <summary>Weight of the old running value: running ← momentum·running + (1 − momentum)·batch.</summary>
    public double Momentum { get; }

    /// <summary>ε in 1/√(σ² + ε).</summary>
    public double Eps { get; }
}
