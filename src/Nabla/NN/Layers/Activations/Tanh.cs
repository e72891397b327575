
namespace Nabla.NN;

/// <summary>y = tanh(x). Shape: any → same.</summary>
public sealed class Tanh : Module, IInPlaceActivation
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();

    void IInPlaceActivation.ApplyInPlace(Tensor input) => TanhOp.ApplyInPlace(input);
}
