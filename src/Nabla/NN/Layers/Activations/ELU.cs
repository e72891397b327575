
namespace Nabla.NN;

/// <summary>y = x for x > 0, α·(eˣ − 1) otherwise. Shape: any → same.</summary>
public sealed class ELU(double alpha = 1.0) : Module, IInPlaceActivation
{
    /// <summary>α, the limit −α of y as x → −∞ (default 1).</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    void IInPlaceActivation.ApplyInPlace(Tensor input) => EluOp.ApplyInPlace(input, Alpha);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"alpha={Alpha}";
}
