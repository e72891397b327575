
namespace Nabla;

/// <summary>y = x without size-1 dims (all of them, or one given dim if it has size 1), as a view.
/// ∂L/∂x = reshape(∂L/∂y, shape(x)).</summary>
public sealed class SqueezeOp : Node
{
    private int[] _inputShape = [];

    public static Tensor Forward(Tensor x, int? dim)
    {
        int only = dim is int d0 ? ShapeUtil.WrapDim(d0, x.Rank, "Squeeze") : -1;
        var shape = new List<int>();
        var strides = new List<int>();
        for (int d = 0; d < x.Rank; d++)
        {
            bool drop = x.Shape[d] == 1 && (only < 0 || only == d);
            if (!drop) { shape.Add(x.Shape[d]); strides.Add(x.Strides[d]); }
        }
        if (shape.Count == x.Rank) return x;            // nothing to squeeze (PyTorch returns x unchanged, too)
        var y = x.AsStrided(shape.ToArray(), strides.ToArray(), x.Offset);
        return new SqueezeOp { _inputShape = x.Shape.ToArray() }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.Reshape(_inputShape)];
}

/// <summary>y = x with a new size-1 dim inserted at <c>dim</c> (−1 appends), as a view. ∂L/∂x = squeeze(∂L/∂y, dim).</summary>
public sealed class UnsqueezeOp : Node
{
    private int[] _inputShape = [];

    public static Tensor Forward(Tensor x, int dim)
    {
        int d = ShapeUtil.WrapDim(dim, x.Rank + 1, "Unsqueeze");
        var shape = x.Shape.ToArray().ToList();
        var strides = x.Strides.ToArray().ToList();
        // Any stride works for a size-1 dim; this one keeps a contiguous tensor contiguous.
        shape.Insert(d, 1);
        strides.Insert(d, d < x.Rank ? x.Strides[d] * x.Shape[d] : 1);
        var y = x.AsStrided(shape.ToArray(), strides.ToArray(), x.Offset);
        return new UnsqueezeOp { _inputShape = x.Shape.ToArray() }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.Reshape(_inputShape)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Drops every size-1 dim (a view).</summary>
        public Tensor Squeeze() => SqueezeOp.Forward(x, null);

        /// <summary>Drops <paramref name="dim"/> if its size is 1, else returns x (a view).</summary>
        public Tensor Squeeze(int dim) => SqueezeOp.Forward(x, dim);

        /// <summary>Inserts a size-1 dim at <paramref name="dim"/> (a view; −1 appends at the end).</summary>
        public Tensor Unsqueeze(int dim) => UnsqueezeOp.Forward(x, dim);
    }
}
