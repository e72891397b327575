using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// An element-wise unary operation. The scalar form is the reference; the span form is the fast one (TensorPrimitives
/// or <see cref="SimdUnary"/>) and may run in place (x and d the same span). Instance methods, so that parameters
/// (slope, alpha, bounds) live in the struct; drivers take it by value and the JIT specialises per struct.
/// </summary>
internal interface IUnaryOperator<T>
{
    T Invoke(T x);
    void Invoke(ReadOnlySpan<T> x, Span<T> d);
}

/// <summary>A unary operation with hand-written vector forms, run by <see cref="SimdUnary"/>.</summary>
internal interface ISimdUnaryOperator<T> : IUnaryOperator<T>
{
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>
/// Runs an <see cref="ISimdUnaryOperator{T}"/> over a span: Vector512 when the hardware has it (AVX-512F),
/// else Vector256, with a scalar tail; <see cref="ApplyScalar"/> is the twin the tests use as the oracle.
/// In-place (x and d overlapping exactly) is allowed; tails are never re-run over finished elements.
/// </summary>
internal static class SimdUnary
{
    public static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d) where TOp : struct, ISimdUnaryOperator<T>
    {
        if (x.Length > d.Length) throw new ArgumentException("destination is shorter than the source", nameof(d));
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported) Apply512(op, x, d);
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported) Apply256(op, x, d);
        else ApplyScalar(op, x, d);
    }

    public static void ApplyScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d) where TOp : struct, IUnaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = op.Invoke(x[i]);
    }

    internal static void Apply512<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d) where TOp : struct, ISimdUnaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = Vector512<T>.Count, i = 0;
        for (; i <= n - 2 * w; i += 2 * w)   // two vectors per trip: independent chains hide latency
        {
            var a = Vector512.LoadUnsafe(ref xr, (nuint)i);
            var b = Vector512.LoadUnsafe(ref xr, (nuint)(i + w));
            op.Invoke(a).StoreUnsafe(ref dr, (nuint)i);
            op.Invoke(b).StoreUnsafe(ref dr, (nuint)(i + w));
        }
        for (; i <= n - w; i += w) op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }

    internal static void Apply256<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d) where TOp : struct, ISimdUnaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = Vector256<T>.Count, i = 0;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            var a = Vector256.LoadUnsafe(ref xr, (nuint)i);
            var b = Vector256.LoadUnsafe(ref xr, (nuint)(i + w));
            op.Invoke(a).StoreUnsafe(ref dr, (nuint)i);
            op.Invoke(b).StoreUnsafe(ref dr, (nuint)(i + w));
        }
        for (; i <= n - w; i += w) op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }
}
