using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

// Comparisons that yield 1 where true and 0 where false, in the operands' float type: the all-ones lane mask
// ANDed with the bits of 1.0. NaN compares false except for ≠ (IEEE, as in PyTorch).

/// <summary>1[x = y]</summary>
internal readonly struct EqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x == y ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.Equals(x, y) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.Equals(x, y) & Vector512<T>.One;
}

/// <summary>1[x ≠ y]</summary>
internal readonly struct NotEqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x != y ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.AndNot(Vector256<T>.One, Vector256.Equals(x, y));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.AndNot(Vector512<T>.One, Vector512.Equals(x, y));
}

/// <summary>1[x &gt; y]</summary>
internal readonly struct GreaterThanOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x > y ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.GreaterThan(x, y) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.GreaterThan(x, y) & Vector512<T>.One;
}

/// <summary>1[x ≥ y]</summary>
internal readonly struct GreaterThanOrEqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x >= y ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.GreaterThanOrEqual(x, y) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.GreaterThanOrEqual(x, y) & Vector512<T>.One;
}

/// <summary>1[x &lt; y]</summary>
internal readonly struct LessThanOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x < y ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.LessThan(x, y) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.LessThan(x, y) & Vector512<T>.One;
}

/// <summary>1[x ≤ y]</summary>
internal readonly struct LessThanOrEqualOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x <= y ? T.One : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.LessThanOrEqual(x, y) & Vector256<T>.One;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.LessThanOrEqual(x, y) & Vector512<T>.One;
}
