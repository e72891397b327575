using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// One fused LSTM step (PyTorch's gate order i, f, g, o): z = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh [N, 4H] (two GEMMs);
/// i, f, o = σ(z), g = tanh(z) (or σ(z), <see cref="LstmCandidateActivation.Sigmoid"/>); c' = f⊙c + i⊙g; h' = o⊙act(c') with act = tanh (PyTorch) or ReLU (h = ReLU(s)·q).
/// Output: h' and c' stacked, [2, N, H]. Backward (dz from <see cref="LstmKernel.BackwardRow{T}"/>):
/// ∂L/∂x = dz·W_ih, ∂L/∂h = dz·W_hh, ∂L/∂c = dĉ⊙f, ∂L/∂W_ih = dzᵀ·x, ∂L/∂W_hh = dzᵀ·h, ∂L/∂b_ih = ∂L/∂b_hh = Σ_n dz.
/// </summary>
internal sealed class LstmCellOp : Node
{
    private Tensor _input = null!, _hx = null!, _cx = null!, _weightIh = null!, _weightHh = null!;
    private Tensor _gates = null!, _cellAct = null!;   // activated [i f g o] [N, 4H]; act(c') [N, H]
    private bool _relu, _sigmoidCandidate;
    private protected override Tensor?[] Saved => [_input, _hx, _cx, _weightIh, _weightHh, _gates, _cellAct];

    public static Tensor Forward(Tensor input, Tensor hx, Tensor cx, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh,
        RecurrentActivation cellActivation = RecurrentActivation.Tanh, LstmCandidateActivation candidateActivation = LstmCandidateActivation.Tanh)
    {
        int h = RecurrentCore.CheckCell("LSTMCell", 4, input, hx, cx, weightIh, weightHh, biasIh, biasHh);
        int n = input.Size(0);
        var x = input.ContiguousRaw();
        var hp = hx.ContiguousRaw();
        var cp = cx.ContiguousRaw();
        var gates = OpBuffers.Uninitialized([n, 4 * h], input.DType);
        var y = OpBuffers.Uninitialized([2, n, h], input.DType);       // [h'; c']
        var cellAct = OpBuffers.Uninitialized([n, h], input.DType);
        bool relu = cellActivation == RecurrentActivation.Relu, sigmoidCandidate = candidateActivation == LstmCandidateActivation.Sigmoid;
        if (input.DType == DType.Float32) Run<float>(x, hp, cp, weightIh, weightHh, biasIh, biasHh, gates, y, cellAct, relu, sigmoidCandidate);
        else Run<double>(x, hp, cp, weightIh, weightHh, biasIh, biasHh, gates, y, cellAct, relu, sigmoidCandidate);
        if (!WillRecord(input, hx, cx, weightIh, weightHh, biasIh, biasHh)) return y;
        return new LstmCellOp
        {
            _input = x.Detach(), _hx = hp.Detach(), _cx = cp.Detach(), _weightIh = weightIh.Detach(), _weightHh = weightHh.Detach(),
            _gates = gates, _cellAct = cellAct, _relu = relu, _sigmoidCandidate = sigmoidCandidate,
        }.Record(y, input, hx, cx, weightIh, weightHh, biasIh, biasHh);
    }

    private static void Run<T>(Tensor x, Tensor hp, Tensor cp, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh,
        Tensor gates, Tensor y, Tensor cellAct, bool relu, bool sigmoidCandidate) where T : IFloatingPointIeee754<T>
    {
        int n = x.Size(0), h = hp.Size(1);
        var z = gates.Storage<T>();
        RecurrentCore.Project(x, wIh, bIh, bHh, z, 0, n, 0);
        RecurrentCore.Project<T>(hp, wHh, null, null, z, 0, n, 1);
        var c = cp.AsSpan<T>();
        var ys = y.AsSpan<T>();
        var a = cellAct.AsSpan<T>();
        for (int r = 0; r < n; r++)
            LstmKernel.ForwardRow(z.AsSpan(r * 4 * h, 4 * h), c.Slice(r * h, h), ys.Slice(r * h, h), ys.Slice((n + r) * h, h), a.Slice(r * h, h), relu, sigmoidCandidate);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        int n = _hx.Size(0), h = _hx.Size(1);
        var g = gradOutput.ContiguousRaw();
        var dz = OpBuffers.Uninitialized([n, 4 * h], g.DType);
        var dc = OpBuffers.Uninitialized([n, h], g.DType);
        if (g.DType == DType.Float32) Rows<float>(g, dz, dc);
        else Rows<double>(g, dz, dc);
        var db = NeedsGrad(5) || NeedsGrad(6) ? dz.Sum(0) : null;
        return
        [
            NeedsGrad(0) ? dz.MatMul(_weightIh) : null,
            NeedsGrad(1) ? dz.MatMul(_weightHh) : null,
            NeedsGrad(2) ? dc : null,
            NeedsGrad(3) ? dz.T.MatMul(_input) : null,
            NeedsGrad(4) ? dz.T.MatMul(_hx) : null,
            NeedsGrad(5) ? db : null,
            NeedsGrad(6) ? db : null,
        ];
    }

    private void Rows<T>(Tensor g, Tensor dz, Tensor dc) where T : IFloatingPointIeee754<T>
    {
        int n = _hx.Size(0), h = _hx.Size(1);
        var gs = g.AsSpan<T>();
        var gates = _gates.AsSpan<T>();
        var c = _cx.AsSpan<T>();
        var a = _cellAct.AsSpan<T>();
        var dzs = dz.AsSpan<T>();
        var dcs = dc.AsSpan<T>();
        for (int r = 0; r < n; r++)
            LstmKernel.BackwardRow<T>(gates.Slice(r * 4 * h, 4 * h), c.Slice(r * h, h), a.Slice(r * h, h),
                gs.Slice(r * h, h), gs.Slice((n + r) * h, h), dzs.Slice(r * 4 * h, 4 * h), dcs.Slice(r * h, h), _relu, _sigmoidCandidate);
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>One LSTM step (torch's _VF.lstm_cell): returns (h', c'), each [N, H]; see <see cref="LstmCellOp"/>. Derivatives by the chain rule through the gates: with c' = f⊙c + i⊙g and h' = o⊙act(c'), ∂c'/∂c = f, ∂h'/∂o = act(c'), gates through σ′ = σ(1 − σ).</summary>
        public (Tensor H, Tensor C) LstmCell(Tensor hx, Tensor cx, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null,
            RecurrentActivation cellActivation = RecurrentActivation.Tanh, LstmCandidateActivation candidateActivation = LstmCandidateActivation.Tanh)
        {
            var y = LstmCellOp.Forward(input, hx, cx, weightIh, weightHh, biasIh, biasHh, cellActivation, candidateActivation);
            return (y.Select(0, 0), y.Select(0, 1));
        }
    }
}
