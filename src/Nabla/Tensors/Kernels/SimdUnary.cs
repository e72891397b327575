using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

/// <summary>A unary operation with a hand-written vector form, written once for every width, run by <see cref="SimdUnary"/>.</summary>
internal interface ISimdUnaryOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>The scalar form (redeclared so that the generic overload does not hide it).</summary>
    new T Invoke(T x);
    TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T>;
}

/// <summary>
/// Runs an <see cref="ISimdUnaryOperator{T}"/> over a span at the widest vector width the hardware has
/// (<see cref="Vec.Best{T}"/>), with a scalar tail; <see cref="ApplyScalar"/> is the twin the tests use as the oracle.
/// In-place (x and d overlapping exactly) is allowed; tails are never re-run over finished elements.
/// </summary>
internal static class SimdUnary
{
    public static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdUnaryOperator<T>
        => Apply(op, x, d, Vec.Best<T>());

    /// <summary><see cref="Apply{T, TOp}(TOp, ReadOnlySpan{T}, Span{T})"/> at a given width (tests force each one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d, VecWidth width) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdUnaryOperator<T>
    {
        if (x.Length > d.Length) throw new ArgumentException("destination is shorter than the source", nameof(d));
        switch (width)
        {
            case VecWidth.V512: Run<T, V512<T>, TOp>(op, x, d); break;
            case VecWidth.V256: Run<T, V256<T>, TOp>(op, x, d); break;
            case VecWidth.V128: Run<T, V128<T>, TOp>(op, x, d); break;
            default: ApplyScalar(op, x, d); break;
        }
    }

    public static void ApplyScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d) where TOp : struct, IUnaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = op.Invoke(x[i]);
    }

    private static void Run<T, TV, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> d)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TOp : struct, ISimdUnaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = TV.Count, i = 0;
        for (; i <= n - 2 * w; i += 2 * w)   // two vectors per trip: independent chains hide latency
        {
            var a = TV.Load(ref xr, (nuint)i);
            var b = TV.Load(ref xr, (nuint)(i + w));
            op.Invoke(a).Store(ref dr, (nuint)i);
            op.Invoke(b).Store(ref dr, (nuint)(i + w));
        }
        for (; i <= n - w; i += w) op.Invoke(TV.Load(ref xr, (nuint)i)).Store(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }
}
