using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// One fused Elman RNN step: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or ReLU; x [N, I], h [N, H].
/// With dz = ∂L/∂h'⊙act' (act' = 1 − h'² for tanh, 1[h' &gt; 0] for ReLU, from the saved output):
/// ∂L/∂x = dz·W_ih, ∂L/∂h = dz·W_hh, ∂L/∂W_ih = dzᵀ·x, ∂L/∂W_hh = dzᵀ·h, ∂L/∂b_ih = ∂L/∂b_hh = Σ_n dz.
/// </summary>
internal sealed class RnnCellOp : Node
{
    private Tensor _input = null!, _hx = null!, _weightIh = null!, _weightHh = null!, _output = null!;
    private bool _relu;
    private protected override Tensor?[] Saved => [_input, _hx, _weightIh, _weightHh, _output];

    public static Tensor Forward(Tensor input, Tensor hx, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh,
        RecurrentActivation nonlinearity = RecurrentActivation.Tanh)
    {
        int h = RecurrentCore.CheckCell("RNNCell", 1, input, hx, null, weightIh, weightHh, biasIh, biasHh);
        int n = input.Size(0);
        var x = input.ContiguousRaw();
        var hp = hx.ContiguousRaw();
        var y = OpBuffers.Uninitialized([n, h], input.DType);
        bool relu = nonlinearity == RecurrentActivation.Relu;
        if (input.DType == DType.Float32) Run<float>(x, hp, weightIh, weightHh, biasIh, biasHh, y, relu);
        else Run<double>(x, hp, weightIh, weightHh, biasIh, biasHh, y, relu);
        if (!WillRecord(input, hx, weightIh, weightHh, biasIh, biasHh)) return y;
        return new RnnCellOp
        {
            _input = x.Detach(), _hx = hp.Detach(), _weightIh = weightIh.Detach(), _weightHh = weightHh.Detach(),
            _output = y.Detach(), _relu = relu,
        }.Record(y, input, hx, weightIh, weightHh, biasIh, biasHh);
    }

    private static void Run<T>(Tensor x, Tensor hp, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, Tensor y, bool relu)
        where T : IFloatingPointIeee754<T>
    {
        int n = x.Size(0);
        var z = y.Storage<T>();
        RecurrentCore.Project(x, wIh, bIh, bHh, z, 0, n, 0);
        RecurrentCore.Project<T>(hp, wHh, null, null, z, 0, n, 1);
        RnnKernel.Forward<T>(y.AsSpan<T>(), y.AsSpan<T>(), relu);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        var dz = OpBuffers.Uninitialized(_output.Shape.ToArray(), g.DType);
        if (g.DType == DType.Float32) RnnKernel.Backward<float>(_output.AsSpan<float>(), g.AsSpan<float>(), dz.AsSpan<float>(), _relu);
        else RnnKernel.Backward<double>(_output.AsSpan<double>(), g.AsSpan<double>(), dz.AsSpan<double>(), _relu);
        var db = NeedsGrad(4) || NeedsGrad(5) ? dz.Sum(0) : null;
        return
        [
            NeedsGrad(0) ? dz.MatMul(_weightIh) : null,
            NeedsGrad(1) ? dz.MatMul(_weightHh) : null,
            NeedsGrad(2) ? dz.T.MatMul(_input) : null,
            NeedsGrad(3) ? dz.T.MatMul(_hx) : null,
            NeedsGrad(4) ? db : null,
            NeedsGrad(5) ? db : null,
        ];
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>One Elman RNN step (torch's rnn_tanh_cell / rnn_relu_cell) → h' [N, H]; see <see cref="RnnCellOp"/>. ∂h'/∂(pre-activation) = 1 − h'² (tanh) or 1[h' &gt; 0] (relu); then to x, h, the weights and biases by the chain rule.</summary>
        public Tensor RnnCell(Tensor hx, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null,
            RecurrentActivation nonlinearity = RecurrentActivation.Tanh) =>
            RnnCellOp.Forward(input, hx, weightIh, weightHh, biasIh, biasHh, nonlinearity);
    }
}
