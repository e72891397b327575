using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

// Comparisons that yield 1 where true and 0 where false, in the operands' float type: the all-ones lane mask
// ANDed with the bits of 1.0. NaN compares false except for ≠ (IEEE, as in PyTorch).

/// <summary>1[x = y]</summary>
internal readonly struct EqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x == y ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => TV.Equals(x, y) & TV.One;
}

/// <summary>1[x ≠ y]</summary>
internal readonly struct NotEqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x != y ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => ~TV.Equals(x, y) & TV.One;
}

/// <summary>1[x &gt; y]</summary>
internal readonly struct GreaterThanOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x > y ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => TV.GreaterThan(x, y) & TV.One;
}

/// <summary>1[x ≥ y]</summary>
internal readonly struct GreaterThanOrEqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x >= y ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => TV.GreaterThanOrEqual(x, y) & TV.One;
}

/// <summary>1[x &lt; y]</summary>
internal readonly struct LessThanOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x < y ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => TV.LessThan(x, y) & TV.One;
}

/// <summary>1[x ≤ y]</summary>
internal readonly struct LessThanOrEqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x <= y ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x, TV y) where TV : struct, IVec<TV, T> => TV.LessThanOrEqual(x, y) & TV.One;
}
