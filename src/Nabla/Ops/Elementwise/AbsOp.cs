using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = |x|. ∂y/∂x = sign(x), taken as 0 at x = 0 (the subgradient PyTorch uses).</summary>
internal sealed class AbsOp : Node
{
    private Tensor _input = null!;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Abs", x, new AbsOperator<float>(), new AbsOperator<double>());
        return new AbsOp { _input = x.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [Elementwise.Zip(gradOutput, _input, new AbsBackwardOperator<float>(), new AbsBackwardOperator<double>())];
}

/// <summary>y = x². ∂y/∂x = 2x.</summary>
internal sealed class SquareOp : Node
{
    private Tensor _input = null!;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Square", x, new SquareOperator<float>(), new SquareOperator<double>());
        return new SquareOp { _input = x.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _input * 2.0];
}

/// <summary>y = 1/x. ∂y/∂x = −1/x² = −y² (saved output).</summary>
internal sealed class ReciprocalOp : Node
{
    private Tensor _output = null!;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Reciprocal", x, new ReciprocalOperator<float>(), new ReciprocalOperator<double>());
        return new ReciprocalOp { _output = y.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [-(gradOutput * _output * _output)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>|x| element-wise. ∂/∂x = sign(x) (0 at x = 0).</summary>
        public Tensor Abs() => AbsOp.Forward(x);

        /// <summary>x² element-wise. ∂/∂x = 2x.</summary>
        public Tensor Square() => SquareOp.Forward(x);

        /// <summary>1/x element-wise. ∂/∂x = −1/x².</summary>
        public Tensor Reciprocal() => ReciprocalOp.Forward(x);
    }
}
