using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>Which element wins an arg-reduction (max or min). NaN beats any number and the first NaN stays, so
/// NaN propagates like PyTorch's max/min; among equal values the first index wins.</summary>
internal interface IArgReduceOperator
{
    /// <summary>True when <paramref name="v"/> replaces the current <paramref name="best"/>.</summary>
    static abstract bool Better<T>(T v, T best) where T : INumber<T>;
    static abstract Vector512<float> Better(Vector512<float> v, Vector512<float> best);
    static abstract Vector256<float> Better(Vector256<float> v, Vector256<float> best);
    /// <summary>Index of the winner of a contiguous row (first on ties, first NaN if any).</summary>
    static abstract int IndexOfBest<T>(ReadOnlySpan<T> row) where T : INumber<T>;
}

internal readonly struct ArgMaxOperator : IArgReduceOperator
{
    public static bool Better<T>(T v, T best) where T : INumber<T> => v > best || (T.IsNaN(v) && !T.IsNaN(best));
    public static Vector512<float> Better(Vector512<float> v, Vector512<float> best) =>
        Vector512.GreaterThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
    public static Vector256<float> Better(Vector256<float> v, Vector256<float> best) =>
        Vector256.GreaterThan(v, best) | (~Vector256.Equals(v, v) & Vector256.Equals(best, best));
    public static int IndexOfBest<T>(ReadOnlySpan<T> row) where T : INumber<T> => TensorPrimitives.IndexOfMax(row);
}

internal readonly struct ArgMinOperator : IArgReduceOperator
{
    public static bool Better<T>(T v, T best) where T : INumber<T> => v < best || (T.IsNaN(v) && !T.IsNaN(best));
    public static Vector512<float> Better(Vector512<float> v, Vector512<float> best) =>
        Vector512.LessThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
    public static Vector256<float> Better(Vector256<float> v, Vector256<float> best) =>
        Vector256.LessThan(v, best) | (~Vector256.Equals(v, v) & Vector256.Equals(best, best));
    public static int IndexOfBest<T>(ReadOnlySpan<T> row) where T : INumber<T> => TensorPrimitives.IndexOfMin(row);
}

/// <summary>
/// values[o, i] = best_j src[o, j, i] and indices[o, i] = its j, over a contiguous [outer, reduced, inner] array
/// (reduced ≥ 1). Float32 rows (inner = 1) keep a best value and index per Vector512 lane (others use
/// TensorPrimitives.IndexOfMax/Min); columns (inner &gt; 1) keep a running
/// best per column with vector compare-and-select on float32 (Vector512 or Vector256), in column blocks that stay
/// in L1. <see cref="RunScalar{T, TOp}"/> is the reference.
/// </summary>
internal static class ArgReduce
{
    private const int Block = 1024;

