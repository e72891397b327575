
namespace Nabla.NN;

/// <summary>y = max(x, 0). Shape: any → same.</summary>
public sealed class ReLU : Module, IInPlaceActivation
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();

    void IInPlaceActivation.ApplyInPlace(Tensor input) => ReluOp.ApplyInPlace(input);
}
