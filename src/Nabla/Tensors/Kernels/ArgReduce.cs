using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>Which element wins an arg-reduction (max or min). NaN beats any number and the first NaN stays, so
/// NaN propagates like PyTorch's max/min; among equal values the first index wins.</summary>
internal interface IArgReduceOperator
{
    /// <summary>True when <paramref name="v"/> replaces the current <paramref name="best"/>.</summary>
    static abstract bool Better<T>(T v, T best) where T : INumber<T>;
    /// <summary>The lane mask of <see cref="Better{T}(T, T)"/>, for every vector width.</summary>
    static abstract TV Better<TV, T>(TV v, TV best) where TV : struct, IVec<TV, T> where T : IFloatingPointIeee754<T>;
    /// <summary>Index of the winner of a contiguous row (first on ties, first NaN if any).</summary>
    static abstract int IndexOfBest<T>(ReadOnlySpan<T> row) where T : INumber<T>;
}

internal readonly struct ArgMaxOperator : IArgReduceOperator
{
    public static bool Better<T>(T v, T best) where T : INumber<T> => v > best || (T.IsNaN(v) && !T.IsNaN(best));
    public static TV Better<TV, T>(TV v, TV best) where TV : struct, IVec<TV, T> where T : IFloatingPointIeee754<T> =>
        TV.GreaterThan(v, best) | (~TV.Equals(v, v) & TV.Equals(best, best));
    public static int IndexOfBest<T>(ReadOnlySpan<T> row) where T : INumber<T> => TensorPrimitives.IndexOfMax(row);
}

internal readonly struct ArgMinOperator : IArgReduceOperator
{
    public static bool Better<T>(T v, T best) where T : INumber<T> => v < best || (T.IsNaN(v) && !T.IsNaN(best));
    public static TV Better<TV, T>(TV v, TV best) where TV : struct, IVec<TV, T> where T : IFloatingPointIeee754<T> =>
        TV.LessThan(v, best) | (~TV.Equals(v, v) & TV.Equals(best, best));
    public static int IndexOfBest<T>(ReadOnlySpan<T> row) where T : INumber<T> => TensorPrimitives.IndexOfMin(row);
}

/// <summary>
/// values[o, i] = best_j src[o, j, i] and indices[o, i] = its j, over a contiguous [outer, reduced, inner] array
/// (reduced ≥ 1). Float rows (inner = 1) keep a best value and index per vector lane; columns (inner &gt; 1) keep a
/// running best per column with vector compare-and-select, in column blocks that stay in L1. One generic body for
/// every width: the index lanes are carried in the value type (exact below 2^24 in float32; longer rows and
/// reductions take the scalar path). Integer types use TensorPrimitives.IndexOfMax/Min and the scalar columns.
/// <see cref="RunScalar{T, TOp}"/> is the reference.
/// </summary>
internal static class ArgReduce
{
    private const int Block = 1024;

