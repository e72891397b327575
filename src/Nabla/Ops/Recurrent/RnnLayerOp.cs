using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// A whole Elman RNN layer over a sequence with backprop through time, from the input projections
/// A = X·W_ihᵀ + b_ih ([N, T, H] batch-first or [T, N, H]): h_t = act(A_t + b_hh + h_{t−1}·W_hhᵀ), act = tanh or ReLU.
/// Output: every h_t, shaped like A. Backward for t = T..1: dz_t = (∂L/∂h_t + carry)⊙act'(h_t), ∂L/∂A_t = dz_t,
/// carry = dz_t·W_hh; ∂L/∂W_hh = Σ_t dz_tᵀ·h_{t−1}; ∂L/∂b_hh = Σ_{t,n} dz_t; ∂L/∂h₀ = the final carry.
/// </summary>
internal sealed class RnnLayerOp : Node
{
    private Tensor _h0 = null!, _weightHh = null!, _output = null!;
    private SeqLayout _state;
    private bool _relu;
    private protected override Tensor?[] Saved => [_h0, _weightHh, _output];

    public static Tensor Forward(Tensor inputProj, Tensor h0, Tensor weightHh, Tensor? biasHh, bool batchFirst,
        RecurrentActivation nonlinearity = RecurrentActivation.Tanh)
    {
        var (steps, n, h) = RecurrentLayer.Check("RNN", 1, inputProj, h0, weightHh, biasHh, batchFirst);
        var y = OpBuffers.Uninitialized(batchFirst ? [n, steps, h] : [steps, n, h], inputProj.DType);
        var node = new RnnLayerOp
        {
            _h0 = h0.ContiguousRaw().Detach(), _weightHh = weightHh.Detach(), _output = y.Detach(),
            _state = new SeqLayout(steps, n, h, batchFirst), _relu = nonlinearity == RecurrentActivation.Relu,
        };
        if (inputProj.DType == DType.Float32) node.Run<float>(inputProj, biasHh, y);
        else node.Run<double>(inputProj, biasHh, y);
        if (!WillRecord(inputProj, h0, weightHh, biasHh)) return y;
        return node.Record(y, inputProj, h0, weightHh, biasHh);
    }

    private void Run<T>(Tensor inputProj, Tensor? biasHh, Tensor y) where T : IFloatingPointIeee754<T>
    {
        int n = _state.Batch, h = _state.Width;
        var (a, aOff) = RecurrentCore.Raw<T>(inputProj);
        var (w, wOff) = RecurrentCore.Raw<T>(_weightHh);
        T[]? b = biasHh?.ContiguousRaw().AsSpan<T>().ToArray();
        var ys = y.Storage<T>();
        for (int t = 0; t < _state.Steps; t++)
        {
            for (int r = 0; r < n; r++)
            {
                int row = _state.Row(t, r);
                if (b is { } bb) System.Numerics.Tensors.TensorPrimitives.Add(a.AsSpan(aOff + row, h), bb, ys.AsSpan(row, h));
                else a.AsSpan(aOff + row, h).CopyTo(ys.AsSpan(row, h));
            }
            if (t == 0) RecurrentGemm.Run(false, true, n, h, h, _h0.Storage<T>(), _h0.Offset, h, w, wOff, h, 1, ys, _state.Step(0), _state.Ld);
            else RecurrentGemm.Run(false, true, n, h, h, ys, _state.Step(t - 1), _state.Ld, w, wOff, h, 1, ys, _state.Step(t), _state.Ld);
            for (int r = 0; r < n; r++)
                RnnKernel.Forward<T>(ys.AsSpan(_state.Row(t, r), h), ys.AsSpan(_state.Row(t, r), h), _relu);
        }
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        return g.DType == DType.Float32 ? Bptt<float>(g) : Bptt<double>(g);
    }

    private Tensor?[] Bptt<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        int n = _state.Batch, h = _state.Width;
        var gy = gradOutput.Storage<T>();
        int gyOff = gradOutput.Offset;
        var ys = _output.Storage<T>();
        var (w, wOff) = RecurrentCore.Raw<T>(_weightHh);
        var dA = OpBuffers.Uninitialized(_output.Shape.ToArray(), gradOutput.DType);
        var da = dA.Storage<T>();
        var carry = new T[n * h];
        var dh = new T[h];
        for (int t = _state.Steps - 1; t >= 0; t--)
        {
            for (int r = 0; r < n; r++)
            {
                int row = _state.Row(t, r);
                System.Numerics.Tensors.TensorPrimitives.Add(gy.AsSpan(gyOff + row, h), carry.AsSpan(r * h, h), dh);
                RnnKernel.Backward<T>(ys.AsSpan(row, h), dh, da.AsSpan(row, h), _relu);
            }
            RecurrentGemm.Run(false, false, n, h, h, da, _state.Step(t), _state.Ld, w, wOff, h, 0, carry, 0, h);   // dz_t·W_hh
        }
        return
        [
            NeedsGrad(0) ? dA : null,
            NeedsGrad(1) ? new Tensor(carry, [n, h]) : null,
            NeedsGrad(2) ? RecurrentLayer.GradWeightHh<T>(da, _state, ys, _state, _h0, gradOutput.DType) : null,
            NeedsGrad(3) ? dA.Reshape(-1, h).Sum(0) : null,
        ];
    }
}

public static partial class TensorOps
{
    extension(Tensor inputProj)
    {
        /// <summary>An Elman RNN layer over a sequence from its input projections; see <see cref="RnnLayerOp"/>. Derivatives by backpropagation through time: the cell's derivative per step, gradients of the shared weights summed over steps.</summary>
        public Tensor RnnLayer(Tensor h0, Tensor weightHh, Tensor? biasHh, bool batchFirst, RecurrentActivation nonlinearity = RecurrentActivation.Tanh) =>
            RnnLayerOp.Forward(inputProj, h0, weightHh, biasHh, batchFirst, nonlinearity);
    }
}
