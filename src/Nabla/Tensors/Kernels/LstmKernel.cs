using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// The element-wise part of one LSTM step for one batch row, gates in PyTorch's order [i | f | g | o] (each H wide):
/// i = σ(zᵢ), f = σ(z_f), g = tanh(z_g), o = σ(z_o); c' = f⊙c + i⊙g; h' = o⊙act(c'), act = tanh (or ReLU for the
/// textbook variant h = ReLU(s)·q). The GEMMs that produce z live with the callers.
/// </summary>
public static class LstmKernel
{
    /// <summary>Activates <paramref name="gates"/> [4H] in place and writes c', act(c') and h' [H].</summary>
    public static void ForwardRow<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> h, Span<T> c, Span<T> cellAct, bool relu)
        where T : IFloatingPointIeee754<T>
    {
        int hs = cPrev.Length;
        TensorPrimitives.Sigmoid(gates[..(2 * hs)], gates[..(2 * hs)]);
        TensorPrimitives.Tanh(gates.Slice(2 * hs, hs), gates.Slice(2 * hs, hs));
        TensorPrimitives.Sigmoid(gates.Slice(3 * hs, hs), gates.Slice(3 * hs, hs));
        var i = gates[..hs];
        var f = gates.Slice(hs, hs);
        var g = gates.Slice(2 * hs, hs);
        var o = gates.Slice(3 * hs, hs);
        TensorPrimitives.Multiply(f, cPrev, c);
        TensorPrimitives.FusedMultiplyAdd(i, g, c, c);                         // c' = f⊙c + i⊙g
        if (relu) TensorPrimitives.Max(c, T.Zero, cellAct);
        else TensorPrimitives.Tanh(c, cellAct);
        TensorPrimitives.Multiply(o, cellAct, h);                              // h' = o⊙act(c')
    }

    /// <summary>
    /// Backward of <see cref="ForwardRow"/> from the activated gates, c and a = act(c'): with ∂L/∂h' = dh and
    /// ∂L/∂c' = dc (from later steps), dĉ = dc + dh⊙o⊙act'(c'); dz = [dĉ⊙g⊙i(1−i), dĉ⊙c⊙f(1−f), dĉ⊙i⊙(1−g²),
    /// dh⊙a⊙o(1−o)] and ∂L/∂c = dĉ⊙f. act' is 1 − a² for tanh, 1[a &gt; 0] for ReLU.
    /// </summary>
    public static void BackwardRow<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> cellAct,
        ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, Span<T> dz, Span<T> dcPrev, bool relu)
        where T : IFloatingPointIeee754<T>
    {
        int hs = cPrev.Length;
        for (int j = 0; j < hs; j++)
        {
            T i = gates[j], f = gates[hs + j], g = gates[2 * hs + j], o = gates[3 * hs + j], a = cellAct[j];
            T dAct = relu ? (a > T.Zero ? T.One : T.Zero) : T.One - a * a;
            T dcTotal = dc[j] + dh[j] * o * dAct;
            dz[j] = dcTotal * g * i * (T.One - i);
            dz[hs + j] = dcTotal * cPrev[j] * f * (T.One - f);
            dz[2 * hs + j] = dcTotal * i * (T.One - g * g);
            dz[3 * hs + j] = dh[j] * a * o * (T.One - o);
            dcPrev[j] = dcTotal * f;
        }
    }
}
