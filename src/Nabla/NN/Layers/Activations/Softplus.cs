
namespace Nabla.NN;

/// <summary>y = log(1 + e^(βx))/β (linear above Threshold). Shape: any → same.</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module
{
    /// <summary>β (default 1); larger values approach ReLU.</summary>
    public double Beta { get; } = beta;
    /// <summary>Above β·x > Threshold the output is x itself, for stability (default 20).</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softplus(Beta, Threshold);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"beta={Beta}, threshold={Threshold}";
}
