using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// Y = X·Wᵀ + b for X [N, in], W [out, in], b [out] (fused: one GEMM that adds the bias to each strip of Y as it
/// finishes; <see cref="ForwardRelu"/> also rectifies it there, for Sequential's no-grad Linear → ReLU).
/// ∂L/∂X = G·W, ∂L/∂W = Gᵀ·X, ∂L/∂b = Σ_n G.
/// </summary>
/// <remarks>Inputs of rank > 2 are flattened to [N·..., in] and the result reshaped back, like F.linear.</remarks>
internal sealed class LinearOp : Node
{
    private Tensor _input = null!, _weight = null!;
    private protected override Tensor?[] Saved => [NeedsGrad(1) ? _input : null, NeedsGrad(0) ? _weight : null];

    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias)
    {
        Dispatch.SameDType("Linear", input, weight);
        Dispatch.Floating("Linear", input);
        if (weight.Rank != 2 || input.Rank < 1 || input.Size(-1) != weight.Size(1))
            throw ShapeMismatchException.For("Linear", "input's last dim must equal weight's dim 1 (weight is [out, in])", input.Shape.ToArray(), weight.Shape.ToArray());
        if (bias is not null && (bias.Rank != 1 || bias.Size(0) != weight.Size(0)))
            throw ShapeMismatchException.For("Linear", "bias must be [out]", weight.Shape.ToArray(), bias.Shape.ToArray());
        if (input.Rank != 2)
        {
            var lead = input.Shape[..^1].ToArray();
            var y2 = Forward(input.Reshape(-1, input.Size(-1)), weight, bias);
            return y2.Reshape([.. lead, weight.Size(0)]);
        }
        var x = input.ContiguousRaw();
        var w = weight.ContiguousRaw();
        int n = x.Size(0), k = x.Size(1), m = w.Size(0);
        var y = Product(x, w, bias, relu: false);
        if (!WillRecord(input, weight, bias)) return y;
        return new LinearOp { _input = x.Detach(), _weight = w.Detach() }.Record(y, input, weight, bias);
    }

    /// <summary>relu(X·Wᵀ + b) in one GEMM, recording nothing: the same values as <see cref="Forward"/> followed by
    /// ReLU (the epilogue uses ReLU's operator). For a 2-d contiguous-able input under no-grad only.</summary>
    internal static Tensor ForwardRelu(Tensor input, Tensor weight, Tensor? bias)
    {
        if (GradMode.IsEnabled) throw new InvalidOperationException("Linear+ReLU fusion records no graph: call it under no-grad only");
        if (input.Rank != 2 || input.DType != weight.DType || !input.DType.IsFloatingPoint() || weight.Rank != 2 || input.Size(1) != weight.Size(1)
            || (bias is not null && (bias.Rank != 1 || bias.Size(0) != weight.Size(0))))
            return Forward(input, weight, bias).Relu();   // any refusal is Forward's, with its message
        return Product(input.ContiguousRaw(), weight.ContiguousRaw(), bias, relu: true);
    }

    /// <summary>Y = X·Wᵀ (+ b) (then max(·, 0)) with the bias and rectification in the GEMM's epilogue.</summary>
    private static Tensor Product(Tensor x, Tensor w, Tensor? bias, bool relu)
    {
        int n = x.Size(0), k = x.Size(1), m = w.Size(0);
        var y = OpBuffers.Uninitialized([n, m], x.DType);   // beta = 0 overwrites every element
        if (x.DType == DType.Float32) Run<float>(x, w, bias, y, n, k, m, relu);
        else Run<double>(x, w, bias, y, n, k, m, relu);
        return y;
    }

    private static void Run<T>(Tensor x, Tensor w, Tensor? bias, Tensor y, int n, int k, int m, bool relu) where T : unmanaged, INumber<T> =>
        Gemm.WithEpilogue<T>(false, true, n, m, k, T.One, x.AsSpan<T>(), k, w.AsSpan<T>(), k, T.Zero, y.AsSpan<T>(), m,
            bias is null ? default : bias.ContiguousRaw().AsSpan<T>(), relu);

    /// <summary>
    /// One GEMM per needed gradient on the contiguous G [N, out]: ∂X = G·W [N, in], ∂W = Gᵀ·X [out, in],
    /// ∂b = column sums of G. ∂W and ∂b go straight into a parameter's existing gradient buffer when there is one
    /// (GEMM with beta = 1, sums added in place), so a training step allocates no parameter-sized arrays.
    /// </summary>
    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        return g.DType == DType.Float32 ? BackwardCore<float>(g) : BackwardCore<double>(g);
    }

    private Tensor?[] BackwardCore<T>(Tensor g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = _input.Size(0), k = _input.Size(1), m = _weight.Size(0);
        var gs = g.AsSpan<T>();
        Tensor? gx = null, gw = null, gb = null;
        if (NeedsGrad(0))
        {
            gx = OpBuffers.Uninitialized([n, k], g.DType);
            GemmT(false, false, n, k, m, gs, m, _weight.AsSpan<T>(), k, T.Zero, gx.AsSpan<T>(), k);
        }
        if (NeedsGrad(1))
        {
            var acc = LeafGradBuffer(1);
            var dst = acc ?? (gw = OpBuffers.Uninitialized([m, k], g.DType));
            GemmT(true, false, m, k, n, gs, m, _input.AsSpan<T>(), k, acc is null ? T.Zero : T.One, dst.AsSpan<T>(), k);
        }
        if (NeedsGrad(2))
        {
            var acc = LeafGradBuffer(2);
            gb = OpBuffers.Uninitialized([m], g.DType);
            Reduce.SumDim<T>(gs, 1, n, m, gb.AsSpan<T>());
            if (acc is not null)
            {
                System.Numerics.Tensors.TensorPrimitives.Add<T>(acc.AsSpan<T>(), gb.AsSpan<T>(), acc.AsSpan<T>());
                gb = null;
            }
        }
        return [gx, gw, gb];
    }

    /// <summary>C = op(A)·op(B) + beta·C in T (float or double).</summary>
    private static void GemmT<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Gemm.Sgemm(transA, transB, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                Unsafe.As<T, float>(ref beta), MemoryMarshal.Cast<T, float>(c), ldc);
        else
            Gemm.Dgemm(transA, transB, m, n, k, 1.0, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                Unsafe.As<T, double>(ref beta), MemoryMarshal.Cast<T, double>(c), ldc);
    }
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>F.linear: input·weightᵀ + bias, weight [out, in]. ∂L/∂x = g·W, ∂L/∂W = gᵀ·x, ∂L/∂b = Σ_rows g, for the upstream gradient g.</summary>
        public Tensor Linear(Tensor weight, Tensor? bias = null) => LinearOp.Forward(input, weight, bias);
    }
}
