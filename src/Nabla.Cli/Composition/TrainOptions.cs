namespace Nabla.Cli.Composition;

/// <summary>
/// Everything <c>nabla train</c> takes, checked once. Null values mean "the model's default" (see
/// <see cref="ModelDefaults"/>), so <c>./nabla train mlp --data mnist</c> alone gives a good run.
/// </summary>
public sealed record TrainOptions
{
    public string Model { get; init; } = "mlp";
    public string Data { get; init; } = "mnist";
    public string? DataRoot { get; init; }
    public int? Epochs { get; init; }
    public int? BatchSize { get; init; }
    public double? LearningRate { get; init; }
    public string? Optimizer { get; init; }
    public double? Momentum { get; init; }
    public double? WeightDecay { get; init; }
    public string? Schedule { get; init; }
    public string? Init { get; init; }
    public string? Activation { get; init; }
    public int[]? Hidden { get; init; }
    public double? Dropout { get; init; }
    public bool? BatchNorm { get; init; }
    public int ValidationCount { get; init; } = 10_000;
    public ulong Seed { get; init; }
    public string Out { get; init; } = "runs/train";
    public bool Resume { get; init; }
    public double? ClipGradNorm { get; init; }
    public int? Limit { get; init; }

    public TrainOptions Validate()
    {
        if (Epochs is < 1) throw new ArgumentException($"--epochs must be at least 1, got {Epochs}");
        if (BatchSize is < 1) throw new ArgumentException($"--batch-size must be at least 1, got {BatchSize}");
        if (LearningRate is <= 0) throw new ArgumentException($"--lr must be positive, got {LearningRate}");
        if (ValidationCount < 0) throw new ArgumentException($"--validation must be non-negative, got {ValidationCount}");
        if (Limit is < 1) throw new ArgumentException($"--limit must be at least 1, got {Limit}");
        return this;
    }

    /// <summary>These options with every null filled from the model's defaults.</summary>
    public TrainOptions Resolved() => ModelDefaults.For(Model).Fill(this);
}
