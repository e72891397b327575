using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = max(x, 0). ∂y/∂x = 1[x &gt; 0], read from the saved output (y &gt; 0 ⇔ x &gt; 0); relu'(0) = 0.</summary>
internal sealed class ReluOp : Node
{
    private Tensor _output = null!;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x)
    {
        var y = Map(x);
        return new ReluOp { _output = y.Detach() }.Record(y, x);
    }

    private static Tensor Map(Tensor x, Tensor? into = null) => Elementwise.Map("Relu", x, new ReluOperator<float>(), new ReluOperator<double>(), into);

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [Elementwise.Zip(gradOutput, _output, new ReluBackwardOperator<float>(), new ReluBackwardOperator<double>())];

    /// <summary>x = max(x, 0) in place, not recorded (a contiguous tensor nobody else holds: Sequential's no-grad
    /// forward), with the same operator, so the same values, as <see cref="Forward"/>.</summary>
    internal static void ApplyInPlace(Tensor x) => Map(x, x);
}

/// <summary>y = x if x &gt; 0 else s·x. ∂y/∂x = 1 if x &gt; 0 else s (s at x = 0).</summary>
internal sealed class LeakyReluOp : Node
{
    private Tensor _input = null!;
    private double _slope;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, double negativeSlope)
    {
        var y = Map(x, negativeSlope);
        return new LeakyReluOp { _input = x.Detach(), _slope = negativeSlope }.Record(y, x);
    }

    /// <summary>The forward's values written over x (see <see cref="ReluOp.ApplyInPlace"/>).</summary>
    internal static void ApplyInPlace(Tensor x, double negativeSlope) => Map(x, negativeSlope, x);

    private static Tensor Map(Tensor x, double s, Tensor? into = null) =>
        Elementwise.Map("LeakyRelu", x, new LeakyReluOperator<float>((float)s), new LeakyReluOperator<double>(s), into);

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        Elementwise.Zip(gradOutput, _input, new LeakyReluBackwardOperator<float>((float)_slope), new LeakyReluBackwardOperator<double>(_slope)),
    ];
}

/// <summary>y = x if x &gt; 0 else α(eˣ − 1). ∂y/∂x = 1 if x &gt; 0 else α·eˣ (α at x = 0, so continuous for α = 1).</summary>
internal sealed class EluOp : Node
{
    private Tensor _input = null!;
    private double _alpha;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, double alpha)
    {
        var y = Map(x, alpha);
        return new EluOp { _input = x.Detach(), _alpha = alpha }.Record(y, x);
    }

    /// <summary>The forward's values written over x (see <see cref="ReluOp.ApplyInPlace"/>).</summary>
    internal static void ApplyInPlace(Tensor x, double alpha) => Map(x, alpha, x);

    private static Tensor Map(Tensor x, double alpha, Tensor? into = null) =>
        Elementwise.Map("Elu", x, new EluOperator<float>((float)alpha), new EluOperator<double>(alpha), into);

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        Elementwise.Zip(gradOutput, _input, new EluBackwardOperator<float>((float)_alpha), new EluBackwardOperator<double>(_alpha)),
    ];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>max(x, 0) element-wise. ∂/∂x = 1[x &gt; 0] (0 at x = 0, as PyTorch).</summary>
        public Tensor Relu() => ReluOp.Forward(x);

        /// <summary>x where x &gt; 0, negativeSlope·x elsewhere. ∂/∂x = 1 for x &gt; 0, negativeSlope otherwise.</summary>
        public Tensor LeakyRelu(double negativeSlope = 0.01) => LeakyReluOp.Forward(x, negativeSlope);

        /// <summary>x where x &gt; 0, alpha·(eˣ − 1) elsewhere. ∂/∂x = 1 for x &gt; 0, α·eˣ = y + α otherwise.</summary>
        public Tensor Elu(double alpha = 1.0) => EluOp.Forward(x, alpha);
    }
}
