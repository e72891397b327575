using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The scalar twin of <see cref="Gemm"/> and its test oracle: C = alpha·op(A)·op(B) + beta·C, row-major, where
/// op(X) is X or Xᵀ. A is m×k after op (stored k×m with leading dimension lda when transposed), B is k×n after op.
/// </summary>
internal static class GemmReference
{
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) row[j] *= beta;
            for (int p = 0; p < k; p++)
            {
                T av = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                if (av == T.Zero) continue;
                if (!transB)
                {
                    var brow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++) row[j] += av * brow[j];
                }
                else for (int j = 0; j < n; j++) row[j] += av * b[j * ldb + p];
            }
        }
    }
}
