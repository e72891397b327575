using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Packing for <see cref="GemmDriver"/>: copies a block of op(A) or op(B) into the contiguous sliver layout the
/// micro-kernel streams through, resolving transposes and leading dimensions once per block instead of once per
/// FMA. Partial slivers are zero-padded, so the kernel always computes a full MR×NR tile.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// op(A) block mc×kc → slivers of MR rows: dst[s·MR·kc + p·MR + r] = op(A)[s·MR + r, p].
    /// <paramref name="a"/> points at op(A)[0, 0]: op(A)[i, p] = a[i·lda + p], or a[p·lda + i] when transposed.
    /// </summary>
    public static void PackA<T, K>(bool transA, T* a, nint lda, int mc, int kc, T* dst)
        where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        int mr = K.MR;
        for (int i0 = 0; i0 < mc; i0 += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - i0);
            if (transA)
            {
                // Column p of the sliver is contiguous in the stored Aᵀ: one short copy per p.
                T* src = a + i0;
                if (rows == mr)
                    for (int p = 0; p < kc; p++) Unsafe.CopyBlockUnaligned(dst + p * mr, src + p * lda, (uint)(mr * sizeof(T)));
                else
                    for (int p = 0; p < kc; p++)
                        for (int r = 0; r < mr; r++) dst[p * mr + r] = r < rows ? src[p * lda + r] : T.Zero;
            }
            else
            {
                // Read each row of A contiguously, write it with stride MR (the sliver stays in L1).
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (i0 + r) * lda, d = dst + r;
                    int p = 0;
                    for (; p + 4 <= kc; p += 4)
                    {
                        d[p * mr] = src[p]; d[(p + 1) * mr] = src[p + 1];
                        d[(p + 2) * mr] = src[p + 2]; d[(p + 3) * mr] = src[p + 3];
                    }
                    for (; p < kc; p++) d[p * mr] = src[p];
                }
                for (int r = rows; r < mr; r++)
                    for (int p = 0; p < kc; p++) dst[p * mr + r] = T.Zero;
            }
        }
    }

    /// <summary>
    /// op(B) block kc×nc → slivers of NR columns: dst[s·NR·kc + p·NR + j] = op(B)[p, s·NR + j].
    /// <paramref name="b"/> points at op(B)[0, 0]: op(B)[p, j] = b[p·ldb + j], or b[j·ldb + p] when transposed.
    /// </summary>
    public static void PackB<T, K>(bool transB, T* b, nint ldb, int kc, int nc, T* dst)
        where T : unmanaged, INumber<T> where K : IGemmMicroKernel<T>
    {
        int nr = K.NR;
        for (int j0 = 0; j0 < nc; j0 += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - j0);
            if (!transB)
            {
                // Row p of the sliver is contiguous in B: one short copy per p.
                T* src = b + j0;
                if (cols == nr)
                    for (int p = 0; p < kc; p++) Unsafe.CopyBlockUnaligned(dst + p * nr, src + p * ldb, (uint)(nr * sizeof(T)));
                else
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < nr; j++) dst[p * nr + j] = j < cols ? src[p * ldb + j] : T.Zero;
            }
            else
            {
                // Read each stored row of Bᵀ (= column of op(B)) contiguously, write it with stride NR.
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + (j0 + j) * ldb, d = dst + j;
                    int p = 0;
                    for (; p + 4 <= kc; p += 4)
                    {
                        d[p * nr] = src[p]; d[(p + 1) * nr] = src[p + 1];
                        d[(p + 2) * nr] = src[p + 2]; d[(p + 3) * nr] = src[p + 3];
                    }
                    for (; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = T.Zero;
            }
        }
    }
}
