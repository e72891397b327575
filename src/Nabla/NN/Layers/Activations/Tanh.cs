
namespace Nabla.NN;

/// <summary>y = tanh(x). Shape: any → same.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}
