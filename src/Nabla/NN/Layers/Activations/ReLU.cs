
namespace Nabla.NN;

/// <summary>y = max(x, 0). Shape: any → same.</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor input) => input.Relu();
}
