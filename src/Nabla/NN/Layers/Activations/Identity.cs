
namespace Nabla.NN;

/// <summary>y = x. Shape: any → same.</summary>
public sealed class Identity : Module
{
    public override Tensor Forward(Tensor input) => input;
}
