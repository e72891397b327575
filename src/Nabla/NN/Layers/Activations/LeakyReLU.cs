
namespace Nabla.NN;

/// <summary>y = x for x > 0, NegativeSlope·x otherwise. Shape: any → same.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module, IInPlaceActivation
{
    /// <summary>Slope for x &lt; 0 (PyTorch default 0.01).</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    void IInPlaceActivation.ApplyInPlace(Tensor input) => LeakyReluOp.ApplyInPlace(input, NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"negative_slope={NegativeSlope}";
}
