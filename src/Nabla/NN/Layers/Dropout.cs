
namespace Nabla.NN;

/// <summary>
/// Inverted dropout: in training, y = x·m/(1 − P) with m ~ Bernoulli(1 − P) drawn from <see cref="Generator"/>
/// (the default generator when null); in eval, y = x. Shape: any → same.
/// </summary>
public sealed class Dropout : Module
{
    /// <summary>Probability that an element is zeroed, in [0, 1).</summary>
    public double P { get; }
    /// <summary>Source of the masks; null = the global generator.</summary>
    public Generator? Generator { get; set; }

    /// <summary>Creates the layer (<c>nn.Dropout(p=0.5)</c>).</summary>
    /// <param name="p">drop probability in [0, 1)</param>
    /// <param name="generator">source of the masks; null = the global generator</param>
    /// <exception cref="ArgumentException"><paramref name="p"/> outside [0, 1)</exception>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (p is < 0 or >= 1) throw new ArgumentException($"Dropout: p must be in [0, 1), got {p}");
        P = p;
        Generator = generator;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Dropout(P, Training, Generator);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={P}";
}