    public static void Run<T, TOp>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> values, Span<int> indices)
        where T : unmanaged, INumber<T> where TOp : IArgReduceOperator
    {
        for (int o = 0; o < outer; o++)
        {
            var block = src.Slice(o * reduced * inner, reduced * inner);
            if (inner == 1)
            {
                int k = typeof(T) == typeof(float) ? Row<TOp>(MemoryMarshal.Cast<T, float>(block)) : TOp.IndexOfBest(block);
                values[o] = block[k];
                indices[o] = k;
            }
            else if (typeof(T) == typeof(float))
                Columns<TOp>(MemoryMarshal.Cast<T, float>(block), reduced, inner,
                    MemoryMarshal.Cast<T, float>(values.Slice(o * inner, inner)), indices.Slice(o * inner, inner));
            else ColumnsScalar<T, TOp>(block, reduced, inner, values.Slice(o * inner, inner), indices.Slice(o * inner, inner));
        }
    }

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
    /// Index of the winner of a float32 row: each vector lane keeps its own best and index (strict compare, so the
    /// first wins within a lane), then the lanes are merged preferring the smaller index on equal values.
    /// </summary>
    private static int Row<TOp>(ReadOnlySpan<float> row) where TOp : IArgReduceOperator
    {
        const int W = 16;
        if (!Vector512.IsHardwareAccelerated || row.Length < 2 * W) return TOp.IndexOfBest(row);
        ref float r = ref MemoryMarshal.GetReference(row);
        // Two independent (best, index) lane sets, over even and odd chunks, halve the compare-select chain.
        var best0 = Vector512.LoadUnsafe(ref r);
        var best1 = Vector512.LoadUnsafe(ref r, W);
        var idx0 = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var idx1 = idx0 + Vector512.Create(W);
        var bestIdx0 = idx0;
        var bestIdx1 = idx1;
        var step = Vector512.Create(2 * W);
        int i = 2 * W;
        for (; i <= row.Length - 2 * W; i += 2 * W)
        {
            idx0 += step;
            idx1 += step;
            var v0 = Vector512.LoadUnsafe(ref r, (nuint)i);
            var v1 = Vector512.LoadUnsafe(ref r, (nuint)(i + W));
            var m0 = TOp.Better(v0, best0);
            var m1 = TOp.Better(v1, best1);
            best0 = Vector512.ConditionalSelect(m0, v0, best0);
            best1 = Vector512.ConditionalSelect(m1, v1, best1);
            bestIdx0 = Vector512.ConditionalSelect(m0.AsInt32(), idx0, bestIdx0);
            bestIdx1 = Vector512.ConditionalSelect(m1.AsInt32(), idx1, bestIdx1);
        }
        // Merge the odd set into the even one (ties and NaN pairs go to the smaller index), then the 16 lanes.
        var tie = Vector512.Equals(best1, best0) | (~Vector512.Equals(best1, best1) & ~Vector512.Equals(best0, best0));
        var take = TOp.Better(best1, best0).AsInt32() | (tie.AsInt32() & Vector512.LessThan(bestIdx1, bestIdx0));
        best0 = Vector512.ConditionalSelect(take.AsSingle(), best1, best0);
        bestIdx0 = Vector512.ConditionalSelect(take, bestIdx1, bestIdx0);
        Span<float> lanes = stackalloc float[W];
        Span<int> laneIdx = stackalloc int[W];
        best0.CopyTo(lanes);
        bestIdx0.CopyTo(laneIdx);
        float bv = lanes[0];
        int bi = laneIdx[0];
        for (int l = 1; l < W; l++)
        {
            float v = lanes[l];
            bool same = v == bv || (float.IsNaN(v) && float.IsNaN(bv));
            if (TOp.Better(v, bv) || (same && laneIdx[l] < bi)) { bv = v; bi = laneIdx[l]; }
        }
        for (; i < row.Length; i++)
            if (TOp.Better(row[i], bv)) { bv = row[i]; bi = i; }
        return bi;
    }

    private static void Columns<TOp>(ReadOnlySpan<float> src, int reduced, int inner, Span<float> values, Span<int> indices)
        where TOp : IArgReduceOperator
    {
        for (int i0 = 0; i0 < inner; i0 += Block)
        {
            int len = Math.Min(Block, inner - i0);
            var vals = values.Slice(i0, len);
            var idx = indices.Slice(i0, len);
            src.Slice(i0, len).CopyTo(vals);
            idx.Clear();
            ref float vRef = ref MemoryMarshal.GetReference(vals);
            ref int iRef = ref MemoryMarshal.GetReference(idx);
            for (int j = 1; j < reduced; j++)
            {
                var row = src.Slice(j * inner + i0, len);
                ref float rRef = ref MemoryMarshal.GetReference(row);
                int i = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    var jv = Vector512.Create(j);
                    for (; i <= len - Vector512<float>.Count; i += Vector512<float>.Count)
                    {
                        var v = Vector512.LoadUnsafe(ref rRef, (nuint)i);
                        var b = Vector512.LoadUnsafe(ref vRef, (nuint)i);
                        var m = TOp.Better(v, b);
                        Vector512.ConditionalSelect(m, v, b).StoreUnsafe(ref vRef, (nuint)i);
                        Vector512.ConditionalSelect(m.AsInt32(), jv, Vector512.LoadUnsafe(ref iRef, (nuint)i)).StoreUnsafe(ref iRef, (nuint)i);
                    }
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    var jv = Vector256.Create(j);
                    for (; i <= len - Vector256<float>.Count; i += Vector256<float>.Count)
                    {
                        var v = Vector256.LoadUnsafe(ref rRef, (nuint)i);
                        var b = Vector256.LoadUnsafe(ref vRef, (nuint)i);
                        var m = TOp.Better(v, b);
                        Vector256.ConditionalSelect(m, v, b).StoreUnsafe(ref vRef, (nuint)i);
                        Vector256.ConditionalSelect(m.AsInt32(), jv, Vector256.LoadUnsafe(ref iRef, (nuint)i)).StoreUnsafe(ref iRef, (nuint)i);
                    }
                }
                for (; i < len; i++)
                    if (TOp.Better(row[i], vals[i])) { vals[i] = row[i]; idx[i] = j; }
            }
        }
    }
}