    public static void Run<T, TOp>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> values, Span<int> indices)
        where T : unmanaged, INumber<T> where TOp : IArgReduceOperator
        => RunAt<T, TOp>(src, outer, reduced, inner, values, indices, typeof(T) == typeof(double) ? Vec.Best<double>() : Vec.Best<float>());

    /// <summary><see cref="Run{T, TOp}"/> at a given vector width for float types (tests force each one).</summary>
    internal static void RunAt<T, TOp>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> values, Span<int> indices, VecWidth width)
        where T : unmanaged, INumber<T> where TOp : IArgReduceOperator
    {
        if (typeof(T) == typeof(float))
            Floating<float, TOp>(MemoryMarshal.Cast<T, float>(src), outer, reduced, inner, MemoryMarshal.Cast<T, float>(values), indices, width);
        else if (typeof(T) == typeof(double))
            Floating<double, TOp>(MemoryMarshal.Cast<T, double>(src), outer, reduced, inner, MemoryMarshal.Cast<T, double>(values), indices, width);
        else
            for (int o = 0; o < outer; o++)
            {
                var block = src.Slice(o * reduced * inner, reduced * inner);
                if (inner == 1) { int k = TOp.IndexOfBest(block); values[o] = block[k]; indices[o] = k; }
                else ColumnsScalar<T, TOp>(block, reduced, inner, values.Slice(o * inner, inner), indices.Slice(o * inner, inner));
            }
    }

    private static void Floating<T, TOp>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> values, Span<int> indices, VecWidth width)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IArgReduceOperator
    {
        switch (width)
        {
            case VecWidth.V512: Floating<T, TOp, V512<T>>(src, outer, reduced, inner, values, indices); break;
            case VecWidth.V256: Floating<T, TOp, V256<T>>(src, outer, reduced, inner, values, indices); break;
            case VecWidth.V128: Floating<T, TOp, V128<T>>(src, outer, reduced, inner, values, indices); break;
            default:
                for (int o = 0; o < outer; o++)
                {
                    var block = src.Slice(o * reduced * inner, reduced * inner);
                    if (inner == 1) { int k = TOp.IndexOfBest(block); values[o] = block[k]; indices[o] = k; }
                    else ColumnsScalar<T, TOp>(block, reduced, inner, values.Slice(o * inner, inner), indices.Slice(o * inner, inner));
                }
                break;
        }
    }

    private static void Floating<T, TOp, TV>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> values, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IArgReduceOperator where TV : struct, IVec<TV, T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = src.Slice(o * reduced * inner, reduced * inner);
            if (inner == 1)
            {
                int k = Row<T, TOp, TV>(block);
                values[o] = block[k];
                indices[o] = k;
            }
            else if (reduced > MaxExactIndex<T>())
                ColumnsScalar<T, TOp>(block, reduced, inner, values.Slice(o * inner, inner), indices.Slice(o * inner, inner));
            else Columns<T, TOp, TV>(block, reduced, inner, values.Slice(o * inner, inner), indices.Slice(o * inner, inner));
        }
    }

    /// <summary>Largest count whose indices the value type holds exactly (2^24 in float32).</summary>
    private static int MaxExactIndex<T>() => typeof(T) == typeof(float) ? 1 << 24 : int.MaxValue;
    /// <summary>Scalar twin of <see cref="Run{T, TOp}"/>: one compare per element.</summary>
    public static void RunScalar<T, TOp>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> values, Span<int> indices)
        where T : unmanaged, INumber<T> where TOp : IArgReduceOperator
    {
        for (int o = 0; o < outer; o++)
            ColumnsScalar<T, TOp>(src.Slice(o * reduced * inner, reduced * inner), reduced, inner,
                values.Slice(o * inner, inner), indices.Slice(o * inner, inner));
    }

    private static void ColumnsScalar<T, TOp>(ReadOnlySpan<T> src, int reduced, int inner, Span<T> values, Span<int> indices)
        where T : unmanaged, INumber<T> where TOp : IArgReduceOperator
    {
        src[..inner].CopyTo(values);
        indices.Clear();
        for (int j = 1; j < reduced; j++)
        {
            var row = src.Slice(j * inner, inner);
            for (int i = 0; i < inner; i++)
                if (TOp.Better(row[i], values[i])) { values[i] = row[i]; indices[i] = j; }
        }
    }

    /// <summary>
    /// Index of the winner of a row: each vector lane keeps its own best and index (strict compare, so the first
    /// wins within a lane), then the lanes are merged preferring the smaller index on equal values.
    /// </summary>
    private static int Row<T, TOp, TV>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IArgReduceOperator where TV : struct, IVec<TV, T>
    {
        int w = TV.Count;
        if (row.Length < 2 * w || row.Length > MaxExactIndex<T>()) return TOp.IndexOfBest(row);
        ref T r = ref MemoryMarshal.GetReference(row);
        // Two independent (best, index) lane sets, over even and odd chunks, halve the compare-select chain.
        var best0 = TV.Load(ref r, 0);
        var best1 = TV.Load(ref r, (nuint)w);
        var idx0 = TV.Indices;
        var idx1 = idx0 + TV.Create(T.CreateTruncating(w));
        var bestIdx0 = idx0;
        var bestIdx1 = idx1;
        var step = TV.Create(T.CreateTruncating(2 * w));
        int i = 2 * w;
        for (; i <= row.Length - 2 * w; i += 2 * w)
        {
            idx0 += step;
            idx1 += step;
            var v0 = TV.Load(ref r, (nuint)i);
            var v1 = TV.Load(ref r, (nuint)(i + w));
            var m0 = TOp.Better<TV, T>(v0, best0);
            var m1 = TOp.Better<TV, T>(v1, best1);
            best0 = TV.Select(m0, v0, best0);
            best1 = TV.Select(m1, v1, best1);
            bestIdx0 = TV.Select(m0, idx0, bestIdx0);
            bestIdx1 = TV.Select(m1, idx1, bestIdx1);
        }
        // Merge the odd set into the even one (ties and NaN pairs go to the smaller index), then the lanes.
        var tie = TV.Equals(best1, best0) | (~TV.Equals(best1, best1) & ~TV.Equals(best0, best0));
        var take = TOp.Better<TV, T>(best1, best0) | (tie & TV.LessThan(bestIdx1, bestIdx0));
        best0 = TV.Select(take, best1, best0);
        bestIdx0 = TV.Select(take, bestIdx1, bestIdx0);
        T bv = best0[0];
        int bi = int.CreateTruncating(bestIdx0[0]);
        for (int l = 1; l < w; l++)
        {
            T v = best0[l];
            int at = int.CreateTruncating(bestIdx0[l]);
            bool same = v == bv || (T.IsNaN(v) && T.IsNaN(bv));
            if (TOp.Better(v, bv) || (same && at < bi)) { bv = v; bi = at; }
        }
        for (; i < row.Length; i++)
            if (TOp.Better(row[i], bv)) { bv = row[i]; bi = i; }
        return bi;
    }

    /// <summary>Running best per column, a block of columns at a time; the block's indices are kept as T lanes
    /// (exact: reduced ≤ <see cref="MaxExactIndex{T}"/>) and converted once at its end.</summary>
    private static void Columns<T, TOp, TV>(ReadOnlySpan<T> src, int reduced, int inner, Span<T> values, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IArgReduceOperator where TV : struct, IVec<TV, T>
    {
        Span<T> at = stackalloc T[Block];
        for (int i0 = 0; i0 < inner; i0 += Block)
        {
            int len = Math.Min(Block, inner - i0);
            var vals = values.Slice(i0, len);
            var idx = at[..len];
            src.Slice(i0, len).CopyTo(vals);
            idx.Clear();
            ref T vRef = ref MemoryMarshal.GetReference(vals);
            ref T iRef = ref MemoryMarshal.GetReference(idx);
            for (int j = 1; j < reduced; j++)
            {
                var row = src.Slice(j * inner + i0, len);
                ref T rRef = ref MemoryMarshal.GetReference(row);
                T jt = T.CreateTruncating(j);
                var jv = TV.Create(jt);
                int i = 0;
                for (; i <= len - TV.Count; i += TV.Count)
                {
                    var v = TV.Load(ref rRef, (nuint)i);
                    var b = TV.Load(ref vRef, (nuint)i);
                    var m = TOp.Better<TV, T>(v, b);
                    TV.Select(m, v, b).Store(ref vRef, (nuint)i);
                    TV.Select(m, jv, TV.Load(ref iRef, (nuint)i)).Store(ref iRef, (nuint)i);
                }
                for (; i < len; i++)
                    if (TOp.Better(row[i], vals[i])) { vals[i] = row[i]; idx[i] = jt; }
            }
            var dst = indices.Slice(i0, len);
            for (int i = 0; i < len; i++) dst[i] = int.CreateTruncating(idx[i]);
        }
    }
}
