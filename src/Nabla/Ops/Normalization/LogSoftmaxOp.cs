
namespace Nabla;

/// <summary>
/// y_i = x_i − log Σ_j exp x_j = (x_i − max x) − log Σ_j exp(x_j − max x) along one dim.
/// ∂L/∂x = g − softmax(x) ⊙ Σ_j g_j, with softmax(x) = exp(y) from the saved output (O(n) per row).
/// </summary>
internal sealed class LogSoftmaxOp : Node
{
    private Tensor _output = null!;
    private int _dim;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x, int dim)
    {
        var y = SoftmaxCore.Forward("LogSoftmax", x, dim, log: true, out int d);
        return new LogSoftmaxOp { _output = y.Detach(), _dim = d }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [SoftmaxCore.Backward(_output, gradOutput, _dim, log: true)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Log-softmax along <paramref name="dim"/> (stable for large inputs; like <c>torch.log_softmax</c>). ∂L/∂x = g − softmax(x)·Σ g along dim.</summary>
        public Tensor LogSoftmax(int dim = -1) => LogSoftmaxOp.Forward(x, dim);
    }
}
