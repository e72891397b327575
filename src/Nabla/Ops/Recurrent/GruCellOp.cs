using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// One fused GRU step, PyTorch's equations (gate order r, z, n): a = x·W_ihᵀ + b_ih, b = h·W_hhᵀ + b_hh [N, 3H];
/// r = σ(a_r + b_r), z = σ(a_z + b_z), n = tanh(a_n + r⊙b_n), h' = (1−z)⊙n + z⊙h.
/// Backward (dGi, dGh from <see cref="GruKernel.BackwardRow{T}"/>): ∂L/∂x = dGi·W_ih, ∂L/∂h = dh'⊙z + dGh·W_hh,
/// ∂L/∂W_ih = dGiᵀ·x, ∂L/∂W_hh = dGhᵀ·h, ∂L/∂b_ih = Σ_n dGi, ∂L/∂b_hh = Σ_n dGh.
/// </summary>
internal sealed class GruCellOp : Node
{
    private Tensor _input = null!, _hx = null!, _weightIh = null!, _weightHh = null!;
    private Tensor _gates = null!, _hn = null!;   // activated [r z n] [N, 3H]; b_n = (h·W_hhᵀ + b_hh)_n [N, H]
    private protected override Tensor?[] Saved => [_input, _hx, _weightIh, _weightHh, _gates, _hn];

    public static Tensor Forward(Tensor input, Tensor hx, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        int h = RecurrentCore.CheckCell("GRUCell", 3, input, hx, null, weightIh, weightHh, biasIh, biasHh);
        int n = input.Size(0);
        var x = input.ContiguousRaw();
        var hp = hx.ContiguousRaw();
        var gates = OpBuffers.Uninitialized([n, 3 * h], input.DType);
        var hn = OpBuffers.Uninitialized([n, h], input.DType);
        var y = OpBuffers.Uninitialized([n, h], input.DType);
        if (input.DType == DType.Float32) Run<float>(x, hp, weightIh, weightHh, biasIh, biasHh, gates, hn, y);
        else Run<double>(x, hp, weightIh, weightHh, biasIh, biasHh, gates, hn, y);
        if (!WillRecord(input, hx, weightIh, weightHh, biasIh, biasHh)) return y;
        return new GruCellOp
        {
            _input = x.Detach(), _hx = hp.Detach(), _weightIh = weightIh.Detach(), _weightHh = weightHh.Detach(), _gates = gates, _hn = hn,
        }.Record(y, input, hx, weightIh, weightHh, biasIh, biasHh);
    }

    private static void Run<T>(Tensor x, Tensor hp, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, Tensor gates, Tensor hn, Tensor y)
        where T : IFloatingPointIeee754<T>
    {
        int n = x.Size(0), h = hp.Size(1), g = 3 * h;
        var gi = new T[n * g];
        var gh = new T[n * g];
        RecurrentCore.Project(x, wIh, bIh, null, gi, 0, n, 0);
        RecurrentCore.Project(hp, wHh, bHh, null, gh, 0, n, 0);
        var hs = hp.AsSpan<T>();
        var gs = gates.AsSpan<T>();
        var hns = hn.AsSpan<T>();
        var ys = y.AsSpan<T>();
        for (int r = 0; r < n; r++)
            GruKernel.ForwardRow<T>(gi.AsSpan(r * g, g), gh.AsSpan(r * g, g), hs.Slice(r * h, h), gs.Slice(r * g, g), hns.Slice(r * h, h), ys.Slice(r * h, h));
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        int n = _hx.Size(0), h = _hx.Size(1);
        var g = gradOutput.ContiguousRaw();
        var dGi = OpBuffers.Uninitialized([n, 3 * h], g.DType);
        var dGh = OpBuffers.Uninitialized([n, 3 * h], g.DType);
        var dh = OpBuffers.Uninitialized([n, h], g.DType);
        if (g.DType == DType.Float32) Rows<float>(g, dGi, dGh, dh);
        else Rows<double>(g, dGi, dGh, dh);
        return
        [
            NeedsGrad(0) ? dGi.MatMul(_weightIh) : null,
            NeedsGrad(1) ? dh + dGh.MatMul(_weightHh) : null,
            NeedsGrad(2) ? dGi.T.MatMul(_input) : null,
            NeedsGrad(3) ? dGh.T.MatMul(_hx) : null,
            NeedsGrad(4) ? dGi.Sum(0) : null,
            NeedsGrad(5) ? dGh.Sum(0) : null,
        ];
    }

    private void Rows<T>(Tensor g, Tensor dGi, Tensor dGh, Tensor dh) where T : IFloatingPointIeee754<T>
    {
        int n = _hx.Size(0), h = _hx.Size(1), w = 3 * h;
        var gs = g.AsSpan<T>();
        var gates = _gates.AsSpan<T>();
        var hn = _hn.AsSpan<T>();
        var hp = _hx.AsSpan<T>();
        var gi = dGi.AsSpan<T>();
        var gh = dGh.AsSpan<T>();
        var dhs = dh.AsSpan<T>();
        for (int r = 0; r < n; r++)
            GruKernel.BackwardRow<T>(gates.Slice(r * w, w), hn.Slice(r * h, h), hp.Slice(r * h, h), gs.Slice(r * h, h),
                gi.Slice(r * w, w), gh.Slice(r * w, w), dhs.Slice(r * h, h));
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>One GRU step (torch's _VF.gru_cell) → h' [N, H]; see <see cref="GruCellOp"/>. Derivatives by the chain rule through the gates (σ′ = σ(1 − σ), tanh′ = 1 − tanh²), to the input, the hidden state, both weights and biases.</summary>
        public Tensor GruCell(Tensor hx, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null) =>
            GruCellOp.Forward(input, hx, weightIh, weightHh, biasIh, biasHh);
    }
}
