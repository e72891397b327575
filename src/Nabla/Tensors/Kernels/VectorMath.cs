using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Generic-T entry points to the BCL's vector math (Vector256/512.Exp and .Log exist only for float and double):
/// the typeof checks are JIT-time constants, so each instantiation compiles to the one direct call. Plus the
/// compositions the activation kernels share (sigmoid, log1p on [0, 1]).
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

    // 1/(2k+1), k = 0..16: the series 2·atanh(s) = 2(s + s³/3 + s⁵/5 + ...).
    private static readonly double[] OddReciprocals = Enumerable.Range(0, 17).Select(k => 1.0 / (2 * k + 1)).ToArray();

    /// <summary>Terms of the atanh series that reach full precision for s² ≤ 1/9: (1/9)^terms below half an ulp.</summary>
    private static int Log1pTerms<T>() => typeof(T) == typeof(float) ? 8 : 17;

    /// <summary>log(1 + v) for 0 ≤ v ≤ 1 to a few ulps of the result, also for tiny v: log1p(v) = 2·atanh(s),
    /// s = v/(2 + v) ∈ [0, 1/3], summed as an odd series in s (the vector Log alone is only accurate to an ulp
    /// of 1 near 1, which loses all relative precision when v ≪ 1).</summary>
    /// <summary>The scalar twin of the vector forms (the BCL's LogP1 is log(1 + v), which has the flaw above).</summary>
    public static T Log1pUnit<T>(T v) where T : IFloatingPointIeee754<T>
    {
        T s = v / (T.CreateTruncating(2.0) + v), s2 = s * s;
        int n = Log1pTerms<T>();
        T p = T.CreateTruncating(OddReciprocals[n - 1]);
        for (int k = n - 2; k >= 0; k--) p = p * s2 + T.CreateTruncating(OddReciprocals[k]);
        return (s + s) * p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log1pUnit<T>(Vector512<T> v) where T : IFloatingPointIeee754<T>
    {
        var s = v / (Vector512.Create(T.CreateTruncating(2.0)) + v);
        var s2 = s * s;
        int n = Log1pTerms<T>();
        var p = Vector512.Create(T.CreateTruncating(OddReciprocals[n - 1]));
        for (int k = n - 2; k >= 0; k--) p = p * s2 + Vector512.Create(T.CreateTruncating(OddReciprocals[k]));
        return (s + s) * p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log1pUnit<T>(Vector256<T> v) where T : IFloatingPointIeee754<T>
    {
        var s = v / (Vector256.Create(T.CreateTruncating(2.0)) + v);
        var s2 = s * s;
        int n = Log1pTerms<T>();
        var p = Vector256.Create(T.CreateTruncating(OddReciprocals[n - 1]));
        for (int k = n - 2; k >= 0; k--) p = p * s2 + Vector256.Create(T.CreateTruncating(OddReciprocals[k]));
        return (s + s) * p;
    }
}
