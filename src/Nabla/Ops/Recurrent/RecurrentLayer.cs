using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>Checks and the weight gradient shared by the sequence-level recurrent ops.</summary>
internal static class RecurrentLayer
{
    /// <summary>Checks A [N, T, G·H] (or [T, N, G·H]), h₀ [N, H], W_hh [G·H, H], b_hh [G·H]; returns (T, N, H).</summary>
    public static (int Steps, int Batch, int Hidden) Check(string op, int gateCount, Tensor inputProj, Tensor h0, Tensor weightHh, Tensor? biasHh, bool batchFirst)
    {
        Dispatch.Floating(op, inputProj);
        foreach (var t in new[] { h0, weightHh, biasHh })
            if (t is not null) Dispatch.SameDType(op, inputProj, t);
        if (weightHh.Rank != 2 || weightHh.Size(0) != gateCount * weightHh.Size(1))
            throw ShapeMismatchException.For(op, $"weight_hh must be [{gateCount}·hidden, hidden]", weightHh.Shape.ToArray());
        int h = weightHh.Size(1);
        if (inputProj.Rank != 3 || inputProj.Size(2) != gateCount * h)
            throw ShapeMismatchException.For(op, $"input projections must be [{(batchFirst ? "N, T" : "T, N")}, {gateCount}·hidden = {gateCount * h}]",
                inputProj.Shape.ToArray(), weightHh.Shape.ToArray());
        int steps = inputProj.Size(batchFirst ? 1 : 0), n = inputProj.Size(batchFirst ? 0 : 1);
        if (steps == 0) throw ShapeMismatchException.For(op, "the sequence must have at least one step", inputProj.Shape.ToArray());
        RecurrentCore.CheckState(op, "h0", h0, n, h);
        RecurrentCore.CheckBias(op, biasHh, gateCount * h);
        return (steps, n, h);
    }

    /// <summary>∂L/∂W_hh = Σ_t dZ_tᵀ·h_{t−1} [G, H]: one GEMM per step over the batch (h₋₁ = h₀ at t = 0).
    /// <paramref name="dz"/> is laid out by <paramref name="proj"/>, the hidden states by <paramref name="state"/>.</summary>
    public static Tensor GradWeightHh<T>(T[] dz, SeqLayout proj, T[] hs, SeqLayout state, Tensor h0, DType dtype) where T : IFloatingPointIeee754<T>
    {
        int g = proj.Width, h = state.Width, n = state.Batch;
        var dw = OpBuffers.Uninitialized([g, h], dtype);
        var dws = dw.Storage<T>();
        for (int t = 0; t < state.Steps; t++)
        {
            if (t == 0) RecurrentGemm.Run(true, false, g, h, n, dz, proj.Step(0), proj.Ld, h0.Storage<T>(), h0.Offset, h, 0, dws, 0, h);
            else RecurrentGemm.Run(true, false, g, h, n, dz, proj.Step(t), proj.Ld, hs, state.Step(t - 1), state.Ld, 1, dws, 0, h);
        }
        return dw;
    }
}
