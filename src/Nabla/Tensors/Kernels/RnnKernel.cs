using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>The element-wise part of an Elman RNN step: h' = act(z) with act tanh or ReLU, z = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh.</summary>
internal static class RnnKernel
{
    /// <summary>h = act(z) over a block of any length (z and h may be the same span).</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> h, bool relu) where T : IFloatingPointIeee754<T>
    {
        if (relu) TensorPrimitives.Max(z, T.Zero, h);
        else SimdUnary.Apply(new TanhSimdOperator<T>(), z, h);
    }

    /// <summary>dz = dh⊙act'(z) from the output h: 1 − h² for tanh, 1[h &gt; 0] for ReLU (0 at z = 0).</summary>
    public static void Backward<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> dh, Span<T> dz, bool relu) where T : IFloatingPointIeee754<T>
    {
        if (relu) SimdBinary.Apply(new ReluBackwardOperator<T>(), dh, h, dz);
        else SimdBinary.Apply(new TanhBackwardOperator<T>(), dh, h, dz);
    }
}
