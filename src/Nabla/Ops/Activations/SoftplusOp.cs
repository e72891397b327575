using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = (1/β)·ln(1 + e^(βx)), and y = x where βx &gt; threshold (PyTorch's linear cut-off).
/// ∂y/∂x = σ(βx), and 1 past the threshold.</summary>
/// <remarks>Evaluated as (max(βx, 0) + log1p(e^−|βx|))/β, which neither overflows for large βx nor loses
/// digits for very negative βx (where y ≈ e^(βx)/β).</remarks>
internal sealed class SoftplusOp : Node
{
    private Tensor _input = null!;
    private double _beta, _threshold;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, double beta, double threshold)
    {
        if (beta == 0 || !double.IsFinite(beta)) throw new ArgumentException($"Softplus: beta must be finite and nonzero, got {beta}");
        var y = Elementwise.Map("Softplus", x,
            new SoftplusOperator<float>((float)beta, (float)threshold), new SoftplusOperator<double>(beta, threshold));
        return new SoftplusOp { _input = x.Detach(), _beta = beta, _threshold = threshold }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        Elementwise.Zip(gradOutput, _input,
            new SoftplusBackwardOperator<float>((float)_beta, (float)_threshold), new SoftplusBackwardOperator<double>(_beta, _threshold)),
    ];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>A smooth ReLU: (1/beta)·ln(1 + e^(beta·x)), linear where beta·x &gt; threshold. ∂/∂x = σ(βx) (1 above the threshold, where the op is linear).</summary>
        public Tensor Softplus(double beta = 1.0, double threshold = 20.0) => SoftplusOp.Forward(x, beta, threshold);
    }
}
