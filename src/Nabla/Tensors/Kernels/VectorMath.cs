using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Generic-T entry points to the BCL's vector math (Vector256/512.Exp and .Log exist only for float and double):
/// the typeof checks are JIT-time constants, so each instantiation compiles to the one direct call. Plus the
/// compositions the activation kernels share (sigmoid, log1p).
/// </summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector512.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector512.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>σ(z) = 1 / (1 + e^−z); e^−z = ∞ for very negative z gives exactly 0, never NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid<T>(Vector512<T> z) => Vector512<T>.One / (Vector512<T>.One + Exp(-z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> z) => Vector256<T>.One / (Vector256<T>.One + Exp(-z));

    /// <summary>log(1 + v) for v ≥ 0 to full relative precision (Goldberg's trick: with w = fl(1 + v),
    /// log1p(v) = log(w)·v / (w − 1), and = v where w rounds to 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log1p<T>(Vector512<T> v)
    {
        var w = Vector512<T>.One + v;
        var m = w - Vector512<T>.One;
        return Vector512.ConditionalSelect(Vector512.Equals(m, Vector512<T>.Zero), v, Log(w) * (v / m));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log1p<T>(Vector256<T> v)
    {
        var w = Vector256<T>.One + v;
        var m = w - Vector256<T>.One;
        return Vector256.ConditionalSelect(Vector256.Equals(m, Vector256<T>.Zero), v, Log(w) * (v / m));
    }
}
