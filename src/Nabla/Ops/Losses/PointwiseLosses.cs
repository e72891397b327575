using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla;

// Element-wise loss terms ℓ(x, t) run by PointwiseLossOp; each summary is the formula and its derivatives.
// d = x − t throughout.

/// <summary>ℓ = d². ∂ℓ/∂x = 2d, ∂ℓ/∂t = −2d.</summary>
public readonly struct MseLossTerm : IPointwiseLoss
{
    public static string Name => "MseLoss";
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> => null;
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T> => (x - t) * (x - t);
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.CreateTruncating(2) * (x - t);
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.CreateTruncating(-2) * (x - t);

    public static bool TryTerms<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> terms) where T : IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(x, t, terms);
        TensorPrimitives.Multiply(terms, terms, terms);
        return true;
    }

    public static bool TryGradInput<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(x, t, d);
        TensorPrimitives.Multiply(d, T.CreateTruncating(2), d);
        return true;
    }
}

/// <summary>ℓ = |d|. ∂ℓ/∂x = sign(d) (0 at d = 0), ∂ℓ/∂t = −sign(d).</summary>
public readonly struct L1LossTerm : IPointwiseLoss
{
    public static string Name => "L1Loss";
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> => null;
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.Abs(x - t);
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T> => Sign(x - t);
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => -Sign(x - t);

    public static bool TryTerms<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> terms) where T : IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(x, t, terms);
        TensorPrimitives.Abs(terms, terms);
        return true;
    }
    internal static T Sign<T>(T d) where T : IFloatingPointIeee754<T> => d > T.Zero ? T.One : d < T.Zero ? -T.One : T.Zero;
}

/// <summary>ℓ = 0.5·d²/β if |d| &lt; β, else |d| − 0.5·β (β = 0 gives L1). ∂ℓ/∂x = d/β or sign(d); ∂ℓ/∂t = −∂ℓ/∂x.</summary>
public readonly struct SmoothL1LossTerm(double beta) : IPointwiseLoss
{
    public static string Name => "SmoothL1Loss";
    public double Beta { get; } = beta;
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> => null;
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T>
    {
        T d = T.Abs(x - t), b = T.CreateChecked(Beta);
        return d < b ? T.CreateChecked(0.5) * d * d / b : d - T.CreateChecked(0.5) * b;
    }
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T>
    {
        T d = x - t, b = T.CreateChecked(Beta);
        return T.Abs(d) < b ? d / b : L1LossTerm.Sign(d);
    }
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => -GradInput(x, t);
}

/// <summary>ℓ = 0.5·d² if |d| &lt; δ, else δ·(|d| − 0.5·δ). ∂ℓ/∂x = d or δ·sign(d); ∂ℓ/∂t = −∂ℓ/∂x.</summary>
public readonly struct HuberLossTerm(double delta) : IPointwiseLoss
{
    public static string Name => "HuberLoss";
    public double Delta { get; } = delta;
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> => null;
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T>
    {
        T d = T.Abs(x - t), k = T.CreateChecked(Delta), h = T.CreateChecked(0.5);
        return d < k ? h * d * d : k * (d - h * k);
    }
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T>
    {
        T d = x - t, k = T.CreateChecked(Delta);
        return T.Abs(d) < k ? d : k * L1LossTerm.Sign(d);
    }
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => -GradInput(x, t);
}

/// <summary>
/// Binary cross-entropy on logits x with targets t ∈ [0, 1], in the stable form
/// ℓ = max(x, 0) − x·t + log(1 + e^{−|x|}). ∂ℓ/∂x = σ(x) − t, ∂ℓ/∂t = −x.
/// </summary>
public readonly struct BceWithLogitsLossTerm : IPointwiseLoss
{
    public static string Name => "BinaryCrossEntropyWithLogits";
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> => null;
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.Max(x, T.Zero) - x * t + T.LogP1(T.Exp(-T.Abs(x)));
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T> => Sigmoid(x) - t;
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => -x;

    /// <summary>σ(x) without overflow: 1/(1 + e^{−x}) for x ≥ 0, e^{x}/(1 + e^{x}) for x &lt; 0.</summary>
    internal static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (x >= T.Zero) return T.One / (T.One + T.Exp(-x));
        T e = T.Exp(x);
        return e / (T.One + e);
    }
}

/// <summary>
/// Binary cross-entropy on probabilities p ∈ [0, 1]: ℓ = −(t·max(log p, −100) + (1 − t)·max(log(1 − p), −100))
/// (the −100 floor keeps ℓ finite at p ∈ {0, 1}, as PyTorch). ∂ℓ/∂p = (p − t)/max(p·(1 − p), 10⁻¹²),
/// ∂ℓ/∂t = max(log(1 − p), −100) − max(log p, −100).
/// </summary>
public readonly struct BceLossTerm : IPointwiseLoss
{
    public static string Name => "BinaryCrossEntropy";
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> =>
        x >= T.Zero && x <= T.One ? null : "input probabilities must lie in [0, 1]; use BinaryCrossEntropyWithLogits for logits";
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T> => -(t * LogP(x) + (T.One - t) * LogQ(x));
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T> =>
        (x - t) / T.Max(x * (T.One - x), T.CreateChecked(1e-12));
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => LogQ(x) - LogP(x);
    private static T LogP<T>(T p) where T : IFloatingPointIeee754<T> => T.Max(T.Log(p), T.CreateChecked(-100));
    private static T LogQ<T>(T p) where T : IFloatingPointIeee754<T> => T.Max(T.Log(T.One - p), T.CreateChecked(-100));
}

/// <summary>
/// Binary hinge loss (linear SVM) of scores s with targets t ∈ {−1, +1}: ℓ = max(0, margin − t·s).
/// ∂ℓ/∂s = −t·1[margin − t·s &gt; 0] (subgradient 0 at the kink), ∂ℓ/∂t = −s·1[margin − t·s &gt; 0].
/// </summary>
public readonly struct HingeLossTerm(double margin) : IPointwiseLoss
{
    public static string Name => "HingeLoss";
    public double Margin { get; } = margin;
    public string? Invalid<T>(T x, T t) where T : IFloatingPointIeee754<T> =>
        t == T.One || t == -T.One ? null : "targets must be −1 or +1";
    public T Loss<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.Max(T.Zero, T.CreateChecked(Margin) - t * x);
    public T GradInput<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.CreateChecked(Margin) - t * x > T.Zero ? -t : T.Zero;
    public T GradTarget<T>(T x, T t) where T : IFloatingPointIeee754<T> => T.CreateChecked(Margin) - t * x > T.Zero ? -x : T.Zero;
}
