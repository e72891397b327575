using System.Buffers;
using Nabla.Tensors.Kernels;

namespace Nabla;

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
            if (rank == 0) continue;                    // a 0-d tensor accepts dim 0 / -1 and reduces nothing
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

    /// <summary>Number of elements folded into each output element.</summary>
    public static int ReducedCount(ReadOnlySpan<int> shape, bool[] reduce)
    {
        long n = 1;
        for (int i = 0; i < shape.Length; i++) if (reduce[i]) n *= shape[i];
        return (int)n;
    }

    /// <summary>A contiguous result of the kept shape (reduced dims of size 1), viewed with or without those dims.</summary>
    public static Tensor Output(Tensor y, ReadOnlySpan<int> inputShape, bool[] reduce, bool keepDim)
    {
        var shape = keepDim ? KeptShape(inputShape, reduce) : DroppedShape(inputShape, reduce);
        return y.AsStrided(shape, ShapeUtil.ContiguousStrides(shape), y.Offset);
    }
}

/// <summary>
/// The input of a reduction seen as a contiguous [outer, reduced, inner] block whose output is [outer, inner]
/// in row-major order of the kept dims. A contiguous input whose reduced dims form one run (size-1 dims ignored)
/// is used in place; anything else is gathered once into a pooled buffer laid out as [kept dims…, reduced dims…].
/// </summary>
internal struct ReduceSource<T> : IDisposable
{
    private T[] _array;
    private T[]? _rented;
    private int _offset, _length;

    public int Outer { get; private set; }
    public int Reduced { get; private set; }
    public int Inner { get; private set; }

    public readonly ReadOnlySpan<T> Span => new(_array, _offset, _length);

    public static ReduceSource<T> Create(Tensor x, bool[] reduce)
    {
        var shape = x.Shape;
        var s = new ReduceSource<T> { _array = x.Storage<T>(), _offset = x.Offset, _length = x.Numel };
        if (x.IsContiguous && TryRun(shape, reduce, out int first, out int last))
        {
            if (first < 0) { s.Outer = x.Numel; s.Reduced = 1; s.Inner = 1; return s; }
            s.Outer = Prod(shape[..first]);
            s.Reduced = Prod(shape[first..(last + 1)]);
            s.Inner = Prod(shape[(last + 1)..]);
            return s;
        }
        // Gather as [kept…, reduced…] so that every output element owns one contiguous row.
        int r = shape.Length, k = 0;
        var pShape = new int[r];
        var pStrides = new int[r];
        int outer = 1, reduced = 1;
        for (int pass = 0; pass < 2; pass++)
            for (int d = 0; d < r; d++)
            {
                if (reduce[d] != (pass == 1)) continue;
                pShape[k] = shape[d]; pStrides[k] = x.Strides[d]; k++;
                if (pass == 0) outer *= shape[d]; else reduced *= shape[d];
            }
        s._rented = ArrayPool<T>.Shared.Rent(x.Numel);
        s._array = s._rented;
        s._offset = 0;
        Strided.Copy(x.Storage<T>(), x.Offset, pShape, pStrides, s._rented.AsSpan(0, x.Numel));
        s.Outer = outer; s.Reduced = reduced; s.Inner = 1;
        return s;
    }

    /// <summary>First and last reduced dim of size ≠ 1, if every non-1 dim between them is reduced (−1 if none).</summary>
    private static bool TryRun(ReadOnlySpan<int> shape, bool[] reduce, out int first, out int last)
    {
        first = last = -1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1 || !reduce[d]) continue;
            if (first < 0) first = d;
            last = d;
        }
        for (int d = Math.Max(first, 0); d <= last; d++)
            if (shape[d] != 1 && !reduce[d]) return false;
        return true;
    }

    private static int Prod(ReadOnlySpan<int> s)
    {
        int p = 1;
        foreach (int v in s) p *= v;
        return p;
    }

    public void Dispose()
    {
        if (_rented is not null) ArrayPool<T>.Shared.Return(_rented);
        _rented = null;
    }
}
