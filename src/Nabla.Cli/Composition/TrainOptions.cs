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
    /// <summary>Examples held out for validation; null = the data's default (10,000 for the MNIST family, 5,000 for
    /// CIFAR-10, 10 % for your own folder or table). See also <see cref="ValidationFraction"/>.</summary>
    public int? ValidationCount { get; init; }
    /// <summary>The share of the training examples held out for validation (wins over <see cref="ValidationCount"/>).</summary>
    public double? ValidationFraction { get; init; }
    /// <summary>CSV tables: the column to predict.</summary>
    public string? Target { get; init; }
    /// <summary>CSV tables: auto (from the target), classification or regression.</summary>
    public string Task { get; init; } = "auto";
    /// <summary>CSV tables: missing numeric values are an error ("error") or the training mean ("mean").</summary>
    public string Missing { get; init; } = "error";
    /// <summary>Image folders: every image is resized to ImageSize × ImageSize (default 64).</summary>
    public int? ImageSize { get; init; }
    /// <summary>Image folders: read as one grey channel instead of RGB.</summary>
    public bool Grayscale { get; init; }
    /// <summary>Augmentations, comma-separated: flip, crop (none by default).</summary>
    public string? Augment { get; init; }
    /// <summary>Channel widths of the convolution stages (cnn: 16,32; resnet: 16,32,64).</summary>
    public int[]? Widths { get; init; }
    /// <summary>Never download a missing built-in dataset.</summary>
    public bool NoDownload { get; init; }
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
        if (ValidationFraction is not null and not (>= 0 and < 1)) throw new ArgumentException($"--validation as a fraction must lie in [0, 1), got {ValidationFraction}");
        if (ImageSize is < 4) throw new ArgumentException($"--image-size must be at least 4, got {ImageSize}");
        if (Task is not ("auto" or "classification" or "regression")) throw new ArgumentException($"--task must be auto, classification or regression, got '{Task}'");
        if (ValidationCount < 0) throw new ArgumentException($"--validation must be non-negative, got {ValidationCount}");
        if (Limit is < 1) throw new ArgumentException($"--limit must be at least 1, got {Limit}");
        return this;
    }

    /// <summary>These options with every null filled from the model's defaults.</summary>
    public TrainOptions Resolved() => ModelDefaults.For(Model, Data).Fill(this);
}
