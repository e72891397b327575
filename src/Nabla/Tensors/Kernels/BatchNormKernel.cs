using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Batch-normalisation loops over a contiguous array viewed as [N, C, S] (S = spatial size, 1 for [N, C]):
/// per-channel statistics over the M = N·S values of each channel, normalisation with an affine map, and the
/// per-channel sums backward needs. When S = 1 the loops run across channels (rows of length C); otherwise over
/// each (n, c) plane of length S, so both are vector loops. <see cref="BatchNormReference"/> is the scalar twin.
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>mean[c] = Σ x / M; var[c] = Σ (x − mean)² / M (biased; two passes for accuracy).</summary>
    public static void MeanVar<T>(ReadOnlySpan<T> x, int n, int c, int s, Span<T> mean, Span<T> var)
        where T : IFloatingPointIeee754<T>
    {
        T m = T.CreateChecked(n * s);
        if (s == 1)
        {
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
        T[] buf = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Min(s, 1024));
        for (int ch = 0; ch < c; ch++)
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
    /// x̂ = (x − mean[c])·invStd[c]; y = x̂·weight[c] + bias[c]. Empty <paramref name="weight"/>/<paramref name="bias"/>
    /// mean 1/0; empty <paramref name="xHat"/> means x̂ is not kept (y may then be the only output).
    /// </summary>
    public static void Normalize<T>(ReadOnlySpan<T> x, int n, int c, int s, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> xHat, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        bool keep = !xHat.IsEmpty;
        if (s == 1)
        {
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
            }
            return;
        }
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * s;
                var yp = y.Slice(o, s);
                var hp = keep ? xHat.Slice(o, s) : yp;
                // (x − mean)·invStd rather than x·invStd − mean·invStd: no cancellation when |mean| ≫ std.
                TensorPrimitives.Subtract(x.Slice(o, s), mean[ch], hp);
                TensorPrimitives.Multiply(hp, invStd[ch], hp);
                T w = weight.IsEmpty ? T.One : weight[ch], b = bias.IsEmpty ? T.Zero : bias[ch];
                if (w != T.One || b != T.Zero) AffineKernel.Affine(hp, w, b, yp);
                else if (keep) hp.CopyTo(yp);
            }
    }

    /// <summary>sumG[c] = Σ g, sumGX[c] = Σ g·x̂ over the M values of each channel.</summary>
    public static void GradSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> xHat, int n, int c, int s, Span<T> sumG, Span<T> sumGX)
        where T : IFloatingPointIeee754<T>
    {
        sumG.Slice(0, c).Clear();
        sumGX.Slice(0, c).Clear();
        if (s == 1)
        {
            for (int i = 0; i < n; i++)
            {
                var gr = g.Slice(i * c, c);
                TensorPrimitives.Add(sumG, gr, sumG);
                TensorPrimitives.MultiplyAdd(gr, xHat.Slice(i * c, c), sumGX, sumGX);
            }
            return;
        }
        // Accumulate across planes in double (as PyTorch's CPU kernel does): M reaches ~10⁵ values per channel.
        // Planes are visited in memory order; each channel's partial sums are added in the order of i.
        var pool = System.Buffers.ArrayPool<double>.Shared;
        double[] acc = pool.Rent(2 * c);
        Span<double> sg = acc.AsSpan(0, c), sgx = acc.AsSpan(c, c);
        sg.Clear();
        sgx.Clear();
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * s;
                sg[ch] += double.CreateChecked(TensorPrimitives.Sum(g.Slice(o, s)));
                sgx[ch] += double.CreateChecked(TensorPrimitives.Dot(g.Slice(o, s), xHat.Slice(o, s)));
            }
        for (int ch = 0; ch < c; ch++)
        {
            sumG[ch] = T.CreateChecked(sg[ch]);
            sumGX[ch] = T.CreateChecked(sgx[ch]);
        }
        pool.Return(acc);
    }

    /// <summary>
    /// Training backward: dx = (scale[c]/M)·(M·g − sumG[c] − x̂·sumGX[c]) with scale = γ·invStd, written as
    /// dx = a·g + b·x̂ + k (a = scale, b = −scale·sumGX/M, k = −scale·sumG/M) so each element is one pass.
    /// </summary>
    public static void BackwardTraining<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> xHat, int n, int c, int s,
        ReadOnlySpan<T> scale, ReadOnlySpan<T> sumG, ReadOnlySpan<T> sumGX, Span<T> dx) where T : IFloatingPointIeee754<T>
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
            for (int i = 0; i < n; i++)
            {
                var dr = dx.Slice(i * c, c);
                TensorPrimitives.MultiplyAdd(g.Slice(i * c, c), a, k, dr);
                TensorPrimitives.MultiplyAdd(xHat.Slice(i * c, c), b, dr, dr);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                {
                    int o = (i * c + ch) * s;
                    var dp = dx.Slice(o, s);
                    AffineKernel.Affine(g.Slice(o, s), a[ch], k[ch], dp);
                    TensorPrimitives.MultiplyAdd(xHat.Slice(o, s), b[ch], dp, dp);
                }
        }
        pool.Return(aB); pool.Return(bB); pool.Return(kB);
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
