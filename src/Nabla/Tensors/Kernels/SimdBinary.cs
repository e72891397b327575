using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors.Kernels;

/// <summary>An element-wise binary operation with a hand-written vector form, written once for every width (fused
/// backward formulas such as g·1[x &gt; 0], comparisons). The scalar form is the reference.</summary>
internal interface ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    T Invoke(T x, T y);
    TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T>;
}

/// <summary>
/// Runs an <see cref="ISimdBinaryOperator{T}"/> over span∘span, span∘scalar or scalar∘span at the widest vector width
/// the hardware has (<see cref="Vec.Best{T}"/>), scalar tail. The ...Scalar methods are the twins tests use as the oracle.
/// </summary>
internal static class SimdBinary
{
    public static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
        => Apply(op, x, y, d, Vec.Best<T>());

    public static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
        => Apply(op, x, y, d, Vec.Best<T>());

    /// <summary>d = op(x, y) with a scalar left operand (order matters: x − y, x &gt; y).</summary>
    public static void Apply<T, TOp>(TOp op, T x, ReadOnlySpan<T> y, Span<T> d) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
        => Apply(new Swapped<T, TOp>(op), y, x, d, Vec.Best<T>());

    /// <summary>span∘span at a given width (tests force each one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d, VecWidth width)
        where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        if (x.Length != y.Length || x.Length > d.Length) throw new ArgumentException("operand lengths differ");
        switch (width)
        {
            case VecWidth.V512: Run<T, V512<T>, TOp>(op, x, y, d); break;
            case VecWidth.V256: Run<T, V256<T>, TOp>(op, x, y, d); break;
            case VecWidth.V128: Run<T, V128<T>, TOp>(op, x, y, d); break;
            default: ApplyScalar(op, x, y, d); break;
        }
    }

    /// <summary>span∘scalar at a given width (tests force each one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Apply<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d, VecWidth width)
        where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        if (x.Length > d.Length) throw new ArgumentException("destination is shorter than the source", nameof(d));
        switch (width)
        {
            case VecWidth.V512: Run<T, V512<T>, TOp>(op, x, y, d); break;
            case VecWidth.V256: Run<T, V256<T>, TOp>(op, x, y, d); break;
            case VecWidth.V128: Run<T, V128<T>, TOp>(op, x, y, d); break;
            default: ApplyScalar(op, x, y, d); break;
        }
    }

    /// <summary>scalar∘span at a given width (tests force each one).</summary>
    internal static void Apply<T, TOp>(TOp op, T x, ReadOnlySpan<T> y, Span<T> d, VecWidth width)
        where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
        => Apply(new Swapped<T, TOp>(op), y, x, d, width);

    public static void ApplyScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = op.Invoke(x[i], y[i]);
    }

    public static void ApplyScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = op.Invoke(x[i], y);
    }

    private static void Run<T, TV, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TOp : struct, ISimdBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = TV.Count, i = 0;
        for (; i <= n - w; i += w) op.Invoke(TV.Load(ref xr, (nuint)i), TV.Load(ref yr, (nuint)i)).Store(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }

    private static void Run<T, TV, TOp>(TOp op, ReadOnlySpan<T> x, T y, Span<T> d)
        where T : IFloatingPointIeee754<T> where TV : struct, IVec<TV, T> where TOp : struct, ISimdBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        var yv = TV.Create(y);
        int n = x.Length, w = TV.Count, i = 0;
        for (; i <= n - w; i += w) op.Invoke(TV.Load(ref xr, (nuint)i), yv).Store(ref dr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), y);
    }

    /// <summary>op with its operands exchanged, so scalar∘span reuses the span∘scalar loop.</summary>
    private readonly struct Swapped<T, TOp>(TOp op) : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        private readonly TOp _op = op;
        public T Invoke(T x, T y) => _op.Invoke(y, x);
        public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => _op.Invoke(y, x);
    }
}

/// <summary>Lets a parameterless <see cref="ISimdBinaryOperator{T}"/> run through <see cref="BinaryDriver"/>
/// (broadcasting, strides) as an <see cref="IBinaryOperator{T}"/>.</summary>
internal readonly struct SimdBinaryAdapter<T, TOp> : IBinaryOperator<T> where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
{
    public static T Invoke(T x, T y) => default(TOp).Invoke(x, y);
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => SimdBinary.Apply(default(TOp), x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => SimdBinary.Apply(default(TOp), x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => SimdBinary.Apply(default(TOp), x, y, d);
}
