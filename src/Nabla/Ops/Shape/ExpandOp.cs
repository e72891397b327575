
namespace Nabla;

/// <summary>y = x broadcast to a larger shape (a stride-0 view, no copy). ∂L/∂x = SumToShape(∂L/∂y, shape(x)).</summary>
public sealed class ExpandOp : Node
{
    private int[] _inputShape = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> shape)
    {
        var target = shape.ToArray();
        if (target.Length < x.Rank)
            throw ShapeMismatchException.For("Expand", "the target has fewer dims than the tensor", x.Shape.ToArray(), target);
        int lead = target.Length - x.Rank;
        for (int i = 0; i < x.Rank; i++)
        {
            if (target[lead + i] == -1) target[lead + i] = x.Shape[i];
            if (x.Shape[i] != 1 && x.Shape[i] != target[lead + i])
                throw ShapeMismatchException.For("Expand", $"dim {i} of size {x.Shape[i]} cannot expand to {target[lead + i]}", x.Shape.ToArray(), target);
        }
        var strides = ShapeUtil.BroadcastStrides(x.Shape, x.Strides, target);
        var y = x.AsStrided(target, strides, x.Offset);
        return new ExpandOp { _inputShape = x.Shape.ToArray() }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.SumToShape(_inputShape)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Broadcasts to <paramref name="shape"/> without copying (−1 keeps a dim).</summary>
        public Tensor Expand(params int[] shape) => ExpandOp.Forward(x, shape);

        /// <summary>
        /// Sums a gradient of a broadcast result back to the operand's <paramref name="shape"/>: leading extra dims
        /// and dims where the operand had size 1 are summed. The one shared helper that undoes broadcasting.
        /// </summary>
        public Tensor SumToShape(ReadOnlySpan<int> shape)
        {
            if (ShapeUtil.SameShape(x.Shape, shape)) return x;
            int lead = x.Rank - shape.Length;
            if (lead < 0) throw ShapeMismatchException.For("SumToShape", "the target has more dims than the tensor", x.Shape.ToArray(), shape.ToArray());
            var dims = new List<int>();
            for (int d = 0; d < x.Rank; d++)
            {
                if (d < lead) { dims.Add(d); continue; }
                int want = shape[d - lead];
                if (want == 1 && x.Shape[d] != 1) dims.Add(d);
                else if (want != x.Shape[d])
                    throw ShapeMismatchException.For("SumToShape", $"dim {d} of size {x.Shape[d]} cannot reduce to {want}", x.Shape.ToArray(), shape.ToArray());
            }
            var summed = dims.Count > 0 ? x.Sum(dims.ToArray(), keepDim: true) : x;
            return summed.Reshape(shape.ToArray());
        }
    }
}
