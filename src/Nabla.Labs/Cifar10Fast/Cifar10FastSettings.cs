using Nabla.Training;

namespace Nabla.Labs;

/// <summary>The two published airbench recipes <c>cifar10-fast</c> runs.</summary>
public enum FastRecipe
{
    /// <summary><c>airbench94_muon.py</c> (94.01 % in 8 epochs): Muon on the conv filters, Nesterov SGD on the biases
    /// and the head, linear decay to zero, no EMA, batch 2000.</summary>
    Muon,
    /// <summary><c>legacy/airbench94.py</c> (94.01 % in 9.9 epochs): Nesterov SGD with a triangular schedule and a
    /// lookahead EMA, batch 1024 (set <c>batch-size=1024</c>, <c>epochs=9.9</c>).</summary>
    Sgd,
}

/// <summary>
/// The settings of <c>cifar10-fast</c>. Every value defaults to Keller Jordan's published airbench recipes: the
/// Muon-specific ones and the batch and epochs to <c>airbench94_muon.py</c>, the SGD/EMA ones to
/// <c>legacy/airbench94.py</c> (used with <c>recipe=sgd</c>). <see cref="HeldOut"/> images at the end of
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

    [Setting("recipe: muon (airbench94_muon: Muon on the filters, SGD on biases and head, no EMA) or sgd (airbench94: SGD + lookahead EMA; also set batch-size=1024, epochs=9.9)")]
    public FastRecipe Recipe { get; init; } = FastRecipe.Muon;

    [Setting("muon recipe: Muon learning rate of the 3×3 conv filters (airbench94_muon: 0.24)", Min = 0, Max = 100)]
    public double MuonLr { get; init; } = 0.24;

    [Setting("muon recipe: Muon's Nesterov momentum (airbench94_muon: 0.6)", Min = 0.01, Max = 0.999)]
    public double MuonMomentum { get; init; } = 0.6;

    [Setting("muon recipe: Newton–Schulz iterations per Muon step (airbench94_muon: 3)", Min = 1, Max = 20)]
    public int NsSteps { get; init; } = 3;

    [Setting("muon recipe: SGD learning rate of the BatchNorm and whitening biases (airbench94_muon: 0.053)", Min = 0, Max = 100)]
    public double BiasLr { get; init; } = 0.053;

    [Setting("muon recipe: SGD learning rate of the output layer (airbench94_muon: 0.67)", Min = 0, Max = 100)]
    public double HeadLr { get; init; } = 0.67;

    [Setting("muon recipe: weight decay per image of the SGD groups, coupled, given to each group as wd·batch/lr (airbench94_muon: 2e-6)", Min = 0, Max = 1)]
    public double MuonWeightDecay { get; init; } = 2e-6;

    [Setting("channels of the three conv groups (airbench94: 64,256,256)")]
    public int[] Widths { get; init; } = [64, 256, 256];

    [Setting("epochs, fractional allowed: steps = ⌈(images/batch)·epochs⌉ (airbench94_muon: 8; airbench94: 9.9)", Min = 0.01, Max = 200)]
    public double Epochs { get; init; } = 8;

    [Setting("minibatch size; the last partial batch of an epoch is dropped (airbench94_muon: 2000; airbench94: 1024)", Min = 2, Max = 8192)]
    public int BatchSize { get; init; } = 2000;

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

    [Setting("multiplier of the logits (none: the recipe's, 1/width₃ with a unit-std head for muon, 1/9 for sgd)", Min = 1e-6, Max = 100)]
    public double? LogitScale { get; init; }

    /// <summary>The logit multiplier this run uses: <see cref="LogitScale"/>, else the recipe's.</summary>
    public double LogitScaleOrDefault => LogitScale ?? (Recipe == FastRecipe.Muon ? 1.0 / Widths[^1] : 1.0 / 9);

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
