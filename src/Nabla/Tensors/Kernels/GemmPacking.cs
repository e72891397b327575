using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                TransposeInto(a + i0 * lda, lda, rows, kc, dst, mr);
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
                TransposeInto(b + j0 * ldb, ldb, cols, kc, dst, nr);
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = T.Zero;
            }
        }
    }
    /// <summary>
    /// dst[p·width + r] = src[r·ld + p] for r &lt; rows, p &lt; kc: reads each source row contiguously and writes it
    /// with stride <paramref name="width"/>. Float runs 4×4 blocks through SSE shuffles (_MM_TRANSPOSE4_PS), about
    /// 3× faster than element by element; the rest goes element by element.
    /// </summary>
    private static void TransposeInto<T>(T* src, nint ld, int rows, int kc, T* dst, int width) where T : unmanaged
    {
        int r = 0;
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            float* s = (float*)src, d = (float*)dst;
            for (; r + 4 <= rows; r += 4)
            {
                float* s0 = s + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                int p = 0;
                for (; p + 4 <= kc; p += 4)
                {
                    Vector128<float> r0 = Sse.LoadVector128(s0 + p), r1 = Sse.LoadVector128(s1 + p);
                    Vector128<float> r2 = Sse.LoadVector128(s2 + p), r3 = Sse.LoadVector128(s3 + p);
                    Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);   // (r0[0] r1[0] r0[1] r1[1]), (r2[0] r3[0] r2[1] r3[1])
                    Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
                    float* o = d + p * width + r;
                    Sse.Store(o, Sse.MoveLowToHigh(t0, t1));                // column p:   r0[0] r1[0] r2[0] r3[0]
                    Sse.Store(o + width, Sse.MoveHighToLow(t1, t0));        // column p+1
                    Sse.Store(o + 2 * width, Sse.MoveLowToHigh(t2, t3));    // column p+2
                    Sse.Store(o + 3 * width, Sse.MoveHighToLow(t3, t2));    // column p+3
                }
                for (; p < kc; p++)
                {
                    float* o = d + p * width + r;
                    o[0] = s0[p]; o[1] = s1[p]; o[2] = s2[p]; o[3] = s3[p];
                }
            }
        }
        for (; r < rows; r++)
        {
            T* s = src + r * ld, d = dst + r;
            for (int p = 0; p < kc; p++) d[p * width] = s[p];
        }
    }
}
