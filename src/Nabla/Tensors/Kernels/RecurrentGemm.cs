namespace Nabla.Tensors.Kernels;

/// <summary>
/// Generic-T front of <see cref="Gemm"/> on arrays with element offsets, for the recurrent kernels whose operands are
/// row blocks inside larger sequence buffers: C[cOff..] = alpha·op(A)·op(B) + beta·C (row-major, leading dims).
/// </summary>
internal static class RecurrentGemm
{
    public static void Run<T>(bool transA, bool transB, int m, int n, int k,
        T[] a, int aOff, int lda, T[] b, int bOff, int ldb, double beta, T[] c, int cOff, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (typeof(T) == typeof(float))
            Gemm.Sgemm(transA, transB, m, n, k, 1f, ((float[])(object)a).AsSpan(aOff), lda, ((float[])(object)b).AsSpan(bOff), ldb,
                (float)beta, ((float[])(object)c).AsSpan(cOff), ldc);
        else
            Gemm.Dgemm(transA, transB, m, n, k, 1.0, ((double[])(object)a).AsSpan(aOff), lda, ((double[])(object)b).AsSpan(bOff), ldb,
                beta, ((double[])(object)c).AsSpan(cOff), ldc);
    }
}
