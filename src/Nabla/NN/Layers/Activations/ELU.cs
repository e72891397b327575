
namespace Nabla.NN;

/// <summary>y = x for x > 0, α·(eˣ − 1) otherwise. Shape: any → same.</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    public double Alpha { get; } = alpha;

    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    protected override string ExtraRepr() => $"alpha={Alpha}";
}
