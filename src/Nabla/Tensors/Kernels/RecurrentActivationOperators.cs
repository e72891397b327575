using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors.Kernels;

// The gate nonlinearities of the recurrent kernels as hand-written vector code: on small rows (H = 50) the BCL's
// TensorPrimitives.Sigmoid/Tanh<T> cost far more per call than the math itself.

/// <summary>σ(x) = 1/(1 + e^−x); e^−x = ∞ for very negative x gives exactly 0.</summary>
internal readonly struct SigmoidSimdOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.One / (T.One + T.Exp(-x));
    public Vector256<T> Invoke(Vector256<T> x) => VectorMath.Sigmoid(x);
    public Vector512<T> Invoke(Vector512<T> x) => VectorMath.Sigmoid(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>tanh x; vector form sign(x)·(1 − e)/(1 + e) with e = min(e^(−2|x|), 1) ∈ [0, 1] (no overflow; the clamp
/// keeps tanh 0 = 0 where the vector exp returns 1 + ulp; absolute error of a few ulps of 1 near 0). Scalar: T.Tanh.</summary>
internal readonly struct TanhSimdOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private static readonly T MinusTwo = T.CreateTruncating(-2);

    public T Invoke(T x) => T.Tanh(x);

    public Vector256<T> Invoke(Vector256<T> x)
    {
        var e = Vector256.Min(VectorMath.Exp(Vector256.Abs(x) * MinusTwo), Vector256<T>.One);
        var t = (Vector256<T>.One - e) / (Vector256<T>.One + e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), -t, t);
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        var e = Vector512.Min(VectorMath.Exp(Vector512.Abs(x) * MinusTwo), Vector512<T>.One);
        var t = (Vector512<T>.One - e) / (Vector512<T>.One + e);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), -t, t);
    }

    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}
