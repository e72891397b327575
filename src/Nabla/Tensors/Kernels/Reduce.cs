using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Reductions over one dim of a contiguous array viewed as [outer, reduced, inner]; the result is [outer, inner].
/// inner = 1 reduces contiguous rows (TensorPrimitives' vector reductions); inner &gt; 1 combines whole rows of
/// length inner element-wise (vector adds), which needs no transposition.
/// </summary>
internal static class Reduce
{
    /// <summary>dst[o, i] = Σ_j src[o, j, i]; dst has outer·inner elements.</summary>
    public static void SumDim<T>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> dst) where T : IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            if (outer == 1) { dst[0] = TensorPrimitives.Sum(src[..reduced]); return; }
            for (int o = 0; o < outer; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * reduced, reduced));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            if (reduced == 0) { d.Clear(); continue; }
            src.Slice(o * reduced * inner, inner).CopyTo(d);
            for (int j = 1; j < reduced; j++) TensorPrimitives.Add(d, src.Slice((o * reduced + j) * inner, inner), d);
        }
    }

    /// <summary>dst[o, i] = max_j src[o, j, i] (NaN propagates); reduced ≥ 1.</summary>
    public static void MaxValueDim<T>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> dst) where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1) { dst[o] = TensorPrimitives.Max(src.Slice(o * reduced, reduced)); continue; }
            var d = dst.Slice(o * inner, inner);
            src.Slice(o * reduced * inner, inner).CopyTo(d);
            for (int j = 1; j < reduced; j++) TensorPrimitives.Max(d, src.Slice((o * reduced + j) * inner, inner), d);
        }
    }

    /// <summary>
    /// dst[o, i] = Σ_j (src[o, j, i] − μ[o, i])² / max(0, reduced − correction), μ the mean over j. Two passes
    /// (mean, then squared deviations), so no cancellation as in E[x²] − μ².
    /// </summary>
    public static void VarDim<T>(ReadOnlySpan<T> src, int outer, int reduced, int inner, int correction, Span<T> dst) where T : IFloatingPointIeee754<T>
    {
        T n = T.CreateChecked(reduced), denom = T.CreateChecked(Math.Max(0, reduced - correction));
        var pool = ArrayPool<T>.Shared;
        var tmp = pool.Rent(inner == 1 ? reduced : 2 * inner);
        try
        {
            for (int o = 0; o < outer; o++)
            {
                if (inner == 1)
                {
                    var row = src.Slice(o * reduced, reduced);
                    T mean = TensorPrimitives.Sum(row) / n;
                    var dev = tmp.AsSpan(0, reduced);
                    TensorPrimitives.Subtract(row, mean, dev);
                    dst[o] = TensorPrimitives.SumOfSquares((ReadOnlySpan<T>)dev) / denom;
                    continue;
                }
                var mu = tmp.AsSpan(0, inner);
                var diff = tmp.AsSpan(inner, inner);
                var acc = dst.Slice(o * inner, inner);
                SumDim<T>(src.Slice(o * reduced * inner, reduced * inner), 1, reduced, inner, mu);
                TensorPrimitives.Divide(mu, n, mu);
                acc.Clear();
                for (int j = 0; j < reduced; j++)
                {
                    TensorPrimitives.Subtract(src.Slice((o * reduced + j) * inner, inner), mu, diff);
                    TensorPrimitives.MultiplyAdd(diff, diff, acc, acc);
                }
                TensorPrimitives.Divide(acc, denom, acc);
            }
        }
        finally { pool.Return(tmp); }
    }

    /// <summary>
    /// dst[o, i] = m + log Σ_j exp(src[o, j, i] − m) with m = max_j src[o, j, i] (so no exp overflows). A non-finite
    /// max shifts by 0 instead: all −∞ gives −∞, any +∞ gives +∞, NaN gives NaN.
    /// </summary>
    public static void LogSumExpDim<T>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> dst) where T : IFloatingPointIeee754<T>
    {
        var pool = ArrayPool<T>.Shared;
        var tmp = pool.Rent(inner == 1 ? reduced : 2 * inner);
        try
        {
            for (int o = 0; o < outer; o++)
            {
                if (inner == 1)
                {
                    var row = src.Slice(o * reduced, reduced);
                    T m = reduced == 0 ? T.Zero : TensorPrimitives.Max(row);
                    if (!T.IsFinite(m)) m = T.Zero;
                    var e = tmp.AsSpan(0, reduced);
                    TensorPrimitives.Subtract(row, m, e);
                    TensorPrimitives.Exp(e, e);
                    dst[o] = m + T.Log(TensorPrimitives.Sum<T>(e));
                    continue;
                }
                var shift = tmp.AsSpan(0, inner);
                var ex = tmp.AsSpan(inner, inner);
                var acc = dst.Slice(o * inner, inner);
                if (reduced == 0) shift.Clear();
                else MaxValueDim<T>(src.Slice(o * reduced * inner, reduced * inner), 1, reduced, inner, shift);
                for (int i = 0; i < inner; i++) if (!T.IsFinite(shift[i])) shift[i] = T.Zero;
                acc.Clear();
                for (int j = 0; j < reduced; j++)
                {
                    TensorPrimitives.Subtract(src.Slice((o * reduced + j) * inner, inner), shift, ex);
                    TensorPrimitives.Exp(ex, ex);
                    TensorPrimitives.Add(acc, ex, acc);
                }
                TensorPrimitives.Log(acc, acc);
                TensorPrimitives.Add(acc, shift, acc);
            }
        }
        finally { pool.Return(tmp); }
    }
}
