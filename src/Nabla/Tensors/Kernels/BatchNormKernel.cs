using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Batch-normalisation loops over a contiguous array viewed as [N, C, S] (S = spatial size, 1 for [N, C]):
/// per-channel statistics over the M = N·S values of each channel, normalisation with an affine map, and the
/// per-channel sums backward needs. When S = 1 the loops run across channels (rows of length C); otherwise over
/// each (n, c) plane of length S, so both are vector loops. <see cref="BatchNormReference"/> is the scalar twin.
/// With S &gt; 1 and a large enough tensor, channels (statistics, gradient sums) or planes (normalisation, dx) are split
/// between the cores; every channel's sums keep their one-thread order, so results are the same on any core count.
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>mean[c] = Σ x / M; var[c] = Σ (x − mean)² / M (biased; two passes for accuracy).</summary>
    public static void MeanVar<T>(ReadOnlyMemory<T> xMemory, int n, int c, int s, Memory<T> meanMemory, Memory<T> varMemory)
        where T : IFloatingPointIeee754<T>
    {
        T m = T.CreateChecked(n * s);
        if (s == 1)
        {
            ReadOnlySpan<T> x = xMemory.Span;
            Span<T> mean = meanMemory.Span, var = varMemory.Span;
            mean.Slice(0, c).Clear();
            var.Slice(0, c).Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Slice(i * c, c), mean);
            TensorPrimitives.Divide(mean, m, mean);
            T[] tmp = System.Buffers.ArrayPool<T>.Shared.Rent(c);
            var d = tmp.AsSpan(0, c);
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, d);
                TensorPrimitives.MultiplyAdd(d, d, var, var);
            }
            System.Buffers.ArrayPool<T>.Shared.Return(tmp);
            TensorPrimitives.Divide(var, m, var);
            return;
        }
        ForRanges(c, n * c * s, (lo, hi) =>
        {
            ReadOnlySpan<T> x = xMemory.Span;
            Span<T> mean = meanMemory.Span, var = varMemory.Span;
            T[] buf = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Min(s, 1024));
            for (int ch = lo; ch < hi; ch++)
            {
                // Accumulate across planes in double: M can be millions for float32 activations.
                double sum = 0;
                for (int i = 0; i < n; i++) sum += double.CreateChecked(TensorPrimitives.Sum(x.Slice((i * c + ch) * s, s)));
                T mu = T.CreateChecked(sum / (n * s));
                double sq = 0;
                for (int i = 0; i < n; i++) sq += double.CreateChecked(SumSquaredDeviation(x.Slice((i * c + ch) * s, s), mu, buf));
                mean[ch] = mu;
                var[ch] = T.CreateChecked(sq / (n * s));
            }
            System.Buffers.ArrayPool<T>.Shared.Return(buf);
        });
    }

    /// <summary>Σ (x − mu)² of one span, in blocks through a small scratch buffer.</summary>
    private static T SumSquaredDeviation<T>(ReadOnlySpan<T> x, T mu, T[] scratch) where T : IFloatingPointIeee754<T>
    {
        int w = Math.Min(scratch.Length, 1024);
        T acc = T.Zero;
        for (int k = 0; k < x.Length; k += w)
        {
            var chunk = x.Slice(k, Math.Min(w, x.Length - k));
            var dd = scratch.AsSpan(0, chunk.Length);
            TensorPrimitives.Subtract(chunk, mu, dd);
            acc += TensorPrimitives.SumOfSquares<T>(dd);
        }
        return acc;
    }

    /// <summary>
    /// x̂ = (x − mean[c])·invStd[c]; y = x̂·weight[c] + bias[c], then y = max(y, 0) when <paramref name="relu"/> (while
    /// each plane is in L1). Empty <paramref name="weight"/>/<paramref name="bias"/> mean 1/0; empty
    /// <paramref name="xHat"/> means x̂ is not kept (y may then be the only output). y may be x itself (in place).
    /// </summary>
    public static void Normalize<T>(ReadOnlyMemory<T> xMemory, int n, int c, int s, ReadOnlyMemory<T> meanMemory, ReadOnlyMemory<T> invStdMemory,
        ReadOnlyMemory<T> weightMemory, ReadOnlyMemory<T> biasMemory, Memory<T> xHatMemory, Memory<T> yMemory, bool relu = false)
        where T : IFloatingPointIeee754<T>
    {
        bool keep = !xHatMemory.IsEmpty;
        if (s == 1)
        {
            ReadOnlySpan<T> x = xMemory.Span, mean = meanMemory.Span, invStd = invStdMemory.Span, weight = weightMemory.Span, bias = biasMemory.Span;
            Span<T> xHat = xHatMemory.Span, y = yMemory.Span;
            for (int i = 0; i < n; i++)
            {
                var yr = y.Slice(i * c, c);
                var hr = keep ? xHat.Slice(i * c, c) : yr;
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, hr);
                TensorPrimitives.Multiply(hr, invStd, hr);
                if (!weight.IsEmpty && !bias.IsEmpty) TensorPrimitives.MultiplyAdd(hr, weight, bias, yr);
                else if (!weight.IsEmpty) TensorPrimitives.Multiply(hr, weight, yr);
                else if (!bias.IsEmpty) TensorPrimitives.Add(hr, bias, yr);
                else if (keep) hr.CopyTo(yr);
                if (relu) new ReluOperator<T>().Invoke(yr, yr);
            }
            return;
        }
        ForRanges(n * c, n * c * s, (lo, hi) =>
        {
            ReadOnlySpan<T> x = xMemory.Span, mean = meanMemory.Span, invStd = invStdMemory.Span, weight = weightMemory.Span, bias = biasMemory.Span;
            Span<T> xHat = xHatMemory.Span, y = yMemory.Span;
            for (int plane = lo; plane < hi; plane++)
            {
                int ch = plane % c, o = plane * s;
                var yp = y.Slice(o, s);
                var hp = keep ? xHat.Slice(o, s) : yp;
                // (x − mean)·invStd rather than x·invStd − mean·invStd: no cancellation when |mean| ≫ std.
                TensorPrimitives.Subtract(x.Slice(o, s), mean[ch], hp);
                TensorPrimitives.Multiply(hp, invStd[ch], hp);
                T w = weight.IsEmpty ? T.One : weight[ch], b = bias.IsEmpty ? T.Zero : bias[ch];
                if (w != T.One || b != T.Zero) AffineKernel.Affine(hp, w, b, yp);
                else if (keep) hp.CopyTo(yp);
                if (relu) new ReluOperator<T>().Invoke(yp, yp);
            }
        });
    }

    /// <summary>sumG[c] = Σ g, sumGX[c] = Σ g·x̂ over the M values of each channel.</summary>
    public static void GradSums<T>(ReadOnlyMemory<T> gMemory, ReadOnlyMemory<T> xHatMemory, int n, int c, int s, Memory<T> sumGMemory, Memory<T> sumGXMemory)
        where T : IFloatingPointIeee754<T>
    {
        sumGMemory.Span.Slice(0, c).Clear();
        sumGXMemory.Span.Slice(0, c).Clear();
        if (s == 1)
        {
            ReadOnlySpan<T> g = gMemory.Span, xHat = xHatMemory.Span;
            Span<T> sumG = sumGMemory.Span, sumGX = sumGXMemory.Span;
            for (int i = 0; i < n; i++)
            {
                var gr = g.Slice(i * c, c);
                TensorPrimitives.Add(sumG, gr, sumG);
                TensorPrimitives.MultiplyAdd(gr, xHat.Slice(i * c, c), sumGX, sumGX);
            }
            return;
        }
        // Accumulate across planes in double (as PyTorch's CPU kernel does): M reaches ~10⁵ values per channel.
        // Each channel's partial sums are added in the order of i (whichever worker owns the channel).
        // A worker walks its channels' planes in memory order (image by image), which the prefetcher follows.
        ForRanges(c, n * c * s, (lo, hi) =>
        {
            ReadOnlySpan<T> g = gMemory.Span, xHat = xHatMemory.Span;
            Span<T> sumG = sumGMemory.Span, sumGX = sumGXMemory.Span;
            var pool = System.Buffers.ArrayPool<double>.Shared;
            int width = hi - lo;
            double[] acc = pool.Rent(2 * width);
            Span<double> sg = acc.AsSpan(0, width), sgx = acc.AsSpan(width, width);
            sg.Clear();
            sgx.Clear();
            for (int i = 0; i < n; i++)
                for (int ch = lo; ch < hi; ch++)
                {
                    int o = (i * c + ch) * s;
                    sg[ch - lo] += double.CreateChecked(TensorPrimitives.Sum(g.Slice(o, s)));
                    sgx[ch - lo] += double.CreateChecked(TensorPrimitives.Dot(g.Slice(o, s), xHat.Slice(o, s)));
                }
            for (int ch = lo; ch < hi; ch++)
            {
                sumG[ch] = T.CreateChecked(sg[ch - lo]);
                sumGX[ch] = T.CreateChecked(sgx[ch - lo]);
            }
            pool.Return(acc);
        });
    }

    /// <summary>
    /// Training backward: dx = (scale[c]/M)·(M·g − sumG[c] − x̂·sumGX[c]) with scale = γ·invStd, written as
    /// dx = a·g + b·x̂ + k (a = scale, b = −scale·sumGX/M, k = −scale·sumG/M) so each element is one pass.
    /// </summary>
    public static void BackwardTraining<T>(ReadOnlyMemory<T> gMemory, ReadOnlyMemory<T> xHatMemory, int n, int c, int s,
        ReadOnlySpan<T> scale, ReadOnlySpan<T> sumG, ReadOnlySpan<T> sumGX, Memory<T> dxMemory) where T : IFloatingPointIeee754<T>
    {
        T m = T.CreateChecked(n * s);
        var pool = System.Buffers.ArrayPool<T>.Shared;
        T[] aB = pool.Rent(c), bB = pool.Rent(c), kB = pool.Rent(c);
        Span<T> a = aB.AsSpan(0, c), b = bB.AsSpan(0, c), k = kB.AsSpan(0, c);
        for (int ch = 0; ch < c; ch++)
        {
            a[ch] = scale[ch];
            b[ch] = -scale[ch] * sumGX[ch] / m;
            k[ch] = -scale[ch] * sumG[ch] / m;
        }
        if (s == 1)
        {
            ReadOnlySpan<T> g = gMemory.Span, xHat = xHatMemory.Span;
            Span<T> dx = dxMemory.Span;
            for (int i = 0; i < n; i++)
            {
                var dr = dx.Slice(i * c, c);
                TensorPrimitives.MultiplyAdd(g.Slice(i * c, c), a, k, dr);
                TensorPrimitives.MultiplyAdd(xHat.Slice(i * c, c), b, dr, dr);
            }
        }
        else
        {
            ForRanges(n * c, n * c * s, (lo, hi) =>
            {
                ReadOnlySpan<T> g = gMemory.Span, xHat = xHatMemory.Span;
                Span<T> dx = dxMemory.Span;
                for (int plane = lo; plane < hi; plane++)
                {
                    int ch = plane % c, o = plane * s;
                    var dp = dx.Slice(o, s);
                    AffineKernel.Affine(g.Slice(o, s), aB[ch], kB[ch], dp);
                    TensorPrimitives.MultiplyAdd(xHat.Slice(o, s), bB[ch], dp, dp);
                }
            });
        }
        pool.Return(aB); pool.Return(bB); pool.Return(kB);
    }

    /// <summary>Below this many elements in total, one thread runs a loop (a dispatch costs a few microseconds).</summary>
    private const long ParallelElements = 1 << 16;

    /// <summary>body(lo, hi) over [0, units) split into contiguous ranges, one per core when the tensor holds
    /// <paramref name="elements"/> ≥ <see cref="ParallelElements"/>. Units are channels or (n, c) planes, each written
    /// by one range only and computed in the same order as on one thread, so results do not depend on the split.</summary>
    private static void ForRanges(int units, long elements, Action<int, int> body)
    {
        int workers = elements < ParallelElements ? 1 : Math.Min(ParallelFor.MaxDegree, units);
        if (workers <= 1) { body(0, units); return; }
        ParallelFor.Run(workers, w => body((int)((long)units * w / workers), (int)((long)units * (w + 1) / workers)));
    }

    /// <summary>dx = g·scale[c] (eval-mode backward: the affine map x ↦ γ·(x − μ)·invStd + β).</summary>
    public static void ScaleChannels<T>(ReadOnlySpan<T> g, int n, int c, int s, ReadOnlySpan<T> scale, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        if (s == 1)
        {
            for (int i = 0; i < n; i++) TensorPrimitives.Multiply(g.Slice(i * c, c), scale, dx.Slice(i * c, c));
            return;
        }
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * s;
                TensorPrimitives.Multiply(g.Slice(o, s), scale[ch], dx.Slice(o, s));
            }
    }
}
