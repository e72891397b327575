using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// A whole LSTM layer over a sequence with backprop through time, from the input projections
/// A = X·W_ihᵀ + b_ih (one big GEMM outside, [N, T, 4H] batch-first or [T, N, 4H]):
/// for t = 1..T: z_t = A_t + h_{t−1}·W_hhᵀ + b_hh, then the <see cref="LstmCellOp"/> step → h_t, c_t (candidate g = tanh or σ).
/// Output: [2, N, T, H] (or [2, T, N, H]): every h_t then every c_t. Backward walks t = T..1 carrying ∂L/∂h, ∂L/∂c:
/// dz_t from <see cref="LstmKernel.BackwardRow{T}"/>, ∂L/∂A_t = dz_t, ∂L/∂h_{t−1} += dz_t·W_hh,
/// ∂L/∂W_hh = Σ_t dz_tᵀ·h_{t−1}, ∂L/∂b_hh = Σ_{t,n} dz_t; ∂L/∂h₀, ∂L/∂c₀ are the carries left at t = 0.
/// </summary>
internal sealed class LstmLayerOp : Node
{
    private Tensor _h0 = null!, _c0 = null!, _weightHh = null!, _output = null!;
    private Array _gates = null!, _cellAct = null!;   // activated gates [T, N, 4H], act(c_t) [T, N, H], time-major
    private SeqLayout _state, _proj;
    private bool _relu, _sigmoidCandidate;
    private protected override Tensor?[] Saved => [_h0, _c0, _weightHh, _output];

    public static Tensor Forward(Tensor inputProj, Tensor h0, Tensor c0, Tensor weightHh, Tensor? biasHh, bool batchFirst,
        RecurrentActivation cellActivation = RecurrentActivation.Tanh, LstmCandidateActivation candidateActivation = LstmCandidateActivation.Tanh)
    {
        const string op = "LSTM";
        var (steps, n, h) = RecurrentLayer.Check(op, 4, inputProj, h0, weightHh, biasHh, batchFirst);
        RecurrentCore.CheckState(op, "c0", c0, n, h);
        Dispatch.SameDType(op, inputProj, c0);
        var y = OpBuffers.Uninitialized(batchFirst ? [2, n, steps, h] : [2, steps, n, h], inputProj.DType);
        var node = new LstmLayerOp
        {
            _h0 = h0.ContiguousRaw().Detach(), _c0 = c0.ContiguousRaw().Detach(), _weightHh = weightHh.Detach(),
            _state = new SeqLayout(steps, n, h, batchFirst), _proj = new SeqLayout(steps, n, 4 * h, batchFirst),
            _relu = cellActivation == RecurrentActivation.Relu, _output = y.Detach(),
            _sigmoidCandidate = candidateActivation == LstmCandidateActivation.Sigmoid,
        };
        if (inputProj.DType == DType.Float32) node.Run<float>(inputProj, biasHh, y);
        else node.Run<double>(inputProj, biasHh, y);
        if (!WillRecord(inputProj, h0, c0, weightHh, biasHh)) return y;
        return node.Record(y, inputProj, h0, c0, weightHh, biasHh);
    }

    private void Run<T>(Tensor inputProj, Tensor? biasHh, Tensor y) where T : IFloatingPointIeee754<T>
    {
        int steps = _state.Steps, n = _state.Batch, h = _state.Width, g = 4 * h, cBase = n * steps * h;
        var (a, aOff) = RecurrentCore.Raw<T>(inputProj);
        var (w, wOff) = RecurrentCore.Raw<T>(_weightHh);
        T[]? b = biasHh?.ContiguousRaw().AsSpan<T>().ToArray();
        var gates = GC.AllocateUninitializedArray<T>(steps * n * g);
        var cellAct = GC.AllocateUninitializedArray<T>(steps * n * h);
        var ys = y.Storage<T>();
        var h0 = _h0.Storage<T>();
        var c0 = _c0.Storage<T>();
        for (int t = 0; t < steps; t++)
        {
            // z_t = A_t + b_hh + h_{t−1}·W_hhᵀ
            for (int r = 0; r < n; r++)
            {
                var src = a.AsSpan(aOff + _proj.Row(t, r), g);
                var dst = gates.AsSpan((t * n + r) * g, g);
                if (b is { } bb) System.Numerics.Tensors.TensorPrimitives.Add(src, bb, dst);
                else src.CopyTo(dst);
            }
            if (t == 0) RecurrentGemm.Run(false, true, n, g, h, h0, _h0.Offset, h, w, wOff, h, 1, gates, 0, g);
            else RecurrentGemm.Run(false, true, n, g, h, ys, _state.Step(t - 1), _state.Ld, w, wOff, h, 1, gates, t * n * g, g);
            for (int r = 0; r < n; r++)
            {
                var cPrev = t == 0 ? c0.AsSpan(_c0.Offset + r * h, h) : ys.AsSpan(cBase + _state.Row(t - 1, r), h);
                LstmKernel.ForwardRow(gates.AsSpan((t * n + r) * g, g), cPrev, ys.AsSpan(_state.Row(t, r), h),
                    ys.AsSpan(cBase + _state.Row(t, r), h), cellAct.AsSpan((t * n + r) * h, h), _relu, _sigmoidCandidate);
            }
        }
        _gates = gates;
        _cellAct = cellAct;
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        return g.DType == DType.Float32 ? Bptt<float>(g) : Bptt<double>(g);
    }

