using Nabla.NN;

namespace Nabla.Models;

/// <summary>Sizes of <see cref="Gan"/>'s two MLPs; LeakyReLU slope <see cref="LeakySlope"/> in both, dropout
/// <see cref="DiscriminatorDropout"/> after each hidden layer of the discriminator (it keeps D from overpowering G).</summary>
public sealed record GanOptions(
    int NoiseSize = 64,
    int DataSize = 784,
    int[]? GeneratorHidden = null,
    int[]? DiscriminatorHidden = null,
    double LeakySlope = 0.2,
    double DiscriminatorDropout = 0.3)
{
    public int[] GeneratorSizes => GeneratorHidden ?? [256, 512];
    public int[] DiscriminatorSizes => DiscriminatorHidden ?? [512, 256];

    public GanOptions Validate()
    {
        if (NoiseSize <= 0 || DataSize <= 0 || GeneratorSizes.Any(h => h <= 0) || DiscriminatorSizes.Any(h => h <= 0))
            throw new ArgumentException($"GAN: sizes must be positive (noise {NoiseSize}, data {DataSize}, " +
                $"G hidden [{string.Join(", ", GeneratorSizes)}], D hidden [{string.Join(", ", DiscriminatorSizes)}])");
        if (DiscriminatorDropout is < 0 or >= 1) throw new ArgumentException($"GAN: discriminator dropout must be in [0, 1), got {DiscriminatorDropout}");
        return this;
    }
}

/// <summary>The scalars of one alternating generator/discriminator step (the gan lab computes them).</summary>
public readonly record struct GanStepResult(double DiscriminatorLoss, double GeneratorLoss, double RealScore, double FakeScore);

/// <summary>
/// A generative adversarial network of two MLPs. Generator G: z [N, NoiseSize] → Linear → LeakyReLU → … → Linear →
/// tanh, samples in [−1, 1] (train on data scaled to [−1, 1]). Discriminator D: x [N, DataSize] → Linear → LeakyReLU →
/// Dropout → … → Linear → one logit ℓ, D(x) = σ(ℓ). Losses with BCE-with-logits (b(ℓ, t) = −t·log σ(ℓ) − (1 − t)·log(1 − σ(ℓ))):
/// discriminator L_D = mean b(ℓ_real, 1) + mean b(ℓ_fake, 0), i.e. it ascends log D(x) + log(1 − D(G(z)));
/// generator (non-saturating) L_G = mean b(ℓ(G(z)), 1) = −mean log D(G(z)).
/// </summary>
public sealed class Gan : Module
{
    public GanOptions Options { get; }
    public Sequential Generator { get; }
    public Sequential Discriminator { get; }

    public Gan(GanOptions? options = null, Generator? generator = null)
    {
        Options = (options ?? new GanOptions()).Validate();
        var g = new Sequential();
        int width = Options.NoiseSize;
        foreach (int h in Options.GeneratorSizes)
        {
            g.Add(new Linear(width, h, generator: generator)).Add(new LeakyReLU(Options.LeakySlope));
            width = h;
        }
        g.Add(new Linear(width, Options.DataSize, generator: generator)).Add(new Tanh());
        var d = new Sequential();
        width = Options.DataSize;
        foreach (int h in Options.DiscriminatorSizes)
        {
            d.Add(new Linear(width, h, generator: generator)).Add(new LeakyReLU(Options.LeakySlope));
            if (Options.DiscriminatorDropout > 0) d.Add(new Dropout(Options.DiscriminatorDropout, generator));
            width = h;
        }
        d.Add(new Linear(width, 1, generator: generator));
        Generator = RegisterModule(nameof(Generator), g);
        Discriminator = RegisterModule(nameof(Discriminator), d);
    }

    /// <summary>G(z) for z [N, NoiseSize].</summary>
    public override Tensor Forward(Tensor input) => Generator.Invoke(input);

    /// <summary>z ~ N(0, I), [count, NoiseSize], in the dtype of the generator network's parameters.</summary>
    public Tensor SampleNoise(int count, Generator? generator = null) =>
        Tensor.Randn([count, Options.NoiseSize], 0, 1, Generator.Parameters().First().DType, generator);

    /// <summary>L_D = BCE(ℓ(x), 1) + BCE(ℓ(x_fake), 0) (fake detached by the caller when G must not be updated).</summary>
    public Tensor DiscriminatorLoss(Tensor real, Tensor fake)
    {
        var lr = Discriminator.Invoke(real);
        var lf = Discriminator.Invoke(fake);
        return lr.BinaryCrossEntropyWithLogits(Tensor.OnesLike(lr)) + lf.BinaryCrossEntropyWithLogits(Tensor.Full(lf.Shape.ToArray(), 0, lf.DType));
    }

    /// <summary>Non-saturating L_G = BCE(ℓ(G(z)), 1) = −mean log D(G(z)).</summary>
    public Tensor GeneratorLoss(Tensor fake)
    {
        var lf = Discriminator.Invoke(fake);
        return lf.BinaryCrossEntropyWithLogits(Tensor.OnesLike(lf));
    }
}
