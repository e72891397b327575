using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = x with the order of elements reversed along the given dims (a copy, like PyTorch).
/// ∂L/∂x = flip(∂L/∂y, dims).</summary>
public sealed class FlipOp : Node
{
    private int[] _dims = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims)
    {
        var flip = new bool[x.Rank];
        foreach (int dim in dims)
        {
            int d = ShapeUtil.WrapDim(dim, x.Rank, "Flip");
            if (x.Rank == 0) continue;
            if (flip[d]) throw new ArgumentException($"Flip: dim {dim} is repeated");
            flip[d] = true;
        }
        // Read x through a reversed layout: start at the last element of each flipped dim, step backwards.
        var strides = x.Strides.ToArray();
        int offset = x.Offset;
        for (int d = 0; d < x.Rank; d++)
            if (flip[d] && x.Shape[d] > 0) { offset += (x.Shape[d] - 1) * strides[d]; strides[d] = -strides[d]; }
        var y = Tensor.Empty(x.Shape.ToArray(), x.DType);
        switch (x.DType)
        {
            case DType.Float32: Strided.Copy(x.Storage<float>(), offset, x.Shape, strides, y.AsSpan<float>()); break;
            case DType.Float64: Strided.Copy(x.Storage<double>(), offset, x.Shape, strides, y.AsSpan<double>()); break;
            default: Strided.Copy(x.Storage<int>(), offset, x.Shape, strides, y.AsSpan<int>()); break;
        }
        return new FlipOp { _dims = dims.ToArray() }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.Flip(_dims)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Reverses the order of elements along <paramref name="dims"/> (a copy).</summary>
        public Tensor Flip(params int[] dims) => FlipOp.Forward(x, dims);
    }
}
