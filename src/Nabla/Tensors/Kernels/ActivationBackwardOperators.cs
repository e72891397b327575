using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Tensors.Kernels;

// Fused backward formulas: (g, s) → g·f'(…) in one pass, where g is the upstream gradient and s the saved
// input x or output y (named in each summary). One pass instead of a chain of temporaries; one vector form for
// every width.

/// <summary>g·1[y &gt; 0] from the ReLU output y (y &gt; 0 ⇔ x &gt; 0; relu'(0) = 0).</summary>
internal readonly struct ReluBackwardOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T g, T y) => y > T.Zero ? g : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV y) where TV : struct, IVec<TV, T> => TV.GreaterThan(y, TV.Zero) & g;
}

/// <summary>g·(1 if x &gt; 0 else s), from the input x.</summary>
internal readonly struct LeakyReluBackwardOperator<T>(T negativeSlope) : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _s = negativeSlope;
    public T Invoke(T g, T x) => x > T.Zero ? g : g * _s;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T> => TV.Select(TV.GreaterThan(x, TV.Zero), g, g * _s);
}

/// <summary>g·(1 if x &gt; 0 else α·eˣ), from the input x.</summary>
internal readonly struct EluBackwardOperator<T>(T alpha) : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _a = alpha;
    public T Invoke(T g, T x) => x > T.Zero ? g : g * _a * T.Exp(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T> => TV.Select(TV.GreaterThan(x, TV.Zero), g, g * _a * TV.Exp(x));
}

/// <summary>g·(1 if βx &gt; threshold else σ(βx)), from the input x.</summary>
internal readonly struct SoftplusBackwardOperator<T>(T beta, T threshold) : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _b = beta, _t = threshold;
    public T Invoke(T g, T x)
    {
        T z = _b * x;
        return z > _t ? g : g / (T.One + T.Exp(-z));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T>
    {
        var z = x * _b;
        return TV.Select(TV.GreaterThan(z, TV.Create(_t)), g, g * TV.Sigmoid(z));
    }
}

/// <summary>g·y(1 − y) from the sigmoid output y.</summary>
internal readonly struct SigmoidBackwardOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T g, T y) => g * y * (T.One - y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV y) where TV : struct, IVec<TV, T> => g * y * (TV.One - y);
}

/// <summary>g·(1 − y²) from the tanh output y.</summary>
internal readonly struct TanhBackwardOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T g, T y) => g * (T.One - y * y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV y) where TV : struct, IVec<TV, T> => g * (TV.One - y * y);
}

/// <summary>g·sign(x), sign(0) = 0 (the subgradient PyTorch picks for |x| at 0).</summary>
internal readonly struct AbsBackwardOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    public T Invoke(T g, T x) => x > T.Zero ? g : x < T.Zero ? -g : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T> =>
        (TV.GreaterThan(x, TV.Zero) & g) | (TV.LessThan(x, TV.Zero) & -g);
}

/// <summary>g·1[lo ≤ x ≤ hi], from the input x (the gradient passes at the bounds, as in PyTorch).</summary>
internal readonly struct ClampBackwardOperator<T>(T min, T max) : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private readonly T _lo = min, _hi = max;
    public T Invoke(T g, T x) => x >= _lo && x <= _hi ? g : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T> =>
        TV.GreaterThanOrEqual(x, TV.Create(_lo)) & TV.LessThanOrEqual(x, TV.Create(_hi)) & g;
}

/// <summary>g·(σ + k·x·σ(1 − σ)), σ = σ(kx), k = 1.702: the derivative of x·σ(1.702x), from the input x.</summary>
internal readonly struct GeluSigmoidBackwardOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private static T K => GeluSigmoidOperator<T>.K;
    public T Invoke(T g, T x)
    {
        T s = T.One / (T.One + T.Exp(-K * x));
        return g * (s + K * x * s * (T.One - s));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T>
    {
        var s = TV.Sigmoid(x * K);
        return g * (s + x * K * s * (TV.One - s));
    }
}

/// <summary>g·(σ + x·σ(1 − σ)·c(1 + 3a·x²)), σ = σ(c(x + a·x³)), c = 2√(2/π), a = 0.044715: the derivative of
/// the tanh-form GELU, from the input x.</summary>
internal readonly struct GeluTanhBackwardOperator<T> : ISimdBinaryOperator<T> where T : IFloatingPointIeee754<T>
{
    private static T C => GeluTanhOperator<T>.C;
    private static T A => GeluTanhOperator<T>.A;
    private static readonly T ThreeA = T.CreateTruncating(3 * 0.044715);
    public T Invoke(T g, T x)
    {
        T x2 = x * x;
        T s = T.One / (T.One + T.Exp(-C * (x + A * x2 * x)));
        return g * (s + x * s * (T.One - s) * C * (T.One + ThreeA * x2));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, T>
    {
        var x2 = x * x;
        var s = TV.Sigmoid((x + x2 * x * A) * C);
        return g * (s + x * s * (TV.One - s) * (TV.One + x2 * ThreeA) * C);
    }
}

/// <summary>g·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π): the derivative of exact GELU x·Φ(x), from the input x.</summary>
internal readonly struct GeluErfBackwardOperator : ISimdBinaryOperator<float>, ISimdBinaryOperator<double>
{
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const float InvSqrt2 = (float)GeluErfOperator.InvSqrt2;

    public double Invoke(double g, double x) =>
        g * (0.5 * SpecialFunctions.Erfc(-x * GeluErfOperator.InvSqrt2) + x * InvSqrt2Pi * Math.Exp(-0.5 * x * x));

    // Float64 erfc is a branchy scalar routine: the vector form applies it lane by lane.
    TV ISimdBinaryOperator<double>.Invoke<TV>(TV g, TV x)
    {
        Span<double> r = stackalloc double[TV.Count];
        for (int i = 0; i < r.Length; i++) r[i] = Invoke(g[i], x[i]);
        return TV.Load(ref r[0], 0);
    }

    public float Invoke(float g, float x) =>
        g * (0.5f * (1f + SpecialFunctions.ErfSingle(x * InvSqrt2)) + x * (float)InvSqrt2Pi * MathF.Exp(-0.5f * x * x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TV>(TV g, TV x) where TV : struct, IVec<TV, float> =>
        g * ((TV.One + SpecialFunctions.ErfSingle(x * InvSqrt2)) * 0.5f + x * (float)InvSqrt2Pi * TV.Exp(x * x * -0.5f));
}
