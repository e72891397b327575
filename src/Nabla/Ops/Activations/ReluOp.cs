using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = max(x, 0). ∂y/∂x = 1[x &gt; 0], read from the saved output (y &gt; 0 ⇔ x &gt; 0); relu'(0) = 0.</summary>
public sealed class ReluOp : Node
{
    private Tensor _output = null!;

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Relu", x, new ReluOperator<float>(), new ReluOperator<double>());
        return new ReluOp { _output = y.Detach() }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
        [Elementwise.Zip(gradOutput, _output, new ReluBackwardOperator<float>(), new ReluBackwardOperator<double>())];
}

/// <summary>y = x if x &gt; 0 else s·x. ∂y/∂x = 1 if x &gt; 0 else s (s at x = 0).</summary>
public sealed class LeakyReluOp : Node
{
    private Tensor _input = null!;
    private double _slope;

    public static Tensor Forward(Tensor x, double negativeSlope)
    {
        var y = Elementwise.Map("LeakyRelu", x, new LeakyReluOperator<float>((float)negativeSlope), new LeakyReluOperator<double>(negativeSlope));
        return new LeakyReluOp { _input = x.Detach(), _slope = negativeSlope }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        Elementwise.Zip(gradOutput, _input, new LeakyReluBackwardOperator<float>((float)_slope), new LeakyReluBackwardOperator<double>(_slope)),
    ];
}

/// <summary>y = x if x &gt; 0 else α(eˣ − 1). ∂y/∂x = 1 if x &gt; 0 else α·eˣ (α at x = 0, so continuous for α = 1).</summary>
public sealed class EluOp : Node
{
    private Tensor _input = null!;
    private double _alpha;

    public static Tensor Forward(Tensor x, double alpha)
    {
        var y = Elementwise.Map("Elu", x, new EluOperator<float>((float)alpha), new EluOperator<double>(alpha));
        return new EluOp { _input = x.Detach(), _alpha = alpha }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        Elementwise.Zip(gradOutput, _input, new EluBackwardOperator<float>((float)_alpha), new EluBackwardOperator<double>(_alpha)),
    ];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>max(x, 0) element-wise.</summary>
        public Tensor Relu() => ReluOp.Forward(x);

        /// <summary>x where x &gt; 0, negativeSlope·x elsewhere.</summary>
        public Tensor LeakyRelu(double negativeSlope = 0.01) => LeakyReluOp.Forward(x, negativeSlope);

        /// <summary>x where x &gt; 0, alpha·(eˣ − 1) elsewhere.</summary>
        public Tensor Elu(double alpha = 1.0) => EluOp.Forward(x, alpha);
    }
}
