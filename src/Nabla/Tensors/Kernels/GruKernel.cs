using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The element-wise part of one GRU step for one batch row (PyTorch's equations, gate order [r | z | n]):
/// r = σ(a_r + b_r), z = σ(a_z + b_z), n = tanh(a_n + r⊙b_n), h' = (1−z)⊙n + z⊙h, where a = W_ih·x + b_ih and
/// b = W_hh·h + b_hh are the two [3H] projections.
/// </summary>
internal static class GruKernel
{
    /// <summary>Writes the activated gates [r, z, n] [3H], b_n [H] (kept for backward) and h' [H].</summary>
    public static void ForwardRow<T>(ReadOnlySpan<T> gi, ReadOnlySpan<T> gh, ReadOnlySpan<T> hPrev, Span<T> gates, Span<T> hn, Span<T> h)
        where T : IFloatingPointIeee754<T>
    {
        int hs = hPrev.Length;
        var rz = gates[..(2 * hs)];
        TensorPrimitives.Add(gi[..(2 * hs)], gh[..(2 * hs)], rz);
        SimdUnary.Apply(new SigmoidSimdOperator<T>(), rz, rz);
        var r = gates[..hs];
        var z = gates.Slice(hs, hs);
        var n = gates.Slice(2 * hs, hs);
        gh.Slice(2 * hs, hs).CopyTo(hn);
        TensorPrimitives.FusedMultiplyAdd(r, hn, gi.Slice(2 * hs, hs), n);    // a_n + r⊙b_n
        SimdUnary.Apply(new TanhSimdOperator<T>(), n, n);
        TensorPrimitives.Subtract(hPrev, n, h);
        TensorPrimitives.FusedMultiplyAdd(z, h, n, h);                          // h' = n + z⊙(h − n)
    }

    /// <summary>
    /// Backward of <see cref="ForwardRow"/> given dh = ∂L/∂h': dn̂ = dh⊙(1−z)⊙(1−n²); dGi = [dr̂, dẑ, dn̂],
    /// dGh = [dr̂, dẑ, dn̂⊙r] with dr̂ = dn̂⊙b_n⊙r(1−r), dẑ = dh⊙(h − n)⊙z(1−z); the direct part ∂L/∂h = dh⊙z
    /// (the caller adds dGh·W_hh).
    /// </summary>
    public static void BackwardRow<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> hn, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh,
        Span<T> dGi, Span<T> dGh, Span<T> dhPrev) where T : IFloatingPointIeee754<T>
    {
        int hs = hPrev.Length;
        for (int j = 0; j < hs; j++)
        {
            T r = gates[j], z = gates[hs + j], n = gates[2 * hs + j], d = dh[j];
            T dn = d * (T.One - z) * (T.One - n * n);
            T dr = dn * hn[j] * r * (T.One - r);
            T dzz = d * (hPrev[j] - n) * z * (T.One - z);
            dGi[j] = dr; dGi[hs + j] = dzz; dGi[2 * hs + j] = dn;
            dGh[j] = dr; dGh[hs + j] = dzz; dGh[2 * hs + j] = dn * r;
            dhPrev[j] = d * z;
        }
    }
}
