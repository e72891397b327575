using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// GELU in three forms, chosen by <c>approximate</c>:
/// "none": y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)); ∂y/∂x = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
/// "tanh": y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's approximation) = x·σ(u), u = 2√(2/π)(x + 0.044715x³);
///         ∂y/∂x = σ(u) + x·σ(u)(1 − σ(u))·u'(x).
/// "sigmoid": y = x·σ(1.702x) (the course's approximation); ∂y/∂x = σ + 1.702x·σ(1 − σ), σ = σ(1.702x).
/// </summary>
internal sealed class GeluOp : Node
{
    private enum Approximation { None, Tanh, Sigmoid }

    private Tensor _input = null!;
    private Approximation _form;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, GeluApproximation approximate)
    {
        var form = Form(approximate);
        var y = Map(x, form);
        return new GeluOp { _input = x.Detach(), _form = form }.Record(y, x);
    }

    /// <summary>The forward's values written over x (see <see cref="ReluOp.ApplyInPlace"/>).</summary>
    internal static void ApplyInPlace(Tensor x, GeluApproximation approximate) => Map(x, Form(approximate), x);

    private static Approximation Form(GeluApproximation approximate) => approximate switch
    {
        GeluApproximation.None => Approximation.None,
        GeluApproximation.Tanh => Approximation.Tanh,
        GeluApproximation.Sigmoid => Approximation.Sigmoid,
        _ => throw new ArgumentOutOfRangeException(nameof(approximate), approximate, "Gelu: not a defined GeluApproximation"),
    };

    private static Tensor Map(Tensor x, Approximation form, Tensor? into = null) => form switch
    {
        Approximation.None => Elementwise.Map("Gelu", x, new GeluErfOperator(), new GeluErfOperator(), into),
        Approximation.Tanh => Elementwise.Map("Gelu", x, new GeluTanhOperator<float>(), new GeluTanhOperator<double>(), into),
        _ => Elementwise.Map("Gelu", x, new GeluSigmoidOperator<float>(), new GeluSigmoidOperator<double>(), into),
    };

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        _form switch
        {
            Approximation.None => Elementwise.Zip(gradOutput, _input, new GeluErfBackwardOperator(), new GeluErfBackwardOperator()),
            Approximation.Tanh => Elementwise.Zip(gradOutput, _input, new GeluTanhBackwardOperator<float>(), new GeluTanhBackwardOperator<double>()),
            _ => Elementwise.Zip(gradOutput, _input, new GeluSigmoidBackwardOperator<float>(), new GeluSigmoidBackwardOperator<double>()),
        },
    ];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Gaussian error linear unit; approximate = None (exact, via erf), Tanh or Sigmoid (x·σ(1.702x)). ∂/∂x = Φ(x) + x·φ(x) (exact), or the derivative of the tanh/sigmoid approximation when one is chosen.</summary>
        public Tensor Gelu(GeluApproximation approximate = GeluApproximation.None) => GeluOp.Forward(x, approximate);
    }
}
