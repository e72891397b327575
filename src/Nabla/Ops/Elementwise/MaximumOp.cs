using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = max(a, b) element-wise with broadcasting (NaN propagates). ∂y/∂a = 1[a &gt; b] + ½·1[a = b],
/// ∂y/∂b = 1[a &lt; b] + ½·1[a = b]: ties split the gradient evenly, as in PyTorch.</summary>
internal sealed class MaximumOp : Node
{
    private Tensor _a = null!, _b = null!;
    private protected override Tensor?[] Saved => [_a, _b];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<MaximumOperator<float>, MaximumOperator<double>>("Maximum", a, b);
        return new MaximumOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => TieSplit.Gradients(gradOutput, _a, _b, NeedsGrad(0), NeedsGrad(1), max: true);
}

/// <summary>y = min(a, b) element-wise with broadcasting (NaN propagates). ∂y/∂a = 1[a &lt; b] + ½·1[a = b],
/// ∂y/∂b = 1[a &gt; b] + ½·1[a = b].</summary>
internal sealed class MinimumOp : Node
{
    private Tensor _a = null!, _b = null!;
    private protected override Tensor?[] Saved => [_a, _b];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<MinimumOperator<float>, MinimumOperator<double>>("Minimum", a, b);
        return new MinimumOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => TieSplit.Gradients(gradOutput, _a, _b, NeedsGrad(0), NeedsGrad(1), max: false);
}

/// <summary>The gradient routing shared by Maximum and Minimum.</summary>
internal static class TieSplit
{
    public static Tensor?[] Gradients(Tensor gradOutput, Tensor a, Tensor b, bool needA, bool needB, bool max)
    {
        var half = a.Eq(b) * 0.5;   // broadcast shape
        Tensor? ga = null, gb = null;
        if (needA) ga = (gradOutput * ((max ? a.Gt(b) : a.Lt(b)) + half)).SumToShape(a.Shape);
        if (needB) gb = (gradOutput * ((max ? a.Lt(b) : a.Gt(b)) + half)).SumToShape(b.Shape);
        return [ga, gb];
    }
}

public static partial class TensorOps
{
    extension(Tensor)
    {
        /// <summary>Element-wise maximum of two tensors, with broadcasting (torch.maximum). ∂/∂a = 1[a &gt; b], ∂/∂b = 1[b &gt; a], ½ each on ties (as PyTorch), summed back over broadcast dims.</summary>
        public static Tensor Maximum(Tensor a, Tensor b) => MaximumOp.Forward(a, b);

        /// <summary>Element-wise minimum of two tensors, with broadcasting (torch.minimum). ∂/∂a = 1[a &lt; b], ∂/∂b = 1[b &lt; a], ½ each on ties (as PyTorch), summed back over broadcast dims.</summary>
        public static Tensor Minimum(Tensor a, Tensor b) => MinimumOp.Forward(a, b);
    }
}
