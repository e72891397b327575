using System.Text.Json.Serialization;
using Nabla.Cli.Commands;

namespace Nabla.Cli.Composition;

/// <summary>
/// Everything <c>nabla train</c> takes, checked once. Null values mean "the model's default" (see
/// <see cref="ModelDefaults"/>), so <c>./nabla train mlp --data mnist</c> alone gives a good run.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>The model to train: mlp, cnn, resnet (see <see cref="ModelFactory.Names"/>).</summary>
    public string Model { get; init; } = "mlp";
    /// <summary>A built-in data set name (mnist, fashion-mnist, cifar10...), an image folder, or a CSV table.</summary>
    public string Data { get; init; } = "mnist";
    /// <summary>Where built-in data sets are found; null = $NABLA_DATA, then ~/.nabla/data.</summary>
    public string? DataRoot { get; init; }
    /// <summary>Passes over the training data; null = the model's default.</summary>
    public int? Epochs { get; init; }
    /// <summary>Examples per step (per rank under mpirun); null = the model's default.</summary>
    public int? BatchSize { get; init; }
    /// <summary>The (peak) learning rate; null = the model's default.</summary>
    public double? LearningRate { get; init; }
    /// <summary>sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad; null = the model's default.</summary>
    public string? Optimizer { get; init; }
    /// <summary>Momentum of the SGD family; null = the model's default.</summary>
    public double? Momentum { get; init; }
    /// <summary>L2 weight decay (decoupled for adamw); null = the model's default.</summary>
    public double? WeightDecay { get; init; }
    /// <summary>The learning-rate schedule (see <see cref="OptimizerFactory.Schedules"/>); null = the model's default.</summary>
    public string? Schedule { get; init; }
    /// <summary>Weight initialisation scheme name; null = each layer's own default.</summary>
    public string? Init { get; init; }
    /// <summary>Hidden activation name (relu, tanh, sigmoid...); null = the model's default.</summary>
    public string? Activation { get; init; }
    /// <summary>Hidden layer widths of the mlp; null = the model's default.</summary>
    public int[]? Hidden { get; init; }
    /// <summary>Dropout probability of the hidden layers; null = the model's default.</summary>
    public double? Dropout { get; init; }
    /// <summary>Batch normalisation after each hidden layer; null = the model's default.</summary>
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
    /// <summary>No --data was given (the default, MNIST): a missing default is never downloaded, only a data set the
    /// user named; the not-found message then says how to ask for the download.</summary>
    public bool DataImplicit { get; init; }
    /// <summary>Whether a missing built-in dataset may be downloaded: named with --data, and no --no-download.</summary>
    public bool MayDownload => !NoDownload && !DataImplicit;
    /// <summary>Seed of the initialisation, shuffling and augmentation.</summary>
    public ulong Seed { get; init; }

    /// <summary>The run folder; null = a new numbered folder under <see cref="RunFolder.DefaultParent"/>.</summary>
    public string? Out { get; init; }
    /// <summary>Continue the run in <see cref="Out"/> from its checkpoint.npz.</summary>
    public bool Resume { get; init; }

    /// <summary>Replace the run already in <see cref="Out"/> (its files are removed when this run's first good epoch is saved).</summary>
    [JsonIgnore] public bool Overwrite { get; init; }

    /// <summary>No progress line and no per-epoch table.</summary>
    [JsonIgnore] public bool Quiet { get; init; }
    /// <summary>Clip the global gradient norm to this value; null = no clipping.</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Train on the first N training examples only (quick runs); null = all.</summary>
    public int? Limit { get; init; }

    /// <summary>Checks every value (ranges, and NaN/∞ for the real ones) before anything is allocated or written;
    /// throws <see cref="UsageException"/> (exit code 2) naming the option.</summary>
    public TrainOptions Validate()
    {
        static UsageException Bad(string option, string rule, object? value) =>
            new($"{option} must be {rule}, got {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}");
        if (Epochs is < 1) throw Bad("--epochs", "at least 1", Epochs);
        if (BatchSize is < 1) throw Bad("--batch-size", "at least 1", BatchSize);
        if (LearningRate is double lr && !(lr > 0 && double.IsFinite(lr))) throw Bad("--lr", "a positive finite number", lr);
        if (Momentum is double m && !(m >= 0 && m < 1)) throw Bad("--momentum", "in [0, 1)", m);
        if (WeightDecay is double wd && !(wd >= 0 && double.IsFinite(wd))) throw Bad("--weight-decay", "a non-negative finite number", wd);
        if (Dropout is double d && !(d >= 0 && d < 1)) throw Bad("--dropout", "in [0, 1)", d);
        if (ClipGradNorm is double c && !(c > 0 && double.IsFinite(c))) throw Bad("--clip-grad-norm", "a positive finite number", c);
        if (ValidationFraction is double vf && !(vf >= 0 && vf < 1)) throw Bad("--validation as a fraction", "in [0, 1)", vf);
        if (ImageSize is < 4) throw Bad("--image-size", "at least 4", ImageSize);
        if (Task is not ("auto" or "classification" or "regression")) throw new UsageException($"--task must be auto, classification or regression, got '{Task}'");
        if (ValidationCount < 0) throw Bad("--validation", "at least 0", ValidationCount);
        if (Limit is < 1) throw Bad("--limit", "at least 1", Limit);
        if (Hidden?.FirstOrDefault(h => h < 1) is int bad && Hidden.Any(h => h < 1)) throw Bad("--hidden", "widths of at least 1", bad);
        if (Out is not null && Out.Trim().Length == 0) throw new UsageException("--out must not be empty (leave it out for a new folder under runs/train)");
        if (Resume && Overwrite) throw new UsageException("--resume and --overwrite exclude each other: continue the run in --out, or replace it");
        return this;
    }

    /// <summary>These options with every null filled from the model's defaults.</summary>
    public TrainOptions Resolved() => ModelDefaults.For(Model, Data).Fill(this);
}
