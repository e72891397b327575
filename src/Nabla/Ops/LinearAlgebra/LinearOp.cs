using Nabla.Autograd;
using Nabla.Tensors;
using Nabla.Tensors.Kernels;

namespace Nabla.Ops;

/// <summary>
/// Y = X·Wᵀ + b for X [N, in], W [out, in], b [out] (fused: one GEMM with the bias preloaded into Y).
/// ∂L/∂X = G·W, ∂L/∂W = Gᵀ·X, ∂L/∂b = Σ_n G.
/// </summary>
/// <remarks>Inputs of rank > 2 are flattened to [N·..., in] and the result reshaped back, like F.linear.</remarks>
public sealed class LinearOp : Node
{
    private Tensor _input = null!, _weight = null!;

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
        var y = Tensor.Empty([n, m], x.DType);
        if (x.DType == DType.Float32) Run<float>(x, w, bias, y, n, k, m);
        else Run<double>(x, w, bias, y, n, k, m);
        return new LinearOp { _input = input.Detach(), _weight = weight.Detach() }.Record(y, input, weight, bias);
    }

    /// <summary>Y = bias rows (or 0), then Y += X·Wᵀ in one GEMM (beta = 1 when a bias was preloaded).</summary>
    private static void Run<T>(Tensor x, Tensor w, Tensor? bias, Tensor y, int n, int k, int m) where T : System.Numerics.INumber<T>
    {
        var ys = y.AsSpan<T>();
        if (bias is not null)
        {
            var b = bias.ContiguousRaw().AsSpan<T>();
            for (int i = 0; i < n; i++) b.CopyTo(ys.Slice(i * m, m));
        }
        float beta = bias is null ? 0f : 1f;
        if (typeof(T) == typeof(float))
            Gemm.Sgemm(false, true, n, m, k, 1f, x.AsSpan<float>(), k, w.AsSpan<float>(), k, beta, y.AsSpan<float>(), m);
        else
            Gemm.Dgemm(false, true, n, m, k, 1.0, x.AsSpan<double>(), k, w.AsSpan<double>(), k, beta, y.AsSpan<double>(), m);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? gradOutput.MatMul(_weight) : null,
        NeedsGrad(1) ? gradOutput.T.MatMul(_input) : null,
        NeedsGrad(2) ? gradOutput.Sum(0) : null,
    ];
}

public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>F.linear: input·weightᵀ + bias, weight [out, in].</summary>
        public Tensor Linear(Tensor weight, Tensor? bias = null) => LinearOp.Forward(input, weight, bias);
    }
}
