using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// AVX2+FMA micro-kernel, 6 rows × 2 ymm columns (6×16 floats or 6×8 doubles): 12 accumulators + 2 B vectors +
/// 1 broadcast = 15 of the 16 ymm registers (the classic Haswell shape).
/// </summary>
internal unsafe struct GemmKernel256<T> : IGemmMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;
    public static bool RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta) => false;
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;
    // For GemmDriver's loop order: MR·KC·sizeof(T) = 6 KiB sliver of A in L1 (12 KiB for double); KC·NC·sizeof(T) =
    // 512 KiB block of B in L2; MC·KC·sizeof(T) = 1 MiB panel of A in L3 (2 MiB for double).
    public static int KC => 256;
    public static int MC => 1020;
    public static int NC => sizeof(T) == 4 ? 512 : 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        GemmVec.PrefetchTile(c, ldc, MR, NR * sizeof(T));
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + Vector256<T>.Count), x;
            x = Vector256.Create(a[0]); c00 = GemmVec.Fma(x, b0, c00); c01 = GemmVec.Fma(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = GemmVec.Fma(x, b0, c10); c11 = GemmVec.Fma(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = GemmVec.Fma(x, b0, c20); c21 = GemmVec.Fma(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = GemmVec.Fma(x, b0, c30); c31 = GemmVec.Fma(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = GemmVec.Fma(x, b0, c40); c41 = GemmVec.Fma(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = GemmVec.Fma(x, b0, c50); c51 = GemmVec.Fma(x, b1, c51);
            a += 6;
            b += 2 * Vector256<T>.Count;
        }
        Vector256<T> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        bool readC = beta != T.Zero;
        GemmVec.StoreRow(c + 0 * ldc, c00, c01, va, vb, readC);
        GemmVec.StoreRow(c + 1 * ldc, c10, c11, va, vb, readC);
        GemmVec.StoreRow(c + 2 * ldc, c20, c21, va, vb, readC);
        GemmVec.StoreRow(c + 3 * ldc, c30, c31, va, vb, readC);
        GemmVec.StoreRow(c + 4 * ldc, c40, c41, va, vb, readC);
        GemmVec.StoreRow(c + 5 * ldc, c50, c51, va, vb, readC);
    }
}
