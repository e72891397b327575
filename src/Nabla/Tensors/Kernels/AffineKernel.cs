using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// d = x·a + b with scalar a and b (TensorPrimitives has no span·scalar + scalar form): one pass instead of two,
/// at the widest vector width the hardware has (<see cref="Vec"/>), with a scalar tail; <see cref="AffineScalar"/> is
/// the scalar twin.
/// </summary>
internal static class AffineKernel
{
    public static void Affine<T>(ReadOnlySpan<T> x, T a, T b, Span<T> d) where T : IFloatingPointIeee754<T> => Affine(x, a, b, d, Vec.Best<T>());

    /// <summary>The affine map at a given vector width (tests force each one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Affine<T>(ReadOnlySpan<T> x, T a, T b, Span<T> d, VecWidth width) where T : IFloatingPointIeee754<T>
    {
        if (d.Length < x.Length) throw new ArgumentException("Affine: destination is shorter than the source");
        int i = width switch
        {
            VecWidth.V512 => Body<T, V512<T>>(x, a, b, d),
            VecWidth.V256 => Body<T, V256<T>>(x, a, b, d),
            VecWidth.V128 => Body<T, V128<T>>(x, a, b, d),
            _ => 0,
        };
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        for (; i < x.Length; i++) Unsafe.Add(ref dr, i) = Unsafe.Add(ref xr, i) * a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Body<T, TV>(ReadOnlySpan<T> x, T a, T b, Span<T> d) where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, i = 0;
        var va = TV.Create(a);
        var vb = TV.Create(b);
        for (; i <= n - TV.Count; i += TV.Count) (TV.Load(ref xr, (nuint)i) * va + vb).Store(ref dr, (nuint)i);
        return i;
    }

    /// <summary>Scalar twin of <see cref="Affine{T}(ReadOnlySpan{T}, T, T, Span{T})"/>.</summary>
    public static void AffineScalar<T>(ReadOnlySpan<T> x, T a, T b, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = x[i] * a + b;
    }
}
