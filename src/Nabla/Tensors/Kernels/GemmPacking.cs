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
        if (!transB && nc >= nr)
        {
            // Full slivers row by row: each row of the block is read once, contiguously, and split into the slivers
            // (reading sliver by sliver would walk down B with a stride of ldb for every 32 columns). On Zen 5, sgemm
            // 1024 / 2048 +0.7 % / +2.4 % on 1 thread, +0.7 % / +2.3 % on 2 (medians of 4 alternated runs, 2026-12-07).
            int full = nc / nr;
            for (int p = 0; p < kc; p++)
            {
                T* src = b + p * ldb, d = dst + p * nr;
                for (int s = 0; s < full; s++) Unsafe.CopyBlockUnaligned(d + s * nr * kc, src + s * nr, (uint)(nr * sizeof(T)));
            }
            int done = full * nr;
            if (done == nc) return;
            b += done; dst += done * kc; nc -= done;
        }
        for (int j0 = 0; j0 < nc; j0 += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - j0);
            if (!transB)
            {
                // The last, partial sliver (full ones were copied above), zero-padded to NR columns.
                T* src = b + j0;
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
    internal static void TransposeInto<T>(T* src, nint ld, int rows, int kc, T* dst, int width) where T : unmanaged
    {
        int r = 0;
        if (typeof(T) == typeof(float) && Avx512F.IsSupported && width == 12 && rows == 12)
        {
            // A full sliver of the 12-row AVX-512 tile (PackA of a row-major A): 12×16 blocks through the 16×16
            // network with 4 zero rows, each column stored as 12 floats.
            float* s = (float*)src, d = (float*)dst;
            int p = 0;
            for (; p + 16 <= kc; p += 16) Transpose16x16(s + p, ld, d + p * 12, 12, rows: 12);
            for (; p < kc; p++)
                for (int i = 0; i < 12; i++) d[p * 12 + i] = s[i * ld + p];
            return;
        }
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            // 16-row bands (a 32-wide B sliver is two): 16×16 blocks in registers, the last kc % 16 columns by element.
            float* s = (float*)src, d = (float*)dst;
            for (; r + 16 <= rows; r += 16)
            {
                int p = 0;
                for (; p + 16 <= kc; p += 16) Transpose16x16(s + r * ld + p, ld, d + p * width + r, width, rows: 16);
                for (; p < kc; p++)
                    for (int i = 0; i < 16; i++) d[p * width + r + i] = s[(r + i) * ld + p];
            }
        }
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

    /// <summary>
    /// dst[j·ldDst + i] = src[i·ldSrc + j] for a 16×16 float block (or its first 12 rows, <paramref name="rows"/> = 12,
    /// with ldDst = 12): 16 row loads, four shuffle stages (pairs of rows interleaved, then 2×2 blocks, then 128-bit
    /// lanes twice), 16 stores; 0.25 shuffles per element against 0.5 for 4×4 SSE blocks, and full-line stores.
    /// With 12 rows the missing 4 are zeros and each column's full-width store spills 4 lanes into the next
    /// column, which the next store overwrites (stores go in column order); the last column is stored as 8 + 4.
    /// </summary>
    private static void Transpose16x16(float* src, nint ldSrc, float* dst, nint ldDst, int rows)
    {
        bool full = rows == 16;
        Vector512<float> r0 = Avx512F.LoadVector512(src), r1 = Avx512F.LoadVector512(src + ldSrc),
            r2 = Avx512F.LoadVector512(src + 2 * ldSrc), r3 = Avx512F.LoadVector512(src + 3 * ldSrc),
            r4 = Avx512F.LoadVector512(src + 4 * ldSrc), r5 = Avx512F.LoadVector512(src + 5 * ldSrc),
            r6 = Avx512F.LoadVector512(src + 6 * ldSrc), r7 = Avx512F.LoadVector512(src + 7 * ldSrc),
            r8 = Avx512F.LoadVector512(src + 8 * ldSrc), r9 = Avx512F.LoadVector512(src + 9 * ldSrc),
            r10 = Avx512F.LoadVector512(src + 10 * ldSrc), r11 = Avx512F.LoadVector512(src + 11 * ldSrc),
            r12 = full ? Avx512F.LoadVector512(src + 12 * ldSrc) : default, r13 = full ? Avx512F.LoadVector512(src + 13 * ldSrc) : default,
            r14 = full ? Avx512F.LoadVector512(src + 14 * ldSrc) : default, r15 = full ? Avx512F.LoadVector512(src + 15 * ldSrc) : default;
        // Per 128-bit lane k (columns 4k..4k+3): interleave row pairs.
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1),
            t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3),
            t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5),
            t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7),
            t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9),
            t10 = Avx512F.UnpackLow(r10, r11), t11 = Avx512F.UnpackHigh(r10, r11),
            t12 = Avx512F.UnpackLow(r12, r13), t13 = Avx512F.UnpackHigh(r12, r13),
            t14 = Avx512F.UnpackLow(r14, r15), t15 = Avx512F.UnpackHigh(r14, r15);
        // r(4g + c), lane k = rows 4g..4g+3 of column 4k + c.
        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, t10, 0x44); r9 = Avx512F.Shuffle(t8, t10, 0xEE);
        r10 = Avx512F.Shuffle(t9, t11, 0x44); r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        r12 = Avx512F.Shuffle(t12, t14, 0x44); r13 = Avx512F.Shuffle(t12, t14, 0xEE);
        r14 = Avx512F.Shuffle(t13, t15, 0x44); r15 = Avx512F.Shuffle(t13, t15, 0xEE);
        // Gather 128-bit lanes: 0x88 takes lanes (0, 2) of each operand, 0xDD lanes (1, 3).
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t9 = Avx512F.Shuffle4x128(r9, r13, 0x88);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t11 = Avx512F.Shuffle4x128(r11, r15, 0x88);
        t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
        t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);
        // Column j = all 16 rows.
        Avx512F.Store(dst, Avx512F.Shuffle4x128(t0, t8, 0x88));
        Avx512F.Store(dst + ldDst, Avx512F.Shuffle4x128(t1, t9, 0x88));
        Avx512F.Store(dst + 2 * ldDst, Avx512F.Shuffle4x128(t2, t10, 0x88));
        Avx512F.Store(dst + 3 * ldDst, Avx512F.Shuffle4x128(t3, t11, 0x88));
        Avx512F.Store(dst + 4 * ldDst, Avx512F.Shuffle4x128(t4, t12, 0x88));
        Avx512F.Store(dst + 5 * ldDst, Avx512F.Shuffle4x128(t5, t13, 0x88));
        Avx512F.Store(dst + 6 * ldDst, Avx512F.Shuffle4x128(t6, t14, 0x88));
        Avx512F.Store(dst + 7 * ldDst, Avx512F.Shuffle4x128(t7, t15, 0x88));
        Avx512F.Store(dst + 8 * ldDst, Avx512F.Shuffle4x128(t0, t8, 0xDD));
        Avx512F.Store(dst + 9 * ldDst, Avx512F.Shuffle4x128(t1, t9, 0xDD));
        Avx512F.Store(dst + 10 * ldDst, Avx512F.Shuffle4x128(t2, t10, 0xDD));
        Avx512F.Store(dst + 11 * ldDst, Avx512F.Shuffle4x128(t3, t11, 0xDD));
        Avx512F.Store(dst + 12 * ldDst, Avx512F.Shuffle4x128(t4, t12, 0xDD));
        Avx512F.Store(dst + 13 * ldDst, Avx512F.Shuffle4x128(t5, t13, 0xDD));
        Avx512F.Store(dst + 14 * ldDst, Avx512F.Shuffle4x128(t6, t14, 0xDD));
        var last = Avx512F.Shuffle4x128(t7, t15, 0xDD);
        if (full) Avx512F.Store(dst + 15 * ldDst, last);
        else
        {
            Avx.Store(dst + 15 * ldDst, last.GetLower());
            Sse.Store(dst + 15 * ldDst + 8, last.GetUpper().GetLower());
        }
    }
}
