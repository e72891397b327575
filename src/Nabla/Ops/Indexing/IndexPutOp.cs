namespace Nabla;

/// <summary>x[i0, i1, …] = v in place, v broadcast to the indexed slice (PyTorch's <c>CopySlices</c>). With x₀ the
/// value before the write: ∂L/∂x₀ = ∂L/∂x with the slice zeroed; ∂L/∂v = ∂L/∂x at the slice, summed back over the
/// dims v was broadcast along.</summary>
/// <remarks>
/// Recorded when gradients are on and x or v requires grad: x gets this node as its grad_fn, and a new handle on the
/// same storage carries x's previous history (x₀). Refused on a leaf that requires grad (its gradient would be for a
/// value that no longer exists), and on a non-leaf that the graph already used as an input or that is a view of a
/// tensor in the graph: Nabla has no version counters, so either would silently give a wrong gradient.
/// </remarks>
internal sealed class IndexPutOp : Node
{
    private IndexPlan _plan = null!;
    private int[] _valueShape = [];

    private const string Op = "Index assignment";

    public static void Apply(Tensor x, ReadOnlySpan<TensorIndex> indices, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(value);
        var plan = IndexPlan.Resolve(Op, x.Shape, indices);
        var slot = plan.View(x);
        if (value.DType != x.DType)
        {
            // A C# number (0-d wrapped scalar) takes x's dtype; a real tensor must match.
            if (!value.IsWrappedNumber) throw DTypeMismatchException.For(Op, x.DType, value.DType);
            value = value.ToDTypeRaw(x.DType);
        }
        var broadcast = ShapeUtil.BroadcastShapes(slot.Shape, value.Shape, Op);
        if (!ShapeUtil.SameShape(broadcast, slot.Shape))
            throw ShapeMismatchException.For(Op, $"the value cannot be broadcast to the indexed slice of shape {ShapeUtil.Format(slot.Shape)}", slot.Shape.ToArray(), value.Shape.ToArray());
        for (int d = 0; d < slot.Rank; d++)
            if (slot.Shape[d] > 1 && slot.Strides[d] == 0)
                throw new NablaException($"{Op}: the tensor of shape {ShapeUtil.Format(x.Shape)} is an expanded view (several elements share one memory location); Clone() it before writing");

        bool record = GradMode.IsEnabled && (x.RequiresGrad || value.RequiresGrad);
        if (record && x.RequiresGrad) CheckRebasable(x);

        // The write itself (raw): a value sharing x's storage is copied first, so overlapping slices read old data.
        var source = ReferenceEquals(value.StorageKey, x.StorageKey) ? value.Clone_Raw() : value;
        slot.CopyFrom_(source.AsStrided(slot.Shape.ToArray(), ShapeUtil.BroadcastStrides(source.Shape, source.Strides, slot.Shape.ToArray()), source.Offset));

        if (!record) return;
        Tensor? previous = null;
        if (x.RequiresGrad)
        {
            previous = x.AsStrided(x.Shape.ToArray(), x.Strides.ToArray(), x.Offset);
            previous.RequiresGrad = true;
            previous.GradFn = x.GradFn;
        }
        new IndexPutOp { _plan = plan, _valueShape = value.Shape.ToArray() }.Record(x, previous, value);
    }

    private static void CheckRebasable(Tensor x)
    {
        if (x.IsLeaf)
            throw new AutogradException($"{Op}: a leaf tensor that requires grad (shape {ShapeUtil.Format(x.Shape)}) cannot be modified in place while gradients are recorded " +
                "(PyTorch: \"a leaf Variable that requires grad is being used in an in-place operation\"); write it inside using (GradMode.NoGrad()) { ... }, or assign into x.Clone()");
        if (x.UsedAsGraphInput)
            throw new AutogradException($"{Op}: the tensor of shape {ShapeUtil.Format(x.Shape)} (grad_fn={x.GradFn!.Name}) was already used by another recorded op, whose gradient would then be wrong; assign before using it, or assign into a Clone()");
        // Skip x's own earlier assignments (their input 0 is x before them, on the same storage by construction).
        var node = x.GradFn;
        while (node is IndexPutOp) node = node.Inputs[0]?.GradFn;
        if (node is null) return;
        foreach (var input in node.Inputs)
            if (input is not null && ReferenceEquals(input.StorageKey, x.StorageKey))
                throw new AutogradException($"{Op}: the tensor of shape {ShapeUtil.Format(x.Shape)} is a view (grad_fn={node.Name}) of a tensor in the graph, whose gradient would then be wrong; assign into a Clone() of the view, or index the base tensor");
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        Tensor? gPrevious = null, gValue = null;
        if (NeedsGrad(0))
        {
            gPrevious = gradOutput.Clone_Raw();
            _plan.View(gPrevious).FillRaw(0);
        }
        if (NeedsGrad(1))
            gValue = _plan.View(gradOutput).Clone_Raw().SumToShape(_valueShape);   // a fresh copy: never a view of gradOutput
        return [gPrevious, gValue];
    }
}
