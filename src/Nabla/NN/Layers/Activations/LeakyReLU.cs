
namespace Nabla.NN;

/// <summary>y = x for x > 0, NegativeSlope·x otherwise. Shape: any → same.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    public double NegativeSlope { get; } = negativeSlope;

    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    protected override string ExtraRepr() => $"negative_slope={NegativeSlope}";
}
