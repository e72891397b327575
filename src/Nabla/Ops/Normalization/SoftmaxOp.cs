using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y_i = exp(x_i − max x) / Σ_j exp(x_j − max x) along one dim. ∂L/∂x = y ⊙ (g − Σ_j g_j·y_j) (g = ∂L/∂y),
/// computed in O(n) per row from the saved output, never through the n×n Jacobian.
/// </summary>
internal sealed class SoftmaxOp : Node
{
    private Tensor _output = null!;
    private int _dim;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x, int dim)
    {
        var y = SoftmaxCore.Forward("Softmax", x, dim, log: false, out int d);
        return new SoftmaxOp { _output = y.Detach(), _dim = d }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [SoftmaxCore.Backward(_output, gradOutput, _dim, log: false)];
}

/// <summary>Shared plumbing of <see cref="SoftmaxOp"/> and <see cref="LogSoftmaxOp"/>: views the tensor as
/// [outer, n, inner] around the softmax dim and runs <see cref="SoftmaxKernel"/>.</summary>
internal static class SoftmaxCore
{
    public static (int Outer, int N, int Inner) Split(ReadOnlySpan<int> shape, int d)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape.Length == 0 ? 1 : shape[d], inner);
    }

    public static Tensor Forward(string op, Tensor x, int dim, bool log, out int d)
    {
        Dispatch.Floating(op, x);
        d = ShapeUtil.WrapDim(dim, x.Rank, op);
        var (outer, n, inner) = Split(x.Shape, d);
        var c = x.ContiguousRaw();
        var y = OpBuffers.Uninitialized(x.Shape.ToArray(), x.DType);
        if (x.DType == DType.Float32) SoftmaxKernel.Forward(c.AsSpan<float>(), y.AsSpan<float>(), outer, n, inner, log);
        else SoftmaxKernel.Forward(c.AsSpan<double>(), y.AsSpan<double>(), outer, n, inner, log);
        return y;
    }

    public static Tensor Backward(Tensor output, Tensor gradOutput, int d, bool log)
    {
        var (outer, n, inner) = Split(output.Shape, d);
        var g = gradOutput.ContiguousRaw();
        var dx = OpBuffers.Uninitialized(output.Shape.ToArray(), output.DType);
        if (output.DType == DType.Float32) SoftmaxKernel.Backward(output.AsSpan<float>(), g.AsSpan<float>(), dx.AsSpan<float>(), outer, n, inner, log);
        else SoftmaxKernel.Backward(output.AsSpan<double>(), g.AsSpan<double>(), dx.AsSpan<double>(), outer, n, inner, log);
        return dx;
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Softmax along <paramref name="dim"/> (numerically stable; like <c>torch.softmax</c>). ∂L/∂x = y ⊙ (g − Σ (g ⊙ y)) along dim, y the output.</summary>
        public Tensor Softmax(int dim = -1) => SoftmaxOp.Forward(x, dim);
    }
}
