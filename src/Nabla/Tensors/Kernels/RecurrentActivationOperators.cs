using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

// The gate nonlinearities of the recurrent kernels as hand-written vector code: on small rows (H = 50) the BCL's
// TensorPrimitives.Sigmoid/Tanh<T> cost far more per call than the math itself.

/// <summary>σ(x) = 1/(1 + e^−x); e^−x = ∞ for very negative x gives exactly 0.</summary>
internal readonly struct SigmoidSimdOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.One / (T.One + T.Exp(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => TV.Sigmoid(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>tanh x; vector form sign(x)·(1 − e)/(1 + e) with e = min(e^(−2|x|), 1) ∈ [0, 1] (no overflow; the clamp
/// keeps tanh 0 = 0 where the vector exp returns 1 + ulp; absolute error of a few ulps of 1 near 0). Scalar: T.Tanh.</summary>
internal readonly struct TanhSimdOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private static readonly T MinusTwo = T.CreateTruncating(-2);

    public T Invoke(T x) => T.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T>
    {
        var e = TV.Min(TV.Exp(TV.Abs(x) * MinusTwo), TV.One);
        var t = (TV.One - e) / (TV.One + e);
        return TV.Select(TV.LessThan(x, TV.Zero), -t, t);
    }

    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}
