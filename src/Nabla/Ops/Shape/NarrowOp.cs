
namespace Nabla;

/// <summary>y = x[..., start:start+length, ...] along one dim (a view). ∂L/∂x is ∂L/∂y placed at that slice, zeros elsewhere.</summary>
internal sealed class NarrowOp : Node
{
    private int[] _inputShape = [];
    private int _dim, _start;

    public static Tensor Forward(Tensor x, int dim, int start, int length)
    {
        int d = ShapeUtil.WrapDim(dim, x.Rank, "Narrow");
        int size = x.Shape[d];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow: [{start}, {start + length}) is out of range for dim {d} of size {size} (shape {ShapeUtil.Format(x.Shape)})");
        var shape = x.Shape.ToArray();
        shape[d] = length;
        var y = x.AsStrided(shape, x.Strides.ToArray(), x.Offset + start * x.Strides[d]);
        return new NarrowOp { _inputShape = x.Shape.ToArray(), _dim = d, _start = start }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = Tensor.Zeros(_inputShape, gradOutput.DType);
        var slot = g.AsStrided(gradOutput.Shape.ToArray(), g.Strides.ToArray(), _start * g.Strides[_dim]);
        slot.CopyFromRaw(gradOutput);
        return [g];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>The slice [start, start+length) of one dim, as a view. ∂L/∂x = the upstream gradient in [start, start + length) along dim, 0 elsewhere.</summary>
        public Tensor Narrow(int dim, int start, int length) => NarrowOp.Forward(x, dim, start, length);
    }
}
