using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>An element-wise binary operation with hand-written vector forms (fused backward formulas such as
/// g·1[x &gt; 0], comparisons). The scalar form is the reference.</summary>
internal interface ISimdBinaryOperator<T>
{
    T Invoke(T x, T y);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>
/// Runs an <see cref="ISimdBinaryOperator{T}"/> over span∘span, span∘scalar or scalar∘span: Vector512 when the
/// hardware has it, else Vector256, scalar tail. The ...Scalar methods are the twins tests use as the oracle.
/// </summary>
internal static class SimdBinary
{
    private static bool Use512<T>() => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;
    private static bool Use256<T>() => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;

    public static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        if (x.Length != y.Length || x.Length > d.Length) throw new ArgumentException("operand lengths differ");
        if (Use512<T>()) Apply512(op, x, y, d);
        else if (Use256<T>()) Apply256(op, x, y, d);
        else ApplyScalar(op, x, y, d);
    }

    public static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        if (x.Length > d.Length) throw new ArgumentException("destination is shorter than the source", nameof(d));
        if (Use512<T>()) Apply512(op, x, y, d);
        else if (Use256<T>()) Apply256(op, x, y, d);
        else ApplyScalar(op, x, y, d);
    }

    /// <summary>d = op(x, y) with a scalar left operand (order matters: x − y, x &gt; y).</summary>
    public static void Apply<T, TOp>(TOp op, T x, ReadOnlySpan<T> y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
        => Apply(new Swapped<T, TOp>(op), y, x, d);

    public static void ApplyScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = op.Invoke(x[i], y[i]);
    }

    public static void ApplyScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = op.Invoke(x[i], y);
    }

    internal static void Apply512<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = Vector512<T>.Count, i = 0;
        for (; i <= n - w; i += w)
            op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }

    internal static void Apply256<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = Vector256<T>.Count, i = 0;
        for (; i <= n - w; i += w)
            op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }

    internal static void Apply512<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        var yv = Vector512.Create(y);
        int n = x.Length, w = Vector512<T>.Count, i = 0;
        for (; i <= n - w; i += w) op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), yv).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), y);
    }

    internal static void Apply256<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d) where TOp : struct, ISimdBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        var yv = Vector256.Create(y);
        int n = x.Length, w = Vector256<T>.Count, i = 0;
        for (; i <= n - w; i += w) op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), yv).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), y);
    }

    /// <summary>op with its operands exchanged, so scalar∘span reuses the span∘scalar loop.</summary>
    private readonly struct Swapped<T, TOp>(TOp op) : ISimdBinaryOperator<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        private readonly TOp _op = op;
        public T Invoke(T x, T y) => _op.Invoke(y, x);
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => _op.Invoke(y, x);
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => _op.Invoke(y, x);
    }
}

/// <summary>Lets a parameterless <see cref="ISimdBinaryOperator{T}"/> run through <see cref="BinaryDriver"/>
/// (broadcasting, strides) as an <see cref="IBinaryOperator{T}"/>.</summary>
internal readonly struct SimdBinaryAdapter<T, TOp> : IBinaryOperator<T> where TOp : struct, ISimdBinaryOperator<T>
{
    public static T Invoke(T x, T y) => default(TOp).Invoke(x, y);
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => SimdBinary.Apply(default(TOp), x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => SimdBinary.Apply(default(TOp), x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => SimdBinary.Apply(default(TOp), x, y, d);
}
