using System.Numerics;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Scalar twins of the vector math the activation kernels share beyond the BCL's (the vector forms are
/// <see cref="IVec{TSelf, T}.Sigmoid"/> and <see cref="IVec{TSelf, T}.Log1pUnit"/>).
/// </summary>
internal static class VectorMath
{
    /// <summary>1/(2k+1) for the terms of the atanh series 2·atanh(s) = 2(s + s³/3 + s⁵/5 + ...) that reach full
    /// precision for s² ≤ 1/9: (1/9)^terms below half an ulp (8 terms in float32, 17 in float64).</summary>
    public static T[] OddReciprocals<T>() where T : INumberBase<T> => Reciprocals<T>.Values;

    private static class Reciprocals<T> where T : INumberBase<T>
    {
        public static readonly T[] Values = Enumerable.Range(0, typeof(T) == typeof(float) ? 8 : 17)
            .Select(k => T.CreateTruncating(1.0 / (2 * k + 1))).ToArray();
    }

    /// <summary>log(1 + v) for 0 ≤ v ≤ 1 to a few ulps of the result, also for tiny v: log1p(v) = 2·atanh(s),
    /// s = v/(2 + v) ∈ [0, 1/3], summed as an odd series in s (the vector Log alone is only accurate to an ulp
    /// of 1 near 1, which loses all relative precision when v ≪ 1; the BCL's LogP1 is log(1 + v), with that flaw).
    /// The scalar twin of the vector form.</summary>
    public static T Log1pUnit<T>(T v) where T : IFloatingPointIeee754<T>
    {
        T s = v / (T.CreateTruncating(2.0) + v), s2 = s * s;
        var c = OddReciprocals<T>();
        T p = c[^1];
        for (int k = c.Length - 2; k >= 0; k--) p = p * s2 + c[k];
        return (s + s) * p;
    }
}
