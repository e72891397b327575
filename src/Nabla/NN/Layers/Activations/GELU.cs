
namespace Nabla.NN;

/// <summary>y = x·Φ(x) (<see cref="GeluApproximation.None"/>), PyTorch's tanh form (<see cref="GeluApproximation.Tanh"/>)
/// or x·σ(1.702x) (<see cref="GeluApproximation.Sigmoid"/>); <c>nn.GELU(approximate='none')</c>. Shape: any → same.</summary>
/// <param name="approximate">the form; default exact (erf)</param>
public sealed class GELU(GeluApproximation approximate = GeluApproximation.None) : Module, IInPlaceActivation
{
    /// <summary>The form computed.</summary>
    public GeluApproximation Approximate { get; } = Enum.IsDefined(approximate) ? approximate
        : throw new ArgumentOutOfRangeException(nameof(approximate), approximate, "GELU: not a defined GeluApproximation");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu(Approximate);

    void IInPlaceActivation.ApplyInPlace(Tensor input) => GeluOp.ApplyInPlace(input, Approximate);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"approximate='{Approximate.Name()}'";
}
