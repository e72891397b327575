using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// AVX-512 micro-kernel, 12 rows × 2 zmm columns (12×32 floats or 12×16 doubles): 24 accumulators + 2 B vectors +
/// 1 broadcast = 27 of the 32 zmm registers. Per k step: 2 loads of B, 12 broadcasts of A, 24 FMAs, so the two
/// FMA pipes (not the load ports) are the limit. 8- and 4-row variants finish the last sliver of A when m is not a
/// multiple of 12 (m = 64: 5 full slivers + one 4-row one instead of a 12-row tile that is two-thirds padding).
/// </summary>
internal unsafe struct GemmKernel512<T> : IGemmMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static bool IsSupported => Avx512F.IsSupported;
    public static int MR => 12;
    public static int NR => 2 * Vector512<T>.Count;
    // For GemmDriver's loop order (A sliver in L1, B block in L2, A panel in L3), sized for Zen 4 (32 KiB L1,
    // 1 MiB L2 per core): MR·KC·sizeof(T) = 24 KiB sliver of A in L1; KC·NC·sizeof(T) = 768 KiB block of B in L2;
    // MC·KC·sizeof(T) = 4 MiB panel of A in L3.
    public static int KC => sizeof(T) == 4 ? 512 : 256;
    public static int MC => sizeof(T) == 4 ? 2040 : 1020;
    public static int NC => 384;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default,
            c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        GemmVec.PrefetchTile(c, ldc, MR, NR * sizeof(T));
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + Vector512<T>.Count), x;
            x = Vector512.Create(a[0]); c00 = GemmVec.Fma(x, b0, c00); c01 = GemmVec.Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = GemmVec.Fma(x, b0, c10); c11 = GemmVec.Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = GemmVec.Fma(x, b0, c20); c21 = GemmVec.Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = GemmVec.Fma(x, b0, c30); c31 = GemmVec.Fma(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = GemmVec.Fma(x, b0, c40); c41 = GemmVec.Fma(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = GemmVec.Fma(x, b0, c50); c51 = GemmVec.Fma(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = GemmVec.Fma(x, b0, c60); c61 = GemmVec.Fma(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = GemmVec.Fma(x, b0, c70); c71 = GemmVec.Fma(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = GemmVec.Fma(x, b0, c80); c81 = GemmVec.Fma(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = GemmVec.Fma(x, b0, c90); c91 = GemmVec.Fma(x, b1, c91);
            x = Vector512.Create(a[10]); cA0 = GemmVec.Fma(x, b0, cA0); cA1 = GemmVec.Fma(x, b1, cA1);
            x = Vector512.Create(a[11]); cB0 = GemmVec.Fma(x, b0, cB0); cB1 = GemmVec.Fma(x, b1, cB1);
            a += 12;
            b += 2 * Vector512<T>.Count;
        }
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool readC = beta != T.Zero;
        GemmVec.StoreRow(c + 0 * ldc, c00, c01, va, vb, readC);
        GemmVec.StoreRow(c + 1 * ldc, c10, c11, va, vb, readC);
        GemmVec.StoreRow(c + 2 * ldc, c20, c21, va, vb, readC);
        GemmVec.StoreRow(c + 3 * ldc, c30, c31, va, vb, readC);
        GemmVec.StoreRow(c + 4 * ldc, c40, c41, va, vb, readC);
        GemmVec.StoreRow(c + 5 * ldc, c50, c51, va, vb, readC);
        GemmVec.StoreRow(c + 6 * ldc, c60, c61, va, vb, readC);
        GemmVec.StoreRow(c + 7 * ldc, c70, c71, va, vb, readC);
        GemmVec.StoreRow(c + 8 * ldc, c80, c81, va, vb, readC);
        GemmVec.StoreRow(c + 9 * ldc, c90, c91, va, vb, readC);
        GemmVec.StoreRow(c + 10 * ldc, cA0, cA1, va, vb, readC);
        GemmVec.StoreRow(c + 11 * ldc, cB0, cB1, va, vb, readC);
    }

    public static bool RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        if (rows <= 4) Run4(rows, kc, a, b, c, ldc, alpha, beta);
        else if (rows <= 8) Run8(rows, kc, a, b, c, ldc, alpha, beta);
        else return false;
        return true;
    }

    /// <summary>Rows 0..rows-1 (rows ≤ 8) of the tile; the packed sliver keeps its 12-row stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run8(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default;
        GemmVec.PrefetchTile(c, ldc, rows, NR * sizeof(T));
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + Vector512<T>.Count), x;
            x = Vector512.Create(a[0]); c00 = GemmVec.Fma(x, b0, c00); c01 = GemmVec.Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = GemmVec.Fma(x, b0, c10); c11 = GemmVec.Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = GemmVec.Fma(x, b0, c20); c21 = GemmVec.Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = GemmVec.Fma(x, b0, c30); c31 = GemmVec.Fma(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = GemmVec.Fma(x, b0, c40); c41 = GemmVec.Fma(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = GemmVec.Fma(x, b0, c50); c51 = GemmVec.Fma(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = GemmVec.Fma(x, b0, c60); c61 = GemmVec.Fma(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = GemmVec.Fma(x, b0, c70); c71 = GemmVec.Fma(x, b1, c71);
            a += 12;
            b += 2 * Vector512<T>.Count;
        }
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool readC = beta != T.Zero;
        GemmVec.StoreRow(c + 0 * ldc, c00, c01, va, vb, readC);
        if (rows > 1) GemmVec.StoreRow(c + 1 * ldc, c10, c11, va, vb, readC);
        if (rows > 2) GemmVec.StoreRow(c + 2 * ldc, c20, c21, va, vb, readC);
        if (rows > 3) GemmVec.StoreRow(c + 3 * ldc, c30, c31, va, vb, readC);
        if (rows > 4) GemmVec.StoreRow(c + 4 * ldc, c40, c41, va, vb, readC);
        if (rows > 5) GemmVec.StoreRow(c + 5 * ldc, c50, c51, va, vb, readC);
        if (rows > 6) GemmVec.StoreRow(c + 6 * ldc, c60, c61, va, vb, readC);
        if (rows > 7) GemmVec.StoreRow(c + 7 * ldc, c70, c71, va, vb, readC);
    }

    /// <summary>Rows 0..rows-1 (rows ≤ 4) of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run4(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default;
        GemmVec.PrefetchTile(c, ldc, rows, NR * sizeof(T));
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + Vector512<T>.Count), x;
            x = Vector512.Create(a[0]); c00 = GemmVec.Fma(x, b0, c00); c01 = GemmVec.Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = GemmVec.Fma(x, b0, c10); c11 = GemmVec.Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = GemmVec.Fma(x, b0, c20); c21 = GemmVec.Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = GemmVec.Fma(x, b0, c30); c31 = GemmVec.Fma(x, b1, c31);
            a += 12;
            b += 2 * Vector512<T>.Count;
        }
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool readC = beta != T.Zero;
        GemmVec.StoreRow(c + 0 * ldc, c00, c01, va, vb, readC);
        if (rows > 1) GemmVec.StoreRow(c + 1 * ldc, c10, c11, va, vb, readC);
        if (rows > 2) GemmVec.StoreRow(c + 2 * ldc, c20, c21, va, vb, readC);
        if (rows > 3) GemmVec.StoreRow(c + 3 * ldc, c30, c31, va, vb, readC);
    }
}
