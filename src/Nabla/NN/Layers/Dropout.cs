
namespace Nabla.NN;

/// <summary>
/// Inverted dropout: in training, y = x·m/(1 − P) with m ~ Bernoulli(1 − P) drawn from <see cref="Generator"/>
/// (the default generator when null); in eval, y = x. Shape: any → same.
/// </summary>
public sealed class Dropout : Module
{
    public double P { get; }
    public Generator? Generator { get; set; }

    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (p is < 0 or >= 1) throw new ArgumentException($"Dropout: p must be in [0, 1), got {p}");
        P = p;
        Generator = generator;
    }

    public override Tensor Forward(Tensor input) => input.Dropout(P, Training, Generator);

    protected override string ExtraRepr() => $"p={P}";
}
