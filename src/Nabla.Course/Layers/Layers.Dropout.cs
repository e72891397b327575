
namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>What <see cref="DropoutBackward"/> reads: the 0/1 mask (null in test mode), the drop probability, the
    /// mode and the scaling convention.</summary>
    public sealed record DropoutCache(Tensor? Mask, double P, bool Train, bool Inverted);

    /// <summary>
    /// Dropout with drop probability <paramref name="p"/> (PyTorch's convention: p is the probability of ZEROING a
    /// unit; the keep probability is q = 1 − p). In training the 0/1 mask m (m_i ~ Bernoulli(q), 1 = keep) is drawn
    /// from <paramref name="generator"/> (default <see cref="Generator.Default"/>) with the same draws as the library's
    /// <c>DropoutOp.SampleMask</c>.
    /// <list type="bullet">
    /// <item><paramref name="inverted"/> = true (default, PyTorch and cs231n): train y = x ⊙ m / q, test y = x.
    /// E[y] = x in both modes, so inference needs no change.</item>
    /// <item><paramref name="inverted"/> = false (the textbook variant of Srivastava et al. and of the seed's
    /// Y = X ⊙ M): train y = x ⊙ m, test y = q·x, which matches the expected training output at inference.</item>
    /// </list>
    /// </summary>
    public static (Tensor Out, DropoutCache Cache) DropoutForward(Tensor x, double p, bool train, Generator? generator = null, bool inverted = true)
    {
        CheckFloat("DropoutForward", ("x", x));
        CheckP(p);
        if (!train) return (inverted ? Map(x, v => v) : Map(x, v => (1 - p) * v), new DropoutCache(null, p, false, inverted));
        var mask = DropoutOp.SampleMask(x.Shape.ToArray(), p, x.DType, generator ?? Generator.Default);
        return DropoutForward(x, mask, p, inverted);
    }

    /// <summary>Training-mode dropout with an explicit 0/1 <paramref name="mask"/> of x's shape (1 = keep), e.g. the
    /// masks of a textbook exercise: y = x ⊙ m / (1 − p) (inverted) or y = x ⊙ m (textbook). <paramref name="p"/> only
    /// sets the inverted scaling; pass p = 0 to apply the mask unscaled either way.</summary>
    public static (Tensor Out, DropoutCache Cache) DropoutForward(Tensor x, Tensor mask, double p, bool inverted = true)
    {
        CheckP(p);
        CheckFloat("DropoutForward", ("x", x));
        var m = mask.DType == x.DType ? mask : FromDoubles(mask.ToDoubleArray(), mask.Shape.ToArray(), x.DType);   // int32 or other-float masks are accepted
        CheckSameShape("DropoutForward", ("x", x), ("mask", m));
        foreach (double e in m.ToDoubleArray())
            if (e != 0 && e != 1) throw new ArgumentException($"DropoutForward: the mask must hold only 0 and 1, found {e}", nameof(mask));
        double scale = inverted ? 1 / (1 - p) : 1;
        return (Zip(x, m, (xi, mi) => xi * mi * scale), new DropoutCache(m, p, true, inverted));
    }

    /// <summary>
    /// Backward of <see cref="DropoutForward(Tensor, double, bool, Generator?, bool)"/>: the layer is linear in x, so
    /// ∂L/∂x = ∂L/∂y ⊙ m / (1 − p) (train, inverted), ∂L/∂y ⊙ m (train, textbook — the seed's answer
    /// ∂L/∂X = ∂L/∂Y ⊙ M), ∂L/∂y (test, inverted), (1 − p)·∂L/∂y (test, textbook).
    /// </summary>
    public static Tensor DropoutBackward(Tensor dout, DropoutCache cache)
    {
        CheckFloat("DropoutBackward", ("dout", dout));
        double q = 1 - cache.P;
        if (!cache.Train) return cache.Inverted ? Map(dout, g => g) : Map(dout, g => q * g);
        CheckSameShape("DropoutBackward", ("mask", cache.Mask!), ("dout", dout));
        double scale = cache.Inverted ? 1 / q : 1;
        return Zip(dout, cache.Mask!, (g, mi) => g * mi * scale);
    }

    private static void CheckP(double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: the drop probability p must be in [0, 1), got {p}");
    }
}
