using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Softmax, log-softmax and log-sum-exp along the middle dim of a contiguous array viewed as [outer, n, inner]
/// (n = the softmax dim). Rows (inner = 1) run as whole-span TensorPrimitives calls; for inner &gt; 1 the inner
/// positions are processed side by side as spans of length inner, so every loop is a vector loop.
/// <see cref="SoftmaxReference"/> is the scalar twin and test oracle.
/// </summary>
/// <remarks>Stability: exp is taken of x − max, so every exponent is ≤ 0 and the sum is in [1, n].</remarks>
internal static class SoftmaxKernel
{
    /// <summary>dst = softmax(src) (or log-softmax when <paramref name="log"/>) along n.</summary>
    public static void Forward<T>(ReadOnlySpan<T> src, Span<T> dst, int outer, int n, int inner, bool log)
        where T : IFloatingPointIeee754<T>
    {
        if (n == 0 || inner == 0) return;
        int block = n * inner;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) ForwardRow(src.Slice(o * n, n), dst.Slice(o * n, n), log);
            return;
        }
        var pool = ArrayPool<T>.Shared;
        T[] mBuf = pool.Rent(inner), sBuf = pool.Rent(inner);
        var m = mBuf.AsSpan(0, inner);
        var s = sBuf.AsSpan(0, inner);
        for (int o = 0; o < outer; o++)
        {
            var x = src.Slice(o * block, block);
            var y = dst.Slice(o * block, block);
            ColumnMax(x, n, inner, m);
            s.Clear();
            for (int j = 0; j < n; j++)
            {
                var yj = y.Slice(j * inner, inner);
                TensorPrimitives.Subtract(x.Slice(j * inner, inner), m, yj);
                TensorPrimitives.Exp(yj, yj);
                TensorPrimitives.Add(s, yj, s);
            }
            if (log)
            {
                TensorPrimitives.Log(s, s);   // s = log Σ exp(x − m); y = (x − m) − s keeps x − m exact
                for (int j = 0; j < n; j++)
                {
                    var yj = y.Slice(j * inner, inner);
                    TensorPrimitives.Subtract(x.Slice(j * inner, inner), m, yj);
                    TensorPrimitives.Subtract(yj, s, yj);
                }
            }
            else
                for (int j = 0; j < n; j++) TensorPrimitives.Divide(y.Slice(j * inner, inner), s, y.Slice(j * inner, inner));
        }
        pool.Return(mBuf);
        pool.Return(sBuf);
    }

    private static void ForwardRow<T>(ReadOnlySpan<T> x, Span<T> y, bool log) where T : IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        T sum = TensorPrimitives.Sum<T>(y);
        if (log)
        {
            // (x − max) − log Σ, not x − (max + log Σ): the latter rounds at the scale of max (e.g. logits ~1000).
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Subtract(y, T.Log(sum), y);
        }
        else TensorPrimitives.Divide(y, sum, y);
    }

    /// <summary>m[i] = max_j x[j, i] over a [n, inner] block (n ≥ 1).</summary>
    private static void ColumnMax<T>(ReadOnlySpan<T> x, int n, int inner, Span<T> m) where T : IFloatingPointIeee754<T>
    {
        x.Slice(0, inner).CopyTo(m);
        for (int j = 1; j < n; j++) TensorPrimitives.Max(m, x.Slice(j * inner, inner), m);
    }

    /// <summary>
    /// Backward from the saved output y: softmax dx = y ⊙ (g − Σ g⊙y); log-softmax (y = log p)
    /// dx = g − exp(y) ⊙ Σ g. O(n) per row: the n×n Jacobian is never formed.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> dx, int outer, int n, int inner, bool log)
        where T : IFloatingPointIeee754<T>
    {
        if (n == 0 || inner == 0) return;
        int block = n * inner;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var yr = y.Slice(o * n, n);
                var gr = g.Slice(o * n, n);
                var dr = dx.Slice(o * n, n);
                if (log)
                {
                    T sum = TensorPrimitives.Sum(gr);
                    TensorPrimitives.Exp(yr, dr);
                    TensorPrimitives.MultiplyAdd(dr, -sum, gr, dr);
                }
                else
                {
                    T dot = TensorPrimitives.Dot(gr, yr);
                    TensorPrimitives.Subtract(gr, dot, dr);
                    TensorPrimitives.Multiply(dr, yr, dr);
                }
            }
            return;
        }
        var pool = ArrayPool<T>.Shared;
        T[] aBuf = pool.Rent(inner);
        var acc = aBuf.AsSpan(0, inner);
        for (int o = 0; o < outer; o++)
        {
            var yb = y.Slice(o * block, block);
            var gb = g.Slice(o * block, block);
            var db = dx.Slice(o * block, block);
            acc.Clear();
            for (int j = 0; j < n; j++)
            {
                var gj = gb.Slice(j * inner, inner);
                if (log) TensorPrimitives.Add(acc, gj, acc);                                  // Σ g
                else TensorPrimitives.MultiplyAdd(gj, yb.Slice(j * inner, inner), acc, acc);  // Σ g⊙y
            }
            for (int j = 0; j < n; j++)
            {
                var yj = yb.Slice(j * inner, inner);
                var gj = gb.Slice(j * inner, inner);
                var dj = db.Slice(j * inner, inner);
                if (log)
                {
                    TensorPrimitives.Exp(yj, dj);
                    TensorPrimitives.Multiply(dj, acc, dj);
                    TensorPrimitives.Subtract(gj, dj, dj);
                }
                else
                {
                    TensorPrimitives.Subtract(gj, acc, dj);
                    TensorPrimitives.Multiply(dj, yj, dj);
                }
            }
        }
        pool.Return(aBuf);
    }

    /// <summary>
    /// log Σ_j exp src[o, j, i] split as max[k] + logSum[k] (k = o·inner + i; max = max_j src, logSum = log Σ_j
    /// exp(src − max)), so callers form x − lse as (x − max) − logSum without rounding at the scale of max.
    /// </summary>
    public static void LogSumExp<T>(ReadOnlySpan<T> src, Span<T> max, Span<T> logSum, int outer, int n, int inner)
        where T : IFloatingPointIeee754<T>
    {
        if (inner == 0) return;
        if (n == 0) { max.Slice(0, outer * inner).Fill(T.Zero); logSum.Slice(0, outer * inner).Fill(T.NegativeInfinity); return; }
        var pool = ArrayPool<T>.Shared;
        int width = inner == 1 ? n : inner;
        T[] tBuf = pool.Rent(width);
        var t = tBuf.AsSpan(0, width);
        int block = n * inner;
        for (int o = 0; o < outer; o++)
        {
            var x = src.Slice(o * block, block);
            if (inner == 1)
            {
                T m1 = TensorPrimitives.Max(x);
                TensorPrimitives.Subtract(x, m1, t);
                TensorPrimitives.Exp(t, t);
                max[o] = m1;
                logSum[o] = T.Log(TensorPrimitives.Sum<T>(t));
                continue;
            }
            var m = max.Slice(o * inner, inner);
            var s = logSum.Slice(o * inner, inner);
            ColumnMax(x, n, inner, m);
            s.Clear();
            for (int j = 0; j < n; j++)
            {
                TensorPrimitives.Subtract(x.Slice(j * inner, inner), m, t);
                TensorPrimitives.Exp(t, t);
                TensorPrimitives.Add(s, t, s);
            }
            TensorPrimitives.Log(s, s);
        }
        pool.Return(tBuf);
    }
}
