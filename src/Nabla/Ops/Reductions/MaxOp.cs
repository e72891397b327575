using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// (values, indices) = (max_k x[…, k, …], argmax_k) along one dim; min likewise. ∂L/∂x[…, k, …] = ∂L/∂values where
/// k = indices (the first maximum on ties), 0 elsewhere. Indices are int32 and not differentiable; NaN propagates.
/// </summary>
internal sealed class MaxDimOp : Node
{
    private Tensor _indices = null!;        // kept shape, contiguous
    private int[] _inputShape = [], _keptShape = [];
    private int _outer, _size, _inner;
    private protected override Tensor?[] Saved => [_indices];

    public static (Tensor Values, Tensor Indices) Forward(Tensor x, int dim, bool keepDim, bool max)
    {
        string op = max ? "Max" : "Min";
        int d = ShapeUtil.WrapDim(dim, x.Rank, op);
        var reduce = Reduction.NormalizeDims(x.Rank, [dim], op);
        if (x.Rank > 0 && x.Shape[d] == 0)
            throw new ArgumentException($"{op}: cannot reduce dim {d} of size 0 (shape {ShapeUtil.Format(x.Shape)})");
        var (values, indices) = ArgRaw(x, reduce, max);
        var vOut = Reduction.Output(values, x.Shape, reduce, keepDim);
        var iOut = Reduction.Output(indices, x.Shape, reduce, keepDim);
        if (!x.DType.IsFloatingPoint() || !WillRecord(x)) return (vOut, iOut);
        int outer = 1, inner = 1;
        for (int i = 0; i < x.Rank; i++) { if (i < d) outer *= x.Shape[i]; else if (i > d) inner *= x.Shape[i]; }
        var node = new MaxDimOp
        {
            _indices = indices, _inputShape = x.Shape.ToArray(), _keptShape = values.Shape.ToArray(),
            _outer = outer, _size = x.Rank == 0 ? 1 : x.Shape[d], _inner = inner,
        };
        return (node.Record(vOut, x), iOut);
    }

    /// <summary>Best values and their int32 indices over the flagged dims, both of the kept shape (not recorded).
    /// Over several dims the index is into those dims flattened in row-major order.</summary>
    internal static (Tensor Values, Tensor Indices) ArgRaw(Tensor x, bool[] reduce, bool max)
    {
        var kept = Reduction.KeptShape(x.Shape, reduce);
        var values = Tensor.Empty(kept, x.DType);
        var indices = Tensor.Empty(kept, DType.Int32);
        switch (x.DType)
        {
            case DType.Float32: Run(x, reduce, max, values.AsSpan<float>(), indices.AsSpan<int>()); break;
            case DType.Float64: Run(x, reduce, max, values.AsSpan<double>(), indices.AsSpan<int>()); break;
            default: Run(x, reduce, max, values.AsSpan<int>(), indices.AsSpan<int>()); break;
        }
        return (values, indices);
    }

    private static void Run<T>(Tensor x, bool[] reduce, bool max, Span<T> values, Span<int> indices) where T : unmanaged, INumber<T>
    {
        using var src = ReduceSource<T>.Create(x, reduce);
        if (max) ArgReduce.Run<T, ArgMaxOperator>(src.Span, src.Outer, src.Reduced, src.Inner, values, indices);
        else ArgReduce.Run<T, ArgMinOperator>(src.Span, src.Outer, src.Reduced, src.Inner, values, indices);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.Reshape(_keptShape).ContiguousRaw();
        var gradInput = Tensor.Zeros(_inputShape, g.DType);
        if (g.DType == DType.Float32) Scatter(g.AsSpan<float>(), gradInput.AsSpan<float>());
        else Scatter(g.AsSpan<double>(), gradInput.AsSpan<double>());
        return [gradInput];
    }

    /// <summary>gradInput[o, indices[o, i], i] = g[o, i] in the [outer, size, inner] view of the input.</summary>
    private void Scatter<T>(ReadOnlySpan<T> g, Span<T> gradInput)
    {
        var idx = _indices.AsSpan<int>();
        for (int o = 0; o < _outer; o++)
            for (int i = 0; i < _inner; i++)
                gradInput[(o * _size + idx[o * _inner + i]) * _inner + i] = g[o * _inner + i];
    }
}

/// <summary>
/// y = max over all elements (min likewise), a 0-d tensor. ∂L/∂x = ∂L/∂y / m at each of the m elements equal to y,
/// 0 elsewhere: ties share the gradient evenly, as PyTorch 1.13's evenly_distribute_backward (NaN: shared by the NaNs).
/// </summary>
internal sealed class MaxAllOp : Node
{
    private Tensor _input = null!, _output = null!;
    private protected override Tensor?[] Saved => [_input, _output];

