using System.Numerics;

namespace Nabla;

/// <summary>
/// y = x with positions index[0], index[1], … taken along one dim: y[…, k, …] = x[…, index[k], …] (a copy).
/// ∂L/∂x[…, j, …] = Σ_{k: index[k] = j} ∂L/∂y[…, k, …] (repeated indices accumulate).
/// </summary>
public sealed class IndexSelectOp : Node
{
    private int[] _inputShape = [], _index = [];
    private int _outer, _size, _inner;

    public static Tensor Forward(Tensor x, int dim, Tensor index)
    {
        if (index.DType != DType.Int32) throw DTypeMismatchException.Unsupported("IndexSelect (index)", index.DType);
        if (index.Rank > 1) throw ShapeMismatchException.For("IndexSelect", "index must be 0-d or 1-d", x.Shape.ToArray(), index.Shape.ToArray());
        var idx = index.ToArray<int>();
        int d = ShapeUtil.WrapDim(dim, x.Rank, "IndexSelect");
        int size = x.Rank == 0 ? 1 : x.Shape[d];
        Indexing.CheckRange("IndexSelect", idx, size, d, x.Shape);
        int outer = 1, inner = 1;
        for (int i = 0; i < x.Rank; i++) { if (i < d) outer *= x.Shape[i]; else if (i > d) inner *= x.Shape[i]; }
        var shape = x.Shape.ToArray();
        if (x.Rank > 0) shape[d] = idx.Length;
        var y = Tensor.Empty(shape, x.DType);
        var c = x.ContiguousRaw();
        switch (x.DType)
        {
            case DType.Float32: Gather(c.AsSpan<float>(), idx, outer, size, inner, y.AsSpan<float>()); break;
            case DType.Float64: Gather(c.AsSpan<double>(), idx, outer, size, inner, y.AsSpan<double>()); break;
            default: Gather(c.AsSpan<int>(), idx, outer, size, inner, y.AsSpan<int>()); break;
        }
        if (!WillRecord(x)) return y;
        return new IndexSelectOp { _inputShape = x.Shape.ToArray(), _index = idx, _outer = outer, _size = size, _inner = inner }.Record(y, x);
    }

    /// <summary>y[o, k, :] = x[o, index[k], :] in [outer, size, inner] / [outer, K, inner] views.</summary>
    private static void Gather<T>(ReadOnlySpan<T> x, int[] index, int outer, int size, int inner, Span<T> y)
    {
        int k = index.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                x.Slice((o * size + index[j]) * inner, inner).CopyTo(y.Slice((o * k + j) * inner, inner));
    }

    public override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        var gradInput = Tensor.Zeros(_inputShape, g.DType);
        if (g.DType == DType.Float32) ScatterAdd(g.AsSpan<float>(), gradInput.AsSpan<float>());
        else ScatterAdd(g.AsSpan<double>(), gradInput.AsSpan<double>());
        return [gradInput];
    }

    private void ScatterAdd<T>(ReadOnlySpan<T> g, Span<T> gradInput) where T : IFloatingPointIeee754<T>
    {
        int k = _index.Length;
        for (int o = 0; o < _outer; o++)
            for (int j = 0; j < k; j++)
            {
                var dst = gradInput.Slice((o * _size + _index[j]) * _inner, _inner);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, g.Slice((o * k + j) * _inner, _inner), dst);
            }
    }
}

/// <summary>Index checks shared by IndexSelect, Gather and Embedding.</summary>
internal static class Indexing
{
    public static void CheckRange(string op, ReadOnlySpan<int> index, int size, int dim, ReadOnlySpan<int> shape)
    {
        foreach (int i in index)
            if ((uint)i >= (uint)size)
                throw new IndexOutOfRangeException($"{op}: index {i} is out of range for dim {dim} of size {size} (shape {ShapeUtil.Format(shape)})");
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>The positions <paramref name="index"/> (int32, 1-d) of <paramref name="dim"/>, in that order (torch.index_select).</summary>
        public Tensor IndexSelect(int dim, Tensor index) => IndexSelectOp.Forward(x, dim, index);
    }
}
