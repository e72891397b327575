using System.Runtime.CompilerServices;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>
    /// Basic indexing as in PyTorch/NumPy: <c>x[0, .., 1..3]</c>, <c>x[^1]</c>, <c>x[.., 0]</c>,
    /// <c>x[Tensor.Ellipsis, 0]</c>, <c>x[Tensor.NewAxis, ..]</c>, <c>x[TensorIndex.Slice(0, null, 2)]</c>. An integer
    /// or <see cref="Index"/> picks one position and drops the dim (negative counts from the end); a
    /// <see cref="Range"/> keeps the dim (bounds clamped as in Python); dims not named are taken whole.
    /// </summary>
    /// <remarks>
    /// <para><b>Reading</b> returns a view (it shares storage with x) recorded by autograd:
    /// ∂L/∂x = ∂L/∂y placed at the indexed positions, 0 elsewhere.</para>
    /// <para><b>Assigning</b> <c>x[…] = v</c> writes v (a tensor broadcastable to the slice, or a C# number, which
    /// takes x's dtype) into x in place. While gradients are recorded and x or v requires grad, the write is recorded
    /// (∂L/∂x_before = ∂L/∂x with the slice zeroed, ∂L/∂v = ∂L/∂x at the slice summed to v's shape); it is refused
    /// with an <see cref="AutogradException"/> on a leaf that requires grad (as in PyTorch; write inside
    /// <c>GradMode.NoGrad()</c> instead), and on a non-leaf already used by another recorded op or that is a view of a
    /// tensor in the graph.</para>
    /// <para>Errors: <see cref="TensorIndexException"/> for a position out of range (naming dim, index and size), more
    /// indices than dims, or two ellipses; <see cref="ShapeMismatchException"/> when v does not broadcast to the slice.</para>
    /// </remarks>
    [IndexerName("Index")]   // the default name, Item, is taken by Item()
    public Tensor this[params TensorIndex[] indices]
    {
        get => IndexViewOp.Forward(this, indices);
        set => IndexPutOp.Apply(this, indices, value);
    }

    /// <summary>The ellipsis marker for the indexer, <c>x[Tensor.Ellipsis, 0]</c> (Python <c>x[..., 0]</c>); same as
    /// <see cref="TensorIndex.Ellipsis"/>.</summary>
    public static TensorIndex Ellipsis => TensorIndex.Ellipsis;

    /// <summary>The new-axis marker for the indexer, <c>x[Tensor.NewAxis, ..]</c> (Python <c>x[None, :]</c>); same as
    /// <see cref="TensorIndex.NewAxis"/>.</summary>
    public static TensorIndex NewAxis => TensorIndex.NewAxis;

    /// <summary>Set once a recorded op took this tensor as an input that requires grad: an in-place index assignment
    /// would then change a value that op's gradient depends on, so it is refused.</summary>
    internal bool UsedAsGraphInput { get; set; }
}
