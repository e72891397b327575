using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

// Element-wise math whose vector form TensorPrimitives provides (SIMD with its own tails); the scalar form is the
// reference the tests compare against. Each summary is the formula.

/// <summary>eˣ</summary>
internal readonly struct ExpOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Exp(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d);
}

/// <summary>ln x</summary>
internal readonly struct LogOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Log(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}

/// <summary>√x</summary>
internal readonly struct SqrtOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Sqrt(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

/// <summary>|x|</summary>
internal readonly struct AbsOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Abs(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
}

/// <summary>tanh x</summary>
internal readonly struct TanhOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Tanh(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Tanh(x, d);
}

/// <summary>σ(x) = 1 / (1 + e^−x)</summary>
internal readonly struct SigmoidOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.One / (T.One + T.Exp(-x));
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sigmoid(x, d);
}

/// <summary>sin x</summary>
internal readonly struct SinOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Sin(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
}

/// <summary>cos x</summary>
internal readonly struct CosOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Cos(x);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
}

/// <summary>1 / x</summary>
internal readonly struct ReciprocalOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.One / x;
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Reciprocal(x, d);
}

/// <summary>x²</summary>
internal readonly struct SquareOperator<T> : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x * x;
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Multiply(x, x, d);
}

/// <summary>xᵖ for a scalar exponent p.</summary>
internal readonly struct PowScalarOperator<T>(T exponent) : IUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _p = exponent;
    public T Invoke(T x) => T.Pow(x, _p);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Pow(x, _p, d);
}

/// <summary>erf x. Float64: fdlibm (scalar loop, accurate to &lt; 1 ulp); float32: Eigen's rational form in
/// vector form (see <see cref="SpecialFunctions"/>).</summary>
internal readonly struct ErfOperator : ISimdUnaryOperator<float>, IUnaryOperator<double>
{
    public float Invoke(float x) => SpecialFunctions.ErfSingle(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, float> => SpecialFunctions.ErfSingle(x);
    public void Invoke(ReadOnlySpan<float> x, Span<float> d) => SimdUnary.Apply(this, x, d);

    public double Invoke(double x) => SpecialFunctions.Erf(x);
    public void Invoke(ReadOnlySpan<double> x, Span<double> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = SpecialFunctions.Erf(x[i]);
    }
}

/// <summary>aᵇ element-wise (broadcasting through <see cref="BinaryDriver"/>).</summary>
internal readonly struct PowOperator<T> : IBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Pow(x, y);
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
}

/// <summary>max(a, b), NaN-propagating like torch.maximum.</summary>
internal readonly struct MaximumOperator<T> : IBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Max(x, y);
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}

/// <summary>min(a, b), NaN-propagating like torch.minimum.</summary>
internal readonly struct MinimumOperator<T> : IBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Min(x, y);
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(y, x, d);
}
