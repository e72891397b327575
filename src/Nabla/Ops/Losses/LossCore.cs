using System.Numerics;

namespace Nabla;

/// <summary>Reduction plumbing shared by the loss ops: turning per-term losses into the output, and the output's
/// gradient back into one scale per term.</summary>
internal static class LossCore
{
    /// <summary>The loss tensor from per-term values: shape <paramref name="shape"/> for None, else a 0-d
    /// Σ ℓ (Sum) or Σ ℓ / <paramref name="denominator"/> (Mean).</summary>
    public static Tensor Reduce<T>(T[] terms, int[] shape, LossReduction reduction, double denominator)
        where T : IFloatingPointIeee754<T>
    {
        if (reduction == LossReduction.None) return Tensor.Wrap(terms, shape.Length == 0 ? [1] : shape).AsStrided(shape, ShapeUtil.ContiguousStrides(shape), 0);
        // Blocked: vector sums of 4096 terms, added in double (accurate for float32 and still SIMD-fast).
        double s = 0;
        for (int i = 0; i < terms.Length; i += 4096)
            s += double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.Sum<T>(terms.AsSpan(i, Math.Min(4096, terms.Length - i))));
        if (reduction == LossReduction.Mean) s /= denominator;
        return Tensor.Scalar(s, DTypeExtensions.Of<T>());
    }

    /// <summary>scale_i = ∂L/∂ℓ_i: g_i (None), g (Sum) or g / denominator (Mean).</summary>
    public static T[] Scales<T>(Tensor gradOutput, int count, LossReduction reduction, double denominator)
        where T : IFloatingPointIeee754<T>
    {
        if (reduction == LossReduction.None) return gradOutput.ContiguousRaw().AsSpan<T>().ToArray();
        double g = gradOutput.Item();
        if (reduction == LossReduction.Mean) g /= denominator;
        var s = new T[count];
        Array.Fill(s, T.CreateChecked(g));
        return s;
    }

    public static void SameShape(string op, Tensor input, Tensor target)
    {
        if (!ShapeUtil.SameShape(input.Shape, target.Shape))
            throw ShapeMismatchException.For(op, "input and target must have the same shape", input.Shape.ToArray(), target.Shape.ToArray());
        Dispatch.SameDType(op, input, target);
    }
}
