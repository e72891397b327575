using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Portable scalar micro-kernel, 4×4 accumulators: the fallback on machines without AVX2/FMA, and the twin the
/// SIMD kernels are tested against (same packing and blocking, different register tile).
/// </summary>
internal unsafe struct GemmKernelScalar<T> : IGemmMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static bool IsSupported => true;
    public static bool RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta) => false;
    public static int MR => 4;
    public static int NR => 4;
    public static int KC => 256;
    public static int MC => 1024;
    public static int NC => 256;

    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero, c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero,
          c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero, c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int p = 0; p < kc; p++, a += 4, b += 4)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], x;
            x = a[0]; c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[1]; c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[2]; c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[3]; c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }
        bool readC = beta != T.Zero;
        StoreRow(c, c00, c01, c02, c03, alpha, beta, readC);
        StoreRow(c + ldc, c10, c11, c12, c13, alpha, beta, readC);
        StoreRow(c + 2 * ldc, c20, c21, c22, c23, alpha, beta, readC);
        StoreRow(c + 3 * ldc, c30, c31, c32, c33, alpha, beta, readC);
    }

    private static void StoreRow(T* c, T x0, T x1, T x2, T x3, T alpha, T beta, bool readC)
    {
        if (readC)
        {
            c[0] = alpha * x0 + beta * c[0]; c[1] = alpha * x1 + beta * c[1];
            c[2] = alpha * x2 + beta * c[2]; c[3] = alpha * x3 + beta * c[3];
        }
        else { c[0] = alpha * x0; c[1] = alpha * x1; c[2] = alpha * x2; c[3] = alpha * x3; }
    }
}
