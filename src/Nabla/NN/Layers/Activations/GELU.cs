
namespace Nabla.NN;

/// <summary>y = x·Φ(x) (Approximate = "none"), x·σ(1.702x) ("sigmoid") or PyTorch's tanh form ("tanh"). Shape: any → same.</summary>
public sealed class GELU(string approximate = "none") : Module
{
    public string Approximate { get; } = approximate is "none" or "tanh" or "sigmoid" ? approximate
        : throw new ArgumentException($"GELU: approximate must be 'none', 'tanh' or 'sigmoid', got '{approximate}'");

    public override Tensor Forward(Tensor input) => input.Gelu(Approximate);

    protected override string ExtraRepr() => $"approximate='{Approximate}'";
}