    public static Tensor Forward(Tensor x, bool max)
    {
        string op = max ? "Max" : "Min";
        if (x.Numel == 0) throw new ArgumentException($"{op}: cannot reduce an empty tensor (shape {ShapeUtil.Format(x.Shape)}); give a dim");
        var all = Reduction.NormalizeDims(x.Rank, [], op);
        var y = Tensor.Empty([], x.DType);
        switch (x.DType)
        {
            case DType.Float32: y.AsSpan<float>()[0] = Best<float>(x, all, max); break;
            case DType.Float64: y.AsSpan<double>()[0] = Best<double>(x, all, max); break;
            default: y.AsSpan<int>()[0] = Best<int>(x, all, max); break;
        }
        if (!x.DType.IsFloatingPoint() || !WillRecord(x)) return y;
        return new MaxAllOp { _input = x.Detach(), _output = y.Detach() }.Record(y, x);
    }

    private static T Best<T>(Tensor x, bool[] all, bool max) where T : INumber<T>
    {
        using var src = ReduceSource<T>.Create(x, all);
        return max ? System.Numerics.Tensors.TensorPrimitives.Max(src.Span) : System.Numerics.Tensors.TensorPrimitives.Min(src.Span);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var gradInput = Tensor.Zeros(_input.Shape.ToArray(), _input.DType);
        if (_input.DType == DType.Float32) Distribute<float>(gradOutput, gradInput);
        else Distribute<double>(gradOutput, gradInput);
        return [gradInput];
    }

    private void Distribute<T>(Tensor gradOutput, Tensor gradInput) where T : IFloatingPointIeee754<T>
    {
        var x = _input.ContiguousRaw().AsSpan<T>();
        var gi = gradInput.AsSpan<T>();
        T y = _output.AsSpan<T>()[0];
        bool nan = T.IsNaN(y);
        int count = 0;
        for (int i = 0; i < x.Length; i++) if (nan ? T.IsNaN(x[i]) : x[i] == y) count++;
        T share = T.CreateChecked(gradOutput.Item()) / T.CreateChecked(count);
        for (int i = 0; i < x.Length; i++) if (nan ? T.IsNaN(x[i]) : x[i] == y) gi[i] = share;
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>The largest element (0-d); ties share the gradient evenly.</summary>
        public Tensor Max() => MaxAllOp.Forward(x, max: true);

        /// <summary>The smallest element (0-d); ties share the gradient evenly.</summary>
        public Tensor Min() => MaxAllOp.Forward(x, max: false);

        /// <summary>Largest values along <paramref name="dim"/> and their int32 indices (first on ties). ∂/∂x: the gradient of each value goes to its index, 0 elsewhere; the indices are not differentiable.</summary>
        public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => MaxDimOp.Forward(x, dim, keepDim, max: true);

        /// <summary>Smallest values along <paramref name="dim"/> and their int32 indices (first on ties). ∂/∂x: the gradient of each value goes to its index, 0 elsewhere; the indices are not differentiable.</summary>
        public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => MaxDimOp.Forward(x, dim, keepDim, max: false);

        /// <summary>Index (int32, 0-d) of the largest element of the flattened tensor. Not differentiable.</summary>
        public Tensor ArgMax() => ArgAll(x, max: true);

        /// <summary>Index (int32, 0-d) of the smallest element of the flattened tensor (first on ties; not differentiable).</summary>
        public Tensor ArgMin() => ArgAll(x, max: false);

        /// <summary>Indices (int32) of the largest values along <paramref name="dim"/> (not differentiable).</summary>
        public Tensor ArgMax(int dim, bool keepDim = false) => ArgDim(x, dim, keepDim, max: true);

        /// <summary>Indices (int32) of the smallest values along <paramref name="dim"/> (first on ties; not differentiable).</summary>
        public Tensor ArgMin(int dim, bool keepDim = false) => ArgDim(x, dim, keepDim, max: false);
    }

    private static Tensor ArgAll(Tensor x, bool max)
    {
        string op = max ? "ArgMax" : "ArgMin";
        if (x.Numel == 0) throw new ArgumentException($"{op}: cannot reduce an empty tensor (shape {ShapeUtil.Format(x.Shape)})");
        var (_, indices) = MaxDimOp.ArgRaw(x, Reduction.NormalizeDims(x.Rank, [], op), max);
        return indices.Reshape();
    }

    private static Tensor ArgDim(Tensor x, int dim, bool keepDim, bool max)
    {
        string op = max ? "ArgMax" : "ArgMin";
        int d = ShapeUtil.WrapDim(dim, x.Rank, op);
        if (x.Rank > 0 && x.Shape[d] == 0)
            throw new ArgumentException($"{op}: cannot reduce dim {d} of size 0 (shape {ShapeUtil.Format(x.Shape)})");
        var reduce = Reduction.NormalizeDims(x.Rank, [dim], op);
        var (_, indices) = MaxDimOp.ArgRaw(x, reduce, max);
        return Reduction.Output(indices, x.Shape, reduce, keepDim);
    }
}
