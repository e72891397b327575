using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// GELU in three forms, chosen by <c>approximate</c>:
/// "none": y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)); ∂y/∂x = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
/// "tanh": y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's approximation) = x·σ(u), u = 2√(2/π)(x + 0.044715x³);
///         ∂y/∂x = σ(u) + x·σ(u)(1 − σ(u))·u'(x).
/// "sigmoid": y = x·σ(1.702x) (the course's approximation); ∂y/∂x = σ + 1.702x·σ(1 − σ), σ = σ(1.702x).
/// </summary>
public sealed class GeluOp : Node
{
    private enum Approximation { None, Tanh, Sigmoid }

    private Tensor _input = null!;
    private Approximation _form;

    public static Tensor Forward(Tensor x, string approximate)
    {
        var form = approximate switch
        {
            "none" => Approximation.None,
            "tanh" => Approximation.Tanh,
            "sigmoid" => Approximation.Sigmoid,
            _ => throw new ArgumentException($"Gelu: approximate must be \"none\", \"tanh\" or \"sigmoid\", got \"{approximate}\"", nameof(approximate)),
        };
        var y = form switch
        {
            Approximation.None => Elementwise.Map("Gelu", x, new GeluErfOperator(), new GeluErfOperator()),
            Approximation.Tanh => Elementwise.Map("Gelu", x, new GeluTanhOperator<float>(), new GeluTanhOperator<double>()),
            _ => Elementwise.Map("Gelu", x, new GeluSigmoidOperator<float>(), new GeluSigmoidOperator<double>()),
        };
        return new GeluOp { _input = x.Detach(), _form = form }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
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
        /// <summary>Gaussian error linear unit; approximate = "none" (exact, via erf), "tanh" or "sigmoid" (x·σ(1.702x)).</summary>
        public Tensor Gelu(string approximate = "none") => GeluOp.Forward(x, approximate);
    }
}
