
namespace Nabla.NN;

/// <summary>y = σ(x) = 1/(1 + e^(−x)). Shape: any → same.</summary>
public sealed class Sigmoid : Module, IInPlaceActivation
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();

    void IInPlaceActivation.ApplyInPlace(Tensor input) => SigmoidOp.ApplyInPlace(input);
}
