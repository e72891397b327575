using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// General matrix multiply, BLAS-style on row-major spans: C = alpha·op(A)·op(B) + beta·C.
/// op(A) is m×k (A stored k×m when <paramref name="transA"/>), op(B) is k×n, C is m×n with row stride ldc.
/// beta = 0 overwrites C without reading it; alpha = 0 or k = 0 gives beta·C without reading A or B.
/// </summary>
/// <remarks>Packed, cache-blocked and multi-threaded (see <see cref="GemmDriver"/>); <see cref="GemmReference"/>
/// is the scalar oracle.</remarks>
internal static class Gemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Sgemm(GemmPath.Auto, ParallelFor.MaxDegree, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
        Dgemm(GemmPath.Auto, ParallelFor.MaxDegree, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary><see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// with a forced micro-kernel and a thread cap (tests and benchmarks).</summary>
    internal static unsafe void Sgemm(GemmPath path, int maxThreads, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* pa = a, pb = b, pc = c)
            GemmDriver.Run(path, maxThreads, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>Dgemm with a forced micro-kernel and a thread cap (tests and benchmarks).</summary>
    internal static unsafe void Dgemm(GemmPath path, int maxThreads, bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (double* pa = a, pb = b, pc = c)
            GemmDriver.Run(path, maxThreads, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C, then C[i, j] += bias[j] (when <paramref name="bias"/> is not empty) and
    /// C = max(C, 0) (when <paramref name="relu"/>), fused into the product (<see cref="GemmEpilogue{T}"/>).</summary>
    internal static unsafe void WithEpilogue<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, ReadOnlySpan<T> bias, bool relu, GemmPath path = GemmPath.Auto, int maxThreads = 0)
        where T : unmanaged, INumber<T>
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!bias.IsEmpty && bias.Length != n) throw new ArgumentException($"Gemm: bias has {bias.Length} elements for {n} columns");
        fixed (T* pa = a, pb = b, pc = c, pbias = bias)
            GemmDriver.Run(path, maxThreads > 0 ? maxThreads : ParallelFor.MaxDegree, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc,
                new GemmEpilogue<T>(bias.IsEmpty ? null : pbias, relu));
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Gemm: negative size m={m} n={n} k={k}");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (aRows > 0 && aCols > 0 && (lda < aCols || (long)(aRows - 1) * lda + aCols > aLen))
            throw new ArgumentException($"Gemm: A ({aRows}×{aCols}, lda={lda}) does not fit in {aLen} elements");
        if (bRows > 0 && bCols > 0 && (ldb < bCols || (long)(bRows - 1) * ldb + bCols > bLen))
            throw new ArgumentException($"Gemm: B ({bRows}×{bCols}, ldb={ldb}) does not fit in {bLen} elements");
        if (m > 0 && n > 0 && (ldc < n || (long)(m - 1) * ldc + n > cLen))
            throw new ArgumentException($"Gemm: C ({m}×{n}, ldc={ldc}) does not fit in {cLen} elements");
    }
}
