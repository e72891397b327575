using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Type-generic vector helpers for the GEMM micro-kernels. T is float or double; the typeof tests fold away when
/// the JIT specialises for a value type, leaving a single vfmadd.
/// </summary>
internal static unsafe class GemmVec
{
    /// <summary>x·y + acc with one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    /// <summary>c[0 .. 2W) = alpha·(x0, x1) + beta·c (c read only when <paramref name="readC"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRow<T>(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> alpha, Vector512<T> beta, bool readC)
        where T : unmanaged
    {
        x0 *= alpha; x1 *= alpha;
        if (readC)
        {
            x0 = Fma(Vector512.Load(c), beta, x0);
            x1 = Fma(Vector512.Load(c + Vector512<T>.Count), beta, x1);
        }
        x0.Store(c);
        x1.Store(c + Vector512<T>.Count);
    }

    /// <inheritdoc cref="StoreRow{T}(T*, Vector512{T}, Vector512{T}, Vector512{T}, Vector512{T}, bool)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRow<T>(T* c, Vector256<T> x0, Vector256<T> x1, Vector256<T> alpha, Vector256<T> beta, bool readC)
        where T : unmanaged
    {
        x0 *= alpha; x1 *= alpha;
        if (readC)
        {
            x0 = Fma(Vector256.Load(c), beta, x0);
            x1 = Fma(Vector256.Load(c + Vector256<T>.Count), beta, x1);
        }
        x0.Store(c);
        x1.Store(c + Vector256<T>.Count);
    }

    /// <summary>Touches the C tile (rows × rowBytes) so its lines arrive while the k loop runs, not at the stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrefetchTile<T>(T* c, nint ldc, int rows, int rowBytes) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            byte* row = (byte*)(c + r * ldc);
            for (int o = 0; o < rowBytes; o += 64) Sse.Prefetch0(row + o);
            Sse.Prefetch0(row + rowBytes - 1);
        }
    }
}
