using System.Globalization;
using Nabla.Models;

namespace Nabla.Labs;

/// <summary>The optimiser of one <c>cifar10-vgg11</c> run.</summary>
public enum VggLabOptimizer
{
    /// <summary>Adam (β = 0.9, 0.999), the homework's choice.</summary>
    Adam,

    /// <summary>SGD with heavy-ball momentum.</summary>
    SgdMomentum,
}

/// <summary>What is done to the pixels of one <c>cifar10-vgg11</c> run.</summary>
public enum VggLabPreprocessing
{
    /// <summary>Pixels scaled to [0, 1] and nothing else.</summary>
    None,

    /// <summary>Per-channel standardisation with the training split's mean and std.</summary>
    Standardize,

    /// <summary>Standardisation plus random crop 32 with padding 4 (fill 0 = the channel mean) and horizontal flip p = 0.5.</summary>
    Augment,
}

/// <summary>The learning-rate strategy of one <c>cifar10-vgg11</c> run.</summary>
public enum VggLabSchedule
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>The base rate, ×0.1 after ⌈2E/3⌉ of the E epochs (stepped per epoch).</summary>
    Step,

    /// <summary>One-cycle (cosine) per batch: from peak/25 up to the peak over 30 % of the steps, then down to peak/25/10⁴.</summary>
    OneCycle,
}

