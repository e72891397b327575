namespace Nabla;

/// <summary>y = x[i0, i1, …] for a basic index (integers, ranges, stepped slices, ellipsis, new axes), as one view:
/// integers drop their dim, ranges keep it, new axes insert size-1 dims.
/// ∂L/∂x = ∂L/∂y placed at the indexed positions, 0 elsewhere.</summary>
internal sealed class IndexViewOp : Node
{
    private IndexPlan _plan = null!;
    private int[] _inputShape = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<TensorIndex> indices)
    {
        ArgumentNullException.ThrowIfNull(x);
        var plan = IndexPlan.Resolve("Index", x.Shape, indices);
        var y = plan.View(x);
        return new IndexViewOp { _plan = plan, _inputShape = x.Shape.ToArray() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = Tensor.Zeros(_inputShape, gradOutput.DType);
        if (gradOutput.Numel > 0) _plan.View(g).CopyFromRaw(gradOutput);
        return [g];
    }
}
