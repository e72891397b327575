using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// The settings of <c>cifar10-fast</c>. The optimiser, augmentation, EMA and network settings default to airbench94's
/// published values (Keller Jordan, <c>airbench94.py</c>); <see cref="Widths"/> and <see cref="Epochs"/> are the
/// only ones scaled to this machine's time budget (see the lab's report). <see cref="HeldOut"/> images at the end of
/// the training set are a validation split scored after every epoch (0: train on all 50,000); <see cref="Test"/> test
/// images are scored once at the end (0: a selection run that scores no test image).
/// </summary>
public sealed record Cifar10FastSettings
{
    [Setting("training images held out at the end as validation, scored after every epoch (0: train on all 50,000)", Min = 0, Max = 25_000)]
    public int HeldOut { get; init; }

    [Setting("training images used, the first of the training part (none = all of it)", Min = 100, Max = 50_000)]
    public int? Train { get; init; }

    [Setting("test images scored once at the end (0: a selection run, no test image is scored)", Min = 0, Max = 10_000)]
    public int Test { get; init; } = 10_000;

    [Setting("channels of the three conv groups (airbench94: 64,256,256)")]
    public int[] Widths { get; init; } = [64, 256, 256];

    [Setting("epochs, fractional allowed: steps = ⌈(images/batch)·epochs⌉ (airbench94: 9.9)", Min = 0.01, Max = 200)]
    public double Epochs { get; init; } = 9.9;

    [Setting("minibatch size; the last partial batch of an epoch is dropped (airbench94: 1024)", Min = 2, Max = 8192)]
    public int BatchSize { get; init; } = 1024;

    [Setting("learning rate per 1024 images, decoupled from momentum (airbench94: 11.5)", Min = 1e-4, Max = 1000)]
    public double Lr { get; init; } = 11.5;

    [Setting("Nesterov momentum (airbench94: 0.85)", Min = 0.01, Max = 0.999)]
    public double Momentum { get; init; } = 0.85;

    [Setting("weight decay per 1024 images, decoupled from the rate (airbench94: 0.0153)", Min = 0, Max = 10)]
    public double WeightDecay { get; init; } = 0.0153;

    [Setting("learning-rate multiplier of the BatchNorm biases (airbench94: 64)", Min = 0, Max = 10_000)]
    public double BiasScaler { get; init; } = 64;

    [Setting("label smoothing ε (airbench94: 0.2)", Min = 0, Max = 0.99)]
    public double LabelSmoothing { get; init; } = 0.2;

    [Setting("epochs during which the whitening conv's bias trains before it is frozen (airbench94: 3)", Min = 0, Max = 200)]
    public int WhitenBiasEpochs { get; init; } = 3;

    [Setting("training images whose 2×2 patches set the whitening filters (airbench94: 5000)", Min = 1, Max = 50_000)]
    public int WhitenImages { get; init; } = 5_000;

    [Setting("ε added to the patch eigenvalues of the whitening (airbench94: 5e-4)", Min = 0, Max = 1)]
    public double WhitenEps { get; init; } = 5e-4;

    [Setting("first epoch of the lookahead EMA (airbench94: 3)", Min = 0, Max = 200)]
    public int EmaStartEpochs { get; init; } = 3;

    [Setting("EMA update every this many steps (airbench94: 5)", Min = 1, Max = 1000)]
    public int EmaEvery { get; init; } = 5;

    [Setting("EMA decay per step ρ₁; an update uses ρ₁^every·(step/total)^pow (airbench94: 0.95)", Min = 0, Max = 1)]
    public double EmaDecayBase { get; init; } = 0.95;

    [Setting("power of the EMA decay warm-up (airbench94: 3)", Min = 0, Max = 100)]
    public double EmaDecayPow { get; init; } = 3;

    [Setting("largest random translation in pixels, reflect padding (airbench94: 2)", Min = 0, Max = 8)]
    public int Translate { get; init; } = 2;

    [Setting("alternating flip (random in the first epoch, then every image mirrored every other epoch) (airbench94: on)")]
    public bool Flip { get; init; } = true;

    [Setting("BatchNorm running-statistics momentum, airbench's convention: r ← m·r + (1 − m)·batch (airbench94: 0.6)", Min = 0, Max = 1)]
    public double BnMomentum { get; init; } = 0.6;

    [Setting("multiplier of the logits (airbench94: 1/9)", Min = 1e-6, Max = 100)]
    public double LogitScale { get; init; } = 1.0 / 9;

    [Setting("test-time augmentation of the scoring pass: none, mirror, or mirror-translate (6 views; airbench94)")]
    public TtaLevel Tta { get; init; } = TtaLevel.MirrorTranslate;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that cannot make a run.</summary>
    public Cifar10FastSettings Validate()
    {
        if (Widths.Length != 3 || Widths.Any(w => w < 1 || w > 2048))
            throw new ArgumentException($"cifar10-fast: setting 'widths' needs three channel counts in 1..2048, got {string.Join(",", Widths)}");
        if (Test == 0 && HeldOut == 0)
            throw new ArgumentException("cifar10-fast: setting 'test' is 0 (a selection run) but 'held-out' is 0: nothing would be scored; hold out a validation split");
        if (Train is int t && t > 50_000 - HeldOut)
            throw new ArgumentException($"cifar10-fast: setting 'train' ({t}) exceeds the {50_000 - HeldOut} training images left after 'held-out' ({HeldOut})");
        if ((Train ?? 50_000 - HeldOut) < BatchSize)
            throw new ArgumentException($"cifar10-fast: setting 'batch-size' ({BatchSize}) exceeds the training images ({Train ?? 50_000 - HeldOut}): no full batch to train on");
        return this;
    }
}
