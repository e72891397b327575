
namespace Nabla.NN;

/// <summary>y = log(1 + e^(βx))/β (linear above Threshold). Shape: any → same.</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module
{
    public double Beta { get; } = beta;
    public double Threshold { get; } = threshold;

    public override Tensor Forward(Tensor input) => input.Softplus(Beta, Threshold);

    protected override string ExtraRepr() => $"beta={Beta}, threshold={Threshold}";
}
