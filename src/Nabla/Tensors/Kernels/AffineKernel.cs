using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// d = x·a + b with scalar a and b (TensorPrimitives has no span·scalar + scalar form): one pass instead of two.
/// Vector512 when accelerated, else Vector256, with a scalar tail; <see cref="AffineScalar"/> is the scalar twin.
/// </summary>
internal static class AffineKernel
{
    public static void Affine<T>(ReadOnlySpan<T> x, T a, T b, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (d.Length < x.Length) throw new ArgumentException("Affine: destination is shorter than the source");
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            var va = Vector512.Create(a);
            var vb = Vector512.Create(b);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xr, (nuint)i) * va + vb).StoreUnsafe(ref dr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xr, (nuint)i) * va + vb).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = Unsafe.Add(ref xr, i) * a + b;
    }

    /// <summary>Scalar twin of <see cref="Affine{T}"/>.</summary>
    public static void AffineScalar<T>(ReadOnlySpan<T> x, T a, T b, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = x[i] * a + b;
    }
}