    private Tensor?[] Bptt<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        int steps = _state.Steps, n = _state.Batch, h = _state.Width, g = 4 * h, cBase = n * steps * h;
        var dt = gradOutput.DType;
        var gy = gradOutput.Storage<T>();
        int gyOff = gradOutput.Offset;
        var gates = (T[])_gates;
        var cellAct = (T[])_cellAct;
        var ys = _output.Storage<T>();
        var (w, wOff) = RecurrentCore.Raw<T>(_weightHh);
        var dA = OpBuffers.Uninitialized(_proj.BatchFirst ? [n, steps, g] : [steps, n, g], dt);   // ∂L/∂A, laid out as A
        var da = dA.Storage<T>();
        var dhCarry = new T[n * h];
        var dcCarry = new T[n * h];
        var dh = new T[h];
        var dc = new T[h];
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int r = 0; r < n; r++)
            {
                int row = _state.Row(t, r);
                System.Numerics.Tensors.TensorPrimitives.Add(gy.AsSpan(gyOff + row, h), dhCarry.AsSpan(r * h, h), dh);
                System.Numerics.Tensors.TensorPrimitives.Add(gy.AsSpan(gyOff + cBase + row, h), dcCarry.AsSpan(r * h, h), dc);
                var cPrev = t == 0 ? _c0.Storage<T>().AsSpan(_c0.Offset + r * h, h) : ys.AsSpan(cBase + _state.Row(t - 1, r), h);
                LstmKernel.BackwardRow<T>(gates.AsSpan((t * n + r) * g, g), cPrev, cellAct.AsSpan((t * n + r) * h, h), dh, dc,
                    da.AsSpan(_proj.Row(t, r), g), dcCarry.AsSpan(r * h, h), _relu, _sigmoidCandidate);
            }
            // ∂L/∂h_{t−1} = dz_t·W_hh
            RecurrentGemm.Run(false, false, n, h, g, da, _proj.Step(t), _proj.Ld, w, wOff, h, 0, dhCarry, 0, h);
        }
        return
        [
            NeedsGrad(0) ? dA : null,
            NeedsGrad(1) ? new Tensor(dhCarry, [n, h]) : null,
            NeedsGrad(2) ? new Tensor(dcCarry, [n, h]) : null,
            NeedsGrad(3) ? RecurrentLayer.GradWeightHh<T>(da, _proj, ys, _state, _h0, dt) : null,
            NeedsGrad(4) ? dA.Reshape(-1, g).Sum(0) : null,
        ];
    }
}

public static partial class TensorOps
{
    extension(Tensor inputProj)
    {
        /// <summary>An LSTM layer over a sequence from its input projections x·W_ihᵀ + b_ih; see <see cref="LstmLayerOp"/>.
        /// Returns (all h_t, all c_t), each [N, T, H] (batch-first) or [T, N, H]. Derivatives by backpropagation through time: the LSTM cell's chain rule per step, gradients of the shared weights summed over steps.</summary>
        public (Tensor H, Tensor C) LstmLayer(Tensor h0, Tensor c0, Tensor weightHh, Tensor? biasHh, bool batchFirst,
            RecurrentActivation cellActivation = RecurrentActivation.Tanh, LstmCandidateActivation candidateActivation = LstmCandidateActivation.Tanh)
        {
            var y = LstmLayerOp.Forward(inputProj, h0, c0, weightHh, biasHh, batchFirst, cellActivation, candidateActivation);
            return (y.Select(0, 0), y.Select(0, 1));
        }
    }
}
