using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>Scalar twin of <see cref="SoftmaxKernel"/> (same [outer, n, inner] layout and formulas, plain loops):
/// the test oracle for the vector paths.</summary>
internal static class SoftmaxReference
{
    public static void Forward<T>(ReadOnlySpan<T> src, Span<T> dst, int outer, int n, int inner, bool log)
        where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * n * inner + i;
                if (n == 0) continue;
                T max = src[b];
                for (int j = 1; j < n; j++) max = T.Max(max, src[b + j * inner]);
                T sum = T.Zero;
                for (int j = 0; j < n; j++) sum += T.Exp(src[b + j * inner] - max);
                for (int j = 0; j < n; j++)
                {
                    T x = src[b + j * inner];
                    dst[b + j * inner] = log ? x - max - T.Log(sum) : T.Exp(x - max) / sum;
                }
            }
    }

    public static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> dx, int outer, int n, int inner, bool log)
        where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * n * inner + i;
                T acc = T.Zero;
                for (int j = 0; j < n; j++) acc += log ? g[b + j * inner] : g[b + j * inner] * y[b + j * inner];
                for (int j = 0; j < n; j++)
                {
                    int k = b + j * inner;
                    dx[k] = log ? g[k] - T.Exp(y[k]) * acc : y[k] * (g[k] - acc);
                }
            }
    }

    public static void LogSumExp<T>(ReadOnlySpan<T> src, Span<T> max, Span<T> logSum, int outer, int n, int inner)
        where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * n * inner + i;
                T m = T.NegativeInfinity;
                for (int j = 0; j < n; j++) m = T.Max(m, src[b + j * inner]);
                if (n == 0) m = T.Zero;
                T sum = T.Zero;
                for (int j = 0; j < n; j++) sum += T.Exp(src[b + j * inner] - m);
                max[o * inner + i] = m;
                logSum[o * inner + i] = T.Log(sum);
            }
    }
}
