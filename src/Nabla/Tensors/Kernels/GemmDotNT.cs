using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// C = A·Bᵀ + beta·C for a small C and a long inner dimension, by register-blocked dot products on the operands as
/// they lie (no packing): A is m×k and B is n×k, both row-major with the k elements of a row contiguous (lda, ldb),
/// C is m×n (ldc). beta is 0 (C overwritten, not read) or 1 (accumulate).
/// </summary>
/// <remarks>
/// This is the shape of a convolution's weight gradient, gW (Co×K) += gY (Co×P) · col(X)ᵀ (P×K), whose C is a few
/// hundred to a few thousand elements while the packed <see cref="Gemm"/> re-packs both operands (m·k + n·k elements,
/// transposed) for every image chunk: at Co = 16, K = 9, P = 784 the packing and the padded 12×32 tiles cost ~10× the
/// multiply–adds. Here each 4×4 block of C keeps 16 vector accumulators over k (8 loads per 16 FMAs), its 4 rows of
/// A stay in L1 while B streams, and each accumulator is summed horizontally once. The k tail is one more step on
/// the last full vector with the lanes already summed zeroed. <see cref="GemmReference"/> with transB is the oracle; <see cref="RunScalar{T}"/> is the scalar twin.
/// </remarks>
internal static unsafe class GemmDotNT
{
    /// <summary>Whether <c>Run</c> is expected to beat the packed GEMM: C small enough that re-packing the
    /// operands dominates (m·n ≤ 1024: measured 3.5× faster at 16×9×784, even at 32×144×392 and slower at
    /// 64×288×256 by `nabla bench mnist-fast-conv --threads 1`) and a long enough k for the vectors to fill.</summary>
    public static bool Suits(int m, int n, int k) => (long)m * n <= 1024 && k >= 64;

    /// <summary>C[i, j] = Σ_p A[i, p]·B[j, p] + beta·C[i, j] with the widest vectors the CPU has.</summary>
    public static void Run<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(Vec.Best<T>(), m, n, k, a, lda, b, ldb, beta, c, ldc);

    /// <summary><see cref="Run{T}(int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/> at a
    /// given vector width (tests run every width the machine has); k shorter than one vector runs scalar.</summary>
    internal static void Run<T>(VecWidth width, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, beta);
        if (m == 0 || n == 0) return;
        fixed (T* pa = a, pb = b, pc = c)
        {
            if (width == VecWidth.V512 && k >= V512<T>.Count) Blocks<T, V512<T>>(m, n, k, pa, lda, pb, ldb, beta, pc, ldc);
            else if (width == VecWidth.V256 && k >= V256<T>.Count) Blocks<T, V256<T>>(m, n, k, pa, lda, pb, ldb, beta, pc, ldc);
            else if (width == VecWidth.V128 && k >= V128<T>.Count) Blocks<T, V128<T>>(m, n, k, pa, lda, pb, ldb, beta, pc, ldc);
            else Scalar(m, n, k, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <summary>The scalar twin: the same sums, one multiply–add at a time (the test oracle of the vector path).</summary>
    public static void RunScalar<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc, beta);
        if (m == 0 || n == 0) return;
        fixed (T* pa = a, pb = b, pc = c) Scalar(m, n, k, pa, lda, pb, ldb, beta, pc, ldc);
    }

    private static void Check<T>(int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc, T beta) where T : INumber<T>
    {
        if (beta != T.Zero && beta != T.One) throw new ArgumentException($"GemmDotNT: beta must be 0 or 1, got {beta}");
        Gemm.Validate(false, true, m, n, k, aLen, lda, bLen, ldb, cLen, ldc);
    }

