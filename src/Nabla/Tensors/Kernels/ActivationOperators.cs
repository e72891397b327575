using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

// Activations TensorPrimitives lacks, as hand-written vector kernels (one generic form for every width) with scalar
// twins. Each summary is the formula; the vector and scalar forms compute the same expression (exp/log from the BCL's
// vector math).

/// <summary>relu(x) = max(x, 0); NaN propagates (as in PyTorch).</summary>
internal readonly struct ReluOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Max(x, T.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => TV.Max(x, TV.Zero);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>leaky_relu(x) = x if x &gt; 0 else s·x.</summary>
internal readonly struct LeakyReluOperator<T>(T negativeSlope) : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _s = negativeSlope;
    public T Invoke(T x) => x > T.Zero ? x : x * _s;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => TV.Select(TV.GreaterThan(x, TV.Zero), x, x * _s);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>elu(x) = x if x &gt; 0 else α(eˣ − 1).</summary>
internal readonly struct EluOperator<T>(T alpha) : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _a = alpha;
    public T Invoke(T x) => x > T.Zero ? x : _a * (T.Exp(x) - T.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => TV.Select(TV.GreaterThan(x, TV.Zero), x, (TV.Exp(x) - TV.One) * _a);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>softplus(x) = x if βx &gt; threshold else (1/β)·ln(1 + e^(βx)), evaluated as
/// (max(z, 0) + log1p(e^−|z|)) / β with z = βx, which neither overflows nor loses digits for very negative z.</summary>
internal readonly struct SoftplusOperator<T>(T beta, T threshold) : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _b = beta, _t = threshold;
    public T Invoke(T x)
    {
        T z = _b * x;
        return z > _t ? x : (T.Max(z, T.Zero) + VectorMath.Log1pUnit(T.Exp(-T.Abs(z)))) / _b;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T>
    {
        var z = x * _b;
        var y = (TV.Max(z, TV.Zero) + TV.Log1pUnit(TV.Exp(-TV.Abs(z)))) / TV.Create(_b);
        return TV.Select(TV.GreaterThan(z, TV.Create(_t)), x, y);
    }
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>GELU, sigmoid form (the course's): gelu(x) ≈ x·σ(1.702x).</summary>
internal readonly struct GeluSigmoidOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    internal static readonly T K = T.CreateTruncating(1.702);
    public T Invoke(T x) => x / (T.One + T.Exp(-K * x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => x * TV.Sigmoid(x * K);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>GELU, PyTorch's tanh form: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), computed as the identical
/// x·σ(2√(2/π)(x + 0.044715x³)) (since 1 + tanh u = 2σ(2u)), which saturates cleanly for large |x|.</summary>
internal readonly struct GeluTanhOperator<T> : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    internal static readonly T C = T.CreateTruncating(1.5957691216057308);   // 2·√(2/π)
    internal static readonly T A = T.CreateTruncating(0.044715);
    public T Invoke(T x) => x / (T.One + T.Exp(-C * (x + A * x * x * x)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => x * TV.Sigmoid((x + x * x * x * A) * C);
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}

/// <summary>GELU, exact: gelu(x) = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) = ½·erfc(−x/√2). Float64 uses fdlibm erfc
/// (scalar; no cancellation for x ≪ 0); float32 uses the vectorised Eigen erf.</summary>
internal readonly struct GeluErfOperator : ISimdUnaryOperator<float>, IUnaryOperator<double>
{
    internal const double InvSqrt2 = 0.70710678118654752440;
    public float Invoke(float x) => 0.5f * x * (1f + SpecialFunctions.ErfSingle(x * (float)InvSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, float> => x * 0.5f * (TV.One + SpecialFunctions.ErfSingle(x * (float)InvSqrt2));
    public void Invoke(ReadOnlySpan<float> x, Span<float> d) => SimdUnary.Apply(this, x, d);

    public double Invoke(double x) => 0.5 * x * SpecialFunctions.Erfc(-x * InvSqrt2);
    public void Invoke(ReadOnlySpan<double> x, Span<double> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = Invoke(x[i]);
    }
}

/// <summary>clamp(x) = min(max(x, lo), hi) (hi wins when lo &gt; hi, as in PyTorch; NaN propagates). An absent
/// bound is ∓∞.</summary>
internal readonly struct ClampOperator<T>(T min, T max) : ISimdUnaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _lo = min, _hi = max;
    public T Invoke(T x) => T.Min(T.Max(x, _lo), _hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV x) where TV : struct, IVec<TV, T> => TV.Min(TV.Max(x, TV.Create(_lo)), TV.Create(_hi));
    public void Invoke(ReadOnlySpan<T> x, Span<T> d) => SimdUnary.Apply(this, x, d);
}