/// <summary>
/// Everything that defines one training run of the lab (the model, the optimiser and its rates, the schedule, the
/// pixels, the budget). Two runs with equal specs are the same run: the lab reuses a finished run whose saved spec
/// matches, and resumes an unfinished one from its checkpoint.
/// </summary>
public sealed record VggLabRunSpec(
    bool Wide,
    VggActivation Activation,
    VggLabOptimizer Optimizer,
    double Lr,
    double Momentum,
    bool Nesterov,
    double WeightDecay,
    VggLabPreprocessing Preprocessing,
    VggLabSchedule Schedule,
    double PeakLr,
    int Epochs,
    int BatchSize)
{
    /// <summary>One line with every field, saved beside a finished run to recognise it.</summary>
    public string Fingerprint(int train, int valid, ulong seed) => string.Create(CultureInfo.InvariantCulture,
        $"{this} train={train} valid={valid} seed={seed}");

    /// <summary>The base (or, for one-cycle, peak) learning rate the optimiser reaches.</summary>
    public double TopLr => Schedule == VggLabSchedule.OneCycle ? PeakLr : Lr;

    /// <summary>The same run with one factor of the ablation set to <paramref name="level"/>.</summary>
    public VggLabRunSpec With(VggLabFactor factor, string level, Cifar10Vgg11Settings s) => factor switch
    {
        VggLabFactor.Optimizer => level == nameof(VggLabOptimizer.SgdMomentum)
            ? this with { Optimizer = VggLabOptimizer.SgdMomentum, Lr = s.SgdLr, Momentum = s.Momentum, PeakLr = s.OneCycleFactor * s.SgdLr }
            : this with { Optimizer = VggLabOptimizer.Adam, Lr = s.Lr, Momentum = 0, PeakLr = s.OneCycleFactor * s.Lr },
        VggLabFactor.Activation => this with { Activation = Enum.Parse<VggActivation>(level) },
        VggLabFactor.Preprocessing => this with { Preprocessing = Enum.Parse<VggLabPreprocessing>(level) },
        VggLabFactor.Schedule => this with { Schedule = Enum.Parse<VggLabSchedule>(level) },
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    /// <summary>This spec's level of <paramref name="factor"/> (the enum member's name).</summary>
    public string Level(VggLabFactor factor) => factor switch
    {
        VggLabFactor.Optimizer => Optimizer.ToString(),
        VggLabFactor.Activation => Activation.ToString(),
        VggLabFactor.Preprocessing => Preprocessing.ToString(),
        VggLabFactor.Schedule => Schedule.ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };
}

/// <summary>The four factors of the Q6.3 ablation, each varied alone from the baseline.</summary>
public enum VggLabFactor
{
    Optimizer,
    Activation,
    Preprocessing,
    Schedule,
}

/// <summary>
/// The settings of <c>cifar10-vgg11</c>: the split and test sizes, the ablation's equal epoch budget, the homework's
/// batch and Adam rate, the SGD rate and momentum of the optimiser row, the one-cycle peak (a multiple of the base
/// rate), and the epochs of the wide VGG11-BN row (0 leaves it out).
/// </summary>
public sealed record Cifar10Vgg11Settings
{
    [Setting("training images used (the first of the 45,000 of the train split)", Min = 100, Max = 45_000)] public int Train { get; init; } = 45_000;
    [Setting("validation images (of the last 5,000 training images): every choice is made on them", Min = 1, Max = 5_000)] public int Valid { get; init; } = 5_000;
    [Setting("test images, scored once per reported model (never for a choice)", Min = 100, Max = 10_000)] public int Test { get; init; } = 10_000;
    [Setting("epochs of every narrow run (the equal budget of the ablation)", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("minibatch size of the narrow runs (the homework: 100)", Min = 1, Max = 4096)] public int BatchSize { get; init; } = 100;
    [Setting("Adam learning rate (the homework: 1e-3)", Min = 1e-6, Max = 1)] public double Lr { get; init; } = 1e-3;
    [Setting("SGD learning rate of the optimiser row", Key = "sgd-lr", Min = 1e-6, Max = 10)] public double SgdLr { get; init; } = 0.01;
    [Setting("SGD momentum (heavy ball) of the optimiser row", Min = 0, Max = 0.999)] public double Momentum { get; init; } = 0.9;
    [Setting("one-cycle peak as a multiple of the optimiser's base rate", Min = 0.01, Max = 100)] public double OneCycleFactor { get; init; } = 3;
    [Setting("epochs of the wide VGG11-BN row (its own recipe); 0 leaves the row out", Min = 0, Max = 1000)] public int WideEpochs { get; init; }

    /// <summary>The homework's VGG11 as its template prescribes: narrow, ReLU, Adam at <see cref="Lr"/>, constant rate,
    /// batch <see cref="BatchSize"/>, standardised pixels — the baseline every ablation row changes one factor of.</summary>
    public VggLabRunSpec Baseline => new(false, VggActivation.ReLU, VggLabOptimizer.Adam, Lr, 0, false, 0,
        VggLabPreprocessing.Standardize, VggLabSchedule.Constant, OneCycleFactor * Lr, Epochs, BatchSize);

    /// <summary>The wide row: VGG11-BN with the recipe of the former cifar10-vgg11 lab (87.81 % at 30 epochs):
    /// SGD Nesterov 0.9, weight decay 5e-4, one-cycle peak 0.1 per batch, batch 128, crop + flip.</summary>
    public VggLabRunSpec Wide => new(true, VggActivation.ReLU, VggLabOptimizer.SgdMomentum, 0.1, 0.9, true, 5e-4,
        VggLabPreprocessing.Augment, VggLabSchedule.OneCycle, 0.1, WideEpochs, 128);

    /// <summary>The levels tried for each factor (the baseline's level first).</summary>
    public static IReadOnlyList<(VggLabFactor Factor, string[] Levels)> Levels { get; } =
    [
        (VggLabFactor.Optimizer, [nameof(VggLabOptimizer.Adam), nameof(VggLabOptimizer.SgdMomentum)]),
        (VggLabFactor.Activation, [nameof(VggActivation.ReLU), nameof(VggActivation.ELU), nameof(VggActivation.GELU)]),
        (VggLabFactor.Preprocessing, [nameof(VggLabPreprocessing.Standardize), nameof(VggLabPreprocessing.None), nameof(VggLabPreprocessing.Augment)]),
        (VggLabFactor.Schedule, [nameof(VggLabSchedule.Constant), nameof(VggLabSchedule.Step), nameof(VggLabSchedule.OneCycle)]),
    ];
}
