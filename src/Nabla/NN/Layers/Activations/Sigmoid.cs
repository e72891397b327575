
namespace Nabla.NN;

/// <summary>y = σ(x) = 1/(1 + e^(−x)). Shape: any → same.</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
