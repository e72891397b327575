using Nabla.Autograd;
using Nabla.Tensors;
using Nabla.Tensors.Kernels;

namespace Nabla.Ops;

/// <summary>y = Σ x over the given dims (all dims when none). ∂L/∂x = ∂L/∂y broadcast back over the summed dims.</summary>
public sealed class SumOp : Node
{
    private int[] _inputShape = [], _keptShape = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims, bool keepDim)
    {
        Dispatch.Floating("Sum", x);
        var reduce = Reduction.NormalizeDims(x.Rank, dims, "Sum");
        var kept = Reduction.KeptShape(x.Shape, reduce);
        var y = Tensor.Empty(kept, x.DType);
        if (x.DType == DType.Float32) SumRaw<float>(x, reduce, y.AsSpan<float>());
        else SumRaw<double>(x, reduce, y.AsSpan<double>());
        var outShape = keepDim ? kept : Reduction.DroppedShape(x.Shape, reduce);
        var yOut = y.AsStrided(outShape, ShapeUtil.ContiguousStrides(outShape), 0);
        return new SumOp { _inputShape = x.Shape.ToArray(), _keptShape = kept }.Record(yOut, x);
    }

    /// <summary>Sums one reduced dim at a time over a contiguous copy, [outer, r, inner] → [outer, inner].</summary>
    private static void SumRaw<T>(Tensor x, bool[] reduce, Span<T> dst) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var shape = x.Shape.ToArray();
        var cur = x.ContiguousRaw().AsSpan<T>().ToArray().AsMemory();
        if (!reduce.Contains(true)) { cur.Span.CopyTo(dst); return; }
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (!reduce[d]) continue;
            int outer = 1, inner = 1;
            for (int i = 0; i < d; i++) outer *= shape[i];
            for (int i = d + 1; i < shape.Length; i++) inner *= shape[i];
            var next = new T[outer * inner];
            Reduce.SumDim<T>(cur.Span, outer, shape[d], inner, next);
            shape[d] = 1;
            cur = next;
        }
        cur.Span.CopyTo(dst);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
        [gradOutput.Reshape(_keptShape).Expand(_inputShape)];
}

/// <summary>Dim bookkeeping shared by reductions.</summary>
internal static class Reduction
{
    /// <summary>A flag per dim: reduce it? No dims means all dims.</summary>
    public static bool[] NormalizeDims(int rank, ReadOnlySpan<int> dims, string op)
    {
        var r = new bool[rank];
        if (dims.Length == 0) { Array.Fill(r, true); return r; }
        foreach (int d in dims)
        {
            int w = ShapeUtil.WrapDim(d, rank, op);
            if (r[w]) throw new ArgumentException($"{op}: dim {d} is repeated");
            r[w] = true;
        }
        return r;
    }

    public static int[] KeptShape(ReadOnlySpan<int> shape, bool[] reduce)
    {
        var s = shape.ToArray();
        for (int i = 0; i < s.Length; i++) if (reduce[i]) s[i] = 1;
        return s;
    }

    public static int[] DroppedShape(ReadOnlySpan<int> shape, bool[] reduce)
    {
        var s = new List<int>();
        for (int i = 0; i < shape.Length; i++) if (!reduce[i]) s.Add(shape[i]);
        return s.ToArray();
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Sum of all elements (a 0-d tensor).</summary>
        public Tensor Sum() => SumOp.Forward(x, [], false);

        public Tensor Sum(int dim, bool keepDim = false) => SumOp.Forward(x, [dim], keepDim);

        public Tensor Sum(int[] dims, bool keepDim = false) => SumOp.Forward(x, dims, keepDim);
    }
}
