using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = σ(x) = 1/(1 + e⁻ˣ). ∂y/∂x = y(1 − y) (saved output).</summary>
internal sealed class SigmoidOp : Node
{
    private Tensor _output = null!;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x)
    {
        var y = Map(x);
        return new SigmoidOp { _output = y.Detach() }.Record(y, x);
    }

    /// <summary>The forward's values written over x (see <see cref="ReluOp.ApplyInPlace"/>).</summary>
    internal static void ApplyInPlace(Tensor x) => Map(x, x);

    private static Tensor Map(Tensor x, Tensor? into = null) => Elementwise.Map("Sigmoid", x, new SigmoidOperator<float>(), new SigmoidOperator<double>(), into);

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [Elementwise.Zip(gradOutput, _output, new SigmoidBackwardOperator<float>(), new SigmoidBackwardOperator<double>())];
}

/// <summary>y = tanh x. ∂y/∂x = 1 − y² (saved output).</summary>
internal sealed class TanhOp : Node
{
    private Tensor _output = null!;
    private protected override Tensor?[] Saved => [_output];

    public static Tensor Forward(Tensor x)
    {
        var y = Map(x);
        return new TanhOp { _output = y.Detach() }.Record(y, x);
    }

    /// <summary>The forward's values written over x (see <see cref="ReluOp.ApplyInPlace"/>).</summary>
    internal static void ApplyInPlace(Tensor x) => Map(x, x);

    private static Tensor Map(Tensor x, Tensor? into = null) => Elementwise.Map("Tanh", x, new TanhOperator<float>(), new TanhOperator<double>(), into);

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [Elementwise.Zip(gradOutput, _output, new TanhBackwardOperator<float>(), new TanhBackwardOperator<double>())];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>The logistic sigmoid 1/(1 + e⁻ˣ) element-wise. ∂/∂x = σ(x)(1 − σ(x)), from the saved output.</summary>
        public Tensor Sigmoid() => SigmoidOp.Forward(x);

        /// <summary>tanh x element-wise. ∂/∂x = 1 − tanh²(x), from the saved output.</summary>
        public Tensor Tanh() => TanhOp.Forward(x);
    }
}
