
namespace Nabla.NN;

/// <summary>y = tanh(x). Shape: any → same.</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input) => input.Tanh();
}
