using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = eˣ. ∂y/∂x = eˣ = y (saved output).</summary>
internal sealed class ExpOp : Node
{
    private Tensor _output = null!;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Exp", x, new ExpOperator<float>(), new ExpOperator<double>());
        return new ExpOp { _output = y.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _output];
}

/// <summary>y = ln x. ∂y/∂x = 1/x.</summary>
internal sealed class LogOp : Node
{
    private Tensor _input = null!;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Log", x, new LogOperator<float>(), new LogOperator<double>());
        return new LogOp { _input = x.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput / _input];
}

/// <summary>y = √x. ∂y/∂x = 1/(2√x) = 1/(2y) (saved output; infinite at x = 0).</summary>
internal sealed class SqrtOp : Node
{
    private Tensor _output = null!;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Sqrt", x, new SqrtOperator<float>(), new SqrtOperator<double>());
        return new SqrtOp { _output = y.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * 0.5 / _output];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>eˣ element-wise. ∂/∂x = eˣ, from the saved output.</summary>
        public Tensor Exp() => ExpOp.Forward(x);

        /// <summary>Natural logarithm element-wise (−∞ at 0, NaN below). ∂/∂x = 1/x.</summary>
        public Tensor Log() => LogOp.Forward(x);

        /// <summary>Square root element-wise (NaN below 0). ∂/∂x = 1/(2√x), from the saved output.</summary>
        public Tensor Sqrt() => SqrtOp.Forward(x);
    }
}
