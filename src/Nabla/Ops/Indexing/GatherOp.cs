using System.Numerics;

namespace Nabla;

/// <summary>
/// y[i₀…iₙ] = x[i₀…, index[i₀…iₙ], …iₙ] with the index replacing coordinate <c>dim</c> (torch.gather); y has the
/// shape of index. ∂L/∂x = scatter-add of ∂L/∂y into those positions (repeated positions accumulate).
/// </summary>
public sealed class GatherOp : Node
{
    private int[] _inputShape = [], _indexShape = [], _index = [];
    private int _dim;

    public static Tensor Forward(Tensor x, int dim, Tensor index)
    {
        if (index.DType != DType.Int32) throw DTypeMismatchException.Unsupported("Gather (index)", index.DType);
        int d = ShapeUtil.WrapDim(dim, x.Rank, "Gather");
        bool ok = index.Rank == x.Rank;
        for (int i = 0; ok && i < x.Rank; i++) ok = i == d || index.Shape[i] <= x.Shape[i];
        if (!ok)
            throw ShapeMismatchException.For("Gather", $"index must have the input's rank and no larger size outside dim {d}", x.Shape.ToArray(), index.Shape.ToArray());
        var idx = index.ToArray<int>();
        Indexing.CheckRange("Gather", idx, x.Rank == 0 ? 1 : x.Shape[d], d, x.Shape);
        var node = new GatherOp { _inputShape = x.Shape.ToArray(), _indexShape = index.Shape.ToArray(), _index = idx, _dim = d };
        var y = Tensor.Empty(node._indexShape, x.DType);
        switch (x.DType)
        {
            case DType.Float32: node.Walk<float>(x.Storage<float>(), x.Offset, x.Strides, y.AsSpan<float>(), scatter: false); break;
            case DType.Float64: node.Walk<double>(x.Storage<double>(), x.Offset, x.Strides, y.AsSpan<double>(), scatter: false); break;
            default: node.Walk<int>(x.Storage<int>(), x.Offset, x.Strides, y.AsSpan<int>(), scatter: false); break;
        }
        return node.Record(y, x);
    }

    /// <summary>
    /// For every index position p (row-major): with q = p's coordinates but q[dim] = index[p], gather
    /// y[p] = x[q] or scatter x[q] += y[p]. Coordinates advance like an odometer; the x offset follows them.
    /// </summary>
    private void Walk<T>(T[] x, int offset, ReadOnlySpan<int> strides, Span<T> y, bool scatter) where T : INumber<T>
    {
        int r = _indexShape.Length;
        Span<int> coord = stackalloc int[Math.Max(r, 1)];
        int baseOffset = offset;                         // offset of p's coordinates with coord[dim] taken as 0
        int sd = r == 0 ? 0 : strides[_dim];
        for (int p = 0; p < _index.Length; p++)
        {
            int o = baseOffset + _index[p] * sd;
            if (scatter) x[o] += y[p]; else y[p] = x[o];
            for (int k = r - 1; k >= 0; k--)
            {
                if (k != _dim) baseOffset += strides[k];
                if (++coord[k] < _indexShape[k]) break;
                if (k != _dim) baseOffset -= strides[k] * _indexShape[k];
                coord[k] = 0;
            }
        }
    }

    public override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        var gradInput = Tensor.Zeros(_inputShape, g.DType);
        if (g.DType == DType.Float32) Walk<float>(gradInput.Storage<float>(), 0, gradInput.Strides, g.AsSpan<float>(), scatter: true);
        else Walk<double>(gradInput.Storage<double>(), 0, gradInput.Strides, g.AsSpan<double>(), scatter: true);
        return [gradInput];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Values of x picked along <paramref name="dim"/> by an int32 index of the same rank (torch.gather).</summary>
        public Tensor Gather(int dim, Tensor index) => GatherOp.Forward(x, dim, index);
    }
}
