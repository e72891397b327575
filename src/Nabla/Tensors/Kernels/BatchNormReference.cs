using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>Scalar twin of <see cref="BatchNormKernel"/> over the same [N, C, S] layout: plain loops, the test oracle.</summary>
internal static class BatchNormReference
{
    public static void MeanVar<T>(ReadOnlySpan<T> x, int n, int c, int s, Span<T> mean, Span<T> var)
        where T : IFloatingPointIeee754<T>
    {
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) sum += double.CreateChecked(x[(i * c + ch) * s + k]);
            double mu = sum / (n * s);
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) { double d = double.CreateChecked(x[(i * c + ch) * s + k]) - mu; sq += d * d; }
            mean[ch] = T.CreateChecked(mu);
            var[ch] = T.CreateChecked(sq / (n * s));
        }
    }

    public static void Normalize<T>(ReadOnlySpan<T> x, int n, int c, int s, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> xHat, Span<T> y, bool relu = false) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int k = 0; k < s; k++)
                {
                    int o = (i * c + ch) * s + k;
                    T h = (x[o] - mean[ch]) * invStd[ch];
                    if (!xHat.IsEmpty) xHat[o] = h;
                    y[o] = h * (weight.IsEmpty ? T.One : weight[ch]) + (bias.IsEmpty ? T.Zero : bias[ch]);
                    if (relu) y[o] = T.Max(y[o], T.Zero);
                }
    }

    public static void GradSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> xHat, int n, int c, int s, Span<T> sumG, Span<T> sumGX)
        where T : IFloatingPointIeee754<T>
    {
        for (int ch = 0; ch < c; ch++)
        {
            T a = T.Zero, b = T.Zero;
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) { int o = (i * c + ch) * s + k; a += g[o]; b += g[o] * xHat[o]; }
            sumG[ch] = a;
            sumGX[ch] = b;
        }
    }

    public static void BackwardTraining<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> xHat, int n, int c, int s,
        ReadOnlySpan<T> scale, ReadOnlySpan<T> sumG, ReadOnlySpan<T> sumGX, Span<T> dx) where T : IFloatingPointIeee754<T>
    {
        T m = T.CreateChecked(n * s);
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int k = 0; k < s; k++)
                {
                    int o = (i * c + ch) * s + k;
                    dx[o] = scale[ch] / m * (m * g[o] - sumG[ch] - xHat[o] * sumGX[ch]);
                }
    }
}
