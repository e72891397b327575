
namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="ReluBackward"/> reads: the input x.</summary>
    public sealed record ReluCache(Tensor X);

    /// <summary>What <see cref="SigmoidBackward"/> reads: the output y = σ(x) (the derivative is cheaper from it).</summary>
    public sealed record SigmoidCache(Tensor Out);

    /// <summary>What <see cref="TanhBackward"/> reads: the output y = tanh(x).</summary>
    public sealed record TanhCache(Tensor Out);

    /// <summary>ReLU, element-wise on any shape: y = max(0, x).</summary>
    public static (Tensor Out, ReluCache Cache) ReluForward(Tensor x)
    {
        CheckFloat("ReluForward", ("x", x));
        var y = Tensor.Empty(x.Shape.ToArray(), x.DType);
        if (IsF32(x)) Relu(Data<float>(Dense(x)), Data<float>(Dense(x)), Data<float>(y));
        else Relu(Data<double>(Dense(x)), Data<double>(Dense(x)), Data<double>(y));
        return (y, new ReluCache(x));
    }

    /// <summary>∂L/∂x = ∂L/∂y ⊙ 1[x &gt; 0] (the subgradient 0 is taken at x = 0, as PyTorch).</summary>
    public static Tensor ReluBackward(Tensor dout, ReluCache cache)
    {
        CheckFloat("ReluBackward", ("dout", dout), ("x", cache.X));
        CheckSameShape("ReluBackward", ("x", cache.X), ("dout", dout));
        var dx = Tensor.Empty(dout.Shape.ToArray(), dout.DType);
        if (IsF32(dout)) Relu(Data<float>(Dense(dout)), Data<float>(Dense(cache.X)), Data<float>(dx));
        else Relu(Data<double>(Dense(dout)), Data<double>(Dense(cache.X)), Data<double>(dx));
        return dx;
    }

    /// <summary>Logistic sigmoid, element-wise: y = σ(x) = 1 / (1 + e^(−x)), computed as e^x / (1 + e^x) for x &lt; 0
    /// so that neither branch overflows.</summary>
    public static (Tensor Out, SigmoidCache Cache) SigmoidForward(Tensor x)
    {
        CheckFloat("SigmoidForward", ("x", x));
        var y = Map(x, Sigmoid);
        return (y, new SigmoidCache(y));
    }

    /// <summary>∂L/∂x = ∂L/∂y ⊙ y ⊙ (1 − y), since σ′(x) = σ(x)(1 − σ(x)).</summary>
    public static Tensor SigmoidBackward(Tensor dout, SigmoidCache cache)
    {
        CheckFloat("SigmoidBackward", ("dout", dout), ("out", cache.Out));
        CheckSameShape("SigmoidBackward", ("out", cache.Out), ("dout", dout));
        return Zip(dout, cache.Out, (g, y) => g * y * (1 - y));
    }

    /// <summary>Hyperbolic tangent, element-wise: y = tanh(x).</summary>
    public static (Tensor Out, TanhCache Cache) TanhForward(Tensor x)
    {
        CheckFloat("TanhForward", ("x", x));
        var y = Map(x, Math.Tanh);
        return (y, new TanhCache(y));
    }

    /// <summary>∂L/∂x = ∂L/∂y ⊙ (1 − y²), since tanh′(x) = 1 − tanh²(x).</summary>
    public static Tensor TanhBackward(Tensor dout, TanhCache cache)
    {
        CheckFloat("TanhBackward", ("dout", dout), ("out", cache.Out));
        CheckSameShape("TanhBackward", ("out", cache.Out), ("dout", dout));
        return Zip(dout, cache.Out, (g, y) => g * (1 - y * y));
    }

    /// <summary>y_i = v_i where x_i &gt; 0, else 0 (the forward with v = x, the backward with v = ∂L/∂y).</summary>
    private static void Relu<T>(ReadOnlySpan<T> v, ReadOnlySpan<T> x, Span<T> y) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] = x[i] > T.Zero ? v[i] : T.Zero;
    }

    /// <summary>σ(x) without overflow on either side.</summary>
    internal static double Sigmoid(double x)
    {
        if (x >= 0) return 1 / (1 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1 + e);
    }
}
