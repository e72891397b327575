using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>Reductions over one dim of a contiguous array viewed as [outer, reduced, inner].</summary>
public static class Reduce
{
    /// <summary>dst[o, i] = Σ_j src[o, j, i]; dst has outer·inner elements.</summary>
    public static void SumDim<T>(ReadOnlySpan<T> src, int outer, int reduced, int inner, Span<T> dst) where T : IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * reduced, reduced));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            if (reduced == 0) { d.Clear(); continue; }
            src.Slice(o * reduced * inner, inner).CopyTo(d);
            for (int j = 1; j < reduced; j++) TensorPrimitives.Add(d, src.Slice((o * reduced + j) * inner, inner), d);
        }
    }
}
