using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// A whole GRU layer over a sequence with backprop through time, from the input projections A = X·W_ihᵀ + b_ih
/// ([N, T, 3H] batch-first or [T, N, 3H]): per step B_t = h_{t−1}·W_hhᵀ + b_hh and the <see cref="GruCellOp"/>
/// equations → h_t. Output: every h_t, [N, T, H] (or [T, N, H]). Backward for t = T..1 with
/// dh = ∂L/∂h_t + carry: (dGi, dGh) from <see cref="GruKernel.BackwardRow{T}"/>, ∂L/∂A_t = dGi,
/// carry = dh⊙z + dGh·W_hh; ∂L/∂W_hh = Σ_t dGh_tᵀ·h_{t−1}; ∂L/∂b_hh = Σ_{t,n} dGh_t; ∂L/∂h₀ = the final carry.
/// </summary>
internal sealed class GruLayerOp : Node
{
    private Tensor _h0 = null!, _weightHh = null!, _output = null!;
    private Array _gates = null!, _hn = null!;   // activated [r z n] [T, N, 3H], b_n [T, N, H], time-major
    private SeqLayout _state, _proj;
    private protected override Tensor?[] Saved => [_h0, _weightHh, _output];

    public static Tensor Forward(Tensor inputProj, Tensor h0, Tensor weightHh, Tensor? biasHh, bool batchFirst)
    {
        var (steps, n, h) = RecurrentLayer.Check("GRU", 3, inputProj, h0, weightHh, biasHh, batchFirst);
        var y = OpBuffers.Uninitialized(batchFirst ? [n, steps, h] : [steps, n, h], inputProj.DType);
        var node = new GruLayerOp
        {
            _h0 = h0.ContiguousRaw().Detach(), _weightHh = weightHh.Detach(), _output = y.Detach(),
            _state = new SeqLayout(steps, n, h, batchFirst), _proj = new SeqLayout(steps, n, 3 * h, batchFirst),
        };
        if (inputProj.DType == DType.Float32) node.Run<float>(inputProj, biasHh, y);
        else node.Run<double>(inputProj, biasHh, y);
        if (!WillRecord(inputProj, h0, weightHh, biasHh)) return y;
        return node.Record(y, inputProj, h0, weightHh, biasHh);
    }

    private void Run<T>(Tensor inputProj, Tensor? biasHh, Tensor y) where T : IFloatingPointIeee754<T>
    {
        int steps = _state.Steps, n = _state.Batch, h = _state.Width, g = 3 * h;
        var (a, aOff) = RecurrentCore.Raw<T>(inputProj);
        var ys = y.Storage<T>();
        var gates = GC.AllocateUninitializedArray<T>(steps * n * g);
        var hn = GC.AllocateUninitializedArray<T>(steps * n * h);
        var gh = new T[n * g];
        var h0 = _h0.Storage<T>();
        for (int t = 0; t < steps; t++)
        {
            var hPrev = t == 0 ? _h0 : _output.AsStrided([n, h], [_state.Ld, 1], _state.Step(t - 1));
            RecurrentCore.Project(hPrev, _weightHh, biasHh, null, gh, 0, n, 0);   // B_t = h_{t−1}·W_hhᵀ + b_hh
            for (int r = 0; r < n; r++)
            {
                var hp = t == 0 ? h0.AsSpan(_h0.Offset + r * h, h) : ys.AsSpan(_state.Row(t - 1, r), h);
                GruKernel.ForwardRow<T>(a.AsSpan(aOff + _proj.Row(t, r), g), gh.AsSpan(r * g, g), hp,
                    gates.AsSpan((t * n + r) * g, g), hn.AsSpan((t * n + r) * h, h), ys.AsSpan(_state.Row(t, r), h));
            }
        }
        _gates = gates;
        _hn = hn;
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        return g.DType == DType.Float32 ? Bptt<float>(g) : Bptt<double>(g);
    }

    private Tensor?[] Bptt<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        int steps = _state.Steps, n = _state.Batch, h = _state.Width, g = 3 * h;
        var dt = gradOutput.DType;
        var gy = gradOutput.Storage<T>();
        int gyOff = gradOutput.Offset;
        var gates = (T[])_gates;
        var hn = (T[])_hn;
        var ys = _output.Storage<T>();
        var h0 = _h0.Storage<T>();
        var (w, wOff) = RecurrentCore.Raw<T>(_weightHh);
        var dA = OpBuffers.Uninitialized(_proj.BatchFirst ? [n, steps, g] : [steps, n, g], dt);
        var da = dA.Storage<T>();
        var dGh = OpBuffers.Uninitialized([steps, n, g], dt);      // time-major
        var dgh = dGh.Storage<T>();
        var carry = new T[n * h];
        var dh = new T[h];
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int r = 0; r < n; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(gy.AsSpan(gyOff + _state.Row(t, r), h), carry.AsSpan(r * h, h), dh);
                var hp = t == 0 ? h0.AsSpan(_h0.Offset + r * h, h) : ys.AsSpan(_state.Row(t - 1, r), h);
                GruKernel.BackwardRow<T>(gates.AsSpan((t * n + r) * g, g), hn.AsSpan((t * n + r) * h, h), hp, dh,
                    da.AsSpan(_proj.Row(t, r), g), dgh.AsSpan((t * n + r) * g, g), carry.AsSpan(r * h, h));
            }
            RecurrentGemm.Run(false, false, n, h, g, dgh, t * n * g, g, w, wOff, h, 1, carry, 0, h);   // += dGh_t·W_hh
        }
        return
        [
            NeedsGrad(0) ? dA : null,
            NeedsGrad(1) ? new Tensor(carry, [n, h]) : null,
            NeedsGrad(2) ? RecurrentLayer.GradWeightHh<T>(dgh, new SeqLayout(steps, n, g, false), ys, _state, _h0, dt) : null,
            NeedsGrad(3) ? dGh.Reshape(-1, g).Sum(0) : null,
        ];
    }
}

public static partial class TensorOps
{
    extension(Tensor inputProj)
    {
        /// <summary>A GRU layer over a sequence from its input projections; see <see cref="GruLayerOp"/>. Derivatives by backpropagation through time: the GRU cell's chain rule per step, gradients of the shared weights summed over steps.</summary>
        public Tensor GruLayer(Tensor h0, Tensor weightHh, Tensor? biasHh, bool batchFirst) =>
            GruLayerOp.Forward(inputProj, h0, weightHh, biasHh, batchFirst);
    }
}
