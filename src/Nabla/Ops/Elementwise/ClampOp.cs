using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = min(max(x, lo), hi), either bound optional (hi wins if lo &gt; hi). ∂y/∂x = 1[lo ≤ x ≤ hi]: the
/// gradient passes at the bounds themselves, as in PyTorch.</summary>
internal sealed class ClampOp : Node
{
    private Tensor _input = null!;
    private double _lo, _hi;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, double? min, double? max)
    {
        if (min is null && max is null) throw new ArgumentException("Clamp: at least one of min and max must be given");
        if (min is double.NaN || max is double.NaN) throw new ArgumentException("Clamp: bounds must not be NaN");
        double lo = min ?? double.NegativeInfinity, hi = max ?? double.PositiveInfinity;
        var y = Elementwise.Map("Clamp", x, new ClampOperator<float>((float)lo, (float)hi), new ClampOperator<double>(lo, hi));
        return new ClampOp { _input = x.Detach(), _lo = lo, _hi = hi }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        Elementwise.Zip(gradOutput, _input, new ClampBackwardOperator<float>((float)_lo, (float)_hi), new ClampBackwardOperator<double>(_lo, _hi)),
    ];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Limits every element to [min, max]; pass only one bound for a one-sided clamp, e.g. Clamp(min: 0). ∂/∂x = 1 where min ≤ x ≤ max, 0 where clamped.</summary>
        public Tensor Clamp(double? min = null, double? max = null) => ClampOp.Forward(x, min, max);
    }
}