    private static void Scalar<T>(int m, int n, int k, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                T* ai = a + i * lda, bj = b + j * ldb;
                for (int p = 0; p < k; p++) s = T.FusedMultiplyAdd(ai[p], bj[p], s);
                c[i * ldc + j] = beta == T.Zero ? s : c[i * ldc + j] + s;
            }
    }

    /// <summary>Every 4×4 block of C (edge blocks repeat their last row of A or B and drop the extra sums).</summary>
    private static void Blocks<T, V>(int m, int n, int k, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct, IVec<V, T>
    {
        var sums = stackalloc T[16];
        for (int i0 = 0; i0 < m; i0 += 4)
        {
            int rows = Math.Min(4, m - i0);
            T* a0 = a + i0 * lda, a1 = a0 + Math.Min(1, rows - 1) * lda, a2 = a0 + Math.Min(2, rows - 1) * lda, a3 = a0 + Math.Min(3, rows - 1) * lda;
            for (int j0 = 0; j0 < n; j0 += 4)
            {
                int cols = Math.Min(4, n - j0);
                T* b0 = b + j0 * ldb, b1 = b0 + Math.Min(1, cols - 1) * ldb, b2 = b0 + Math.Min(2, cols - 1) * ldb, b3 = b0 + Math.Min(3, cols - 1) * ldb;
                Block<T, V>(k, a0, a1, a2, a3, b0, b1, b2, b3, sums);
                for (int r = 0; r < rows; r++)
                {
                    T* cr = c + (i0 + r) * ldc + j0;
                    for (int q = 0; q < cols; q++) cr[q] = beta == T.Zero ? sums[r * 4 + q] : cr[q] + sums[r * 4 + q];
                }
            }
        }
    }

    /// <summary>sums[r·4 + q] = Σ_p a_r[p]·b_q[p] over p &lt; k (k ≥ one vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<T, V>(int k, T* a0, T* a1, T* a2, T* a3, T* b0, T* b1, T* b2, T* b3, T* sums)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct, IVec<V, T>
    {
        V c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        V c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        int w = V.Count, p = 0;
        for (; p <= k - w; p += w)
        {
            V x0 = V.Load(ref *a0, (nuint)p), x1 = V.Load(ref *a1, (nuint)p), x2 = V.Load(ref *a2, (nuint)p), x3 = V.Load(ref *a3, (nuint)p);
            V y = V.Load(ref *b0, (nuint)p);
            c00 = V.FusedMultiplyAdd(x0, y, c00); c10 = V.FusedMultiplyAdd(x1, y, c10); c20 = V.FusedMultiplyAdd(x2, y, c20); c30 = V.FusedMultiplyAdd(x3, y, c30);
            y = V.Load(ref *b1, (nuint)p);
            c01 = V.FusedMultiplyAdd(x0, y, c01); c11 = V.FusedMultiplyAdd(x1, y, c11); c21 = V.FusedMultiplyAdd(x2, y, c21); c31 = V.FusedMultiplyAdd(x3, y, c31);
            y = V.Load(ref *b2, (nuint)p);
            c02 = V.FusedMultiplyAdd(x0, y, c02); c12 = V.FusedMultiplyAdd(x1, y, c12); c22 = V.FusedMultiplyAdd(x2, y, c22); c32 = V.FusedMultiplyAdd(x3, y, c32);
            y = V.Load(ref *b3, (nuint)p);
            c03 = V.FusedMultiplyAdd(x0, y, c03); c13 = V.FusedMultiplyAdd(x1, y, c13); c23 = V.FusedMultiplyAdd(x2, y, c23); c33 = V.FusedMultiplyAdd(x3, y, c33);
        }
        if (p < k)
        {
            // The tail: the last full vector (it overlaps the loop's end), with the lanes already summed zeroed in
            // both operands (so an infinity there is not multiplied by zero into a NaN).
            int q = k - w, skip = p - q;
            V x0 = LoadTail<T, V>(a0 + q, skip), x1 = LoadTail<T, V>(a1 + q, skip), x2 = LoadTail<T, V>(a2 + q, skip), x3 = LoadTail<T, V>(a3 + q, skip);
            V y = LoadTail<T, V>(b0 + q, skip);
            c00 = V.FusedMultiplyAdd(x0, y, c00); c10 = V.FusedMultiplyAdd(x1, y, c10); c20 = V.FusedMultiplyAdd(x2, y, c20); c30 = V.FusedMultiplyAdd(x3, y, c30);
            y = LoadTail<T, V>(b1 + q, skip);
            c01 = V.FusedMultiplyAdd(x0, y, c01); c11 = V.FusedMultiplyAdd(x1, y, c11); c21 = V.FusedMultiplyAdd(x2, y, c21); c31 = V.FusedMultiplyAdd(x3, y, c31);
            y = LoadTail<T, V>(b2 + q, skip);
            c02 = V.FusedMultiplyAdd(x0, y, c02); c12 = V.FusedMultiplyAdd(x1, y, c12); c22 = V.FusedMultiplyAdd(x2, y, c22); c32 = V.FusedMultiplyAdd(x3, y, c32);
            y = LoadTail<T, V>(b3 + q, skip);
            c03 = V.FusedMultiplyAdd(x0, y, c03); c13 = V.FusedMultiplyAdd(x1, y, c13); c23 = V.FusedMultiplyAdd(x2, y, c23); c33 = V.FusedMultiplyAdd(x3, y, c33);
        }
        sums[0] = V.Sum(c00); sums[1] = V.Sum(c01); sums[2] = V.Sum(c02); sums[3] = V.Sum(c03);
        sums[4] = V.Sum(c10); sums[5] = V.Sum(c11); sums[6] = V.Sum(c12); sums[7] = V.Sum(c13);
        sums[8] = V.Sum(c20); sums[9] = V.Sum(c21); sums[10] = V.Sum(c22); sums[11] = V.Sum(c23);
        sums[12] = V.Sum(c30); sums[13] = V.Sum(c31); sums[14] = V.Sum(c32); sums[15] = V.Sum(c33);
    }

    /// <summary>p[0 .. Count) with the lanes below <paramref name="skip"/> set to zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LoadTail<T, V>(T* p, int skip) where T : unmanaged, IFloatingPointIeee754<T> where V : struct, IVec<V, T> =>
        V.Load(ref *p, 0) & V.GreaterThanOrEqual(V.Indices, V.Create(T.CreateTruncating(skip)));
}
