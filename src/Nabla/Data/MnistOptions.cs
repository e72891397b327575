
namespace Nabla.Data;

/// <summary>How <see cref="Mnist.Load(DatasetSpec, MnistOptions?)"/> finds and shapes MNIST-format data.</summary>
public sealed record MnistOptions
{
    /// <summary>Explicit data root (wins over NABLA_DATA and ~/.nabla/data); may also be the dataset folder itself.</summary>
    public string? Root { get; init; }

    /// <summary>Features [784] instead of [1, 28, 28].</summary>
    public bool Flatten { get; init; }

    /// <summary>Standardise with the training set's mean and std (<see cref="Mnist.Statistics"/>) after scaling to [0, 1].</summary>
    public bool Normalize { get; init; }

    /// <summary>Examples held out from the end of the training file as a validation set (10,000 gives the standard
    /// 50k / 10k / 10k split; 0 = none).</summary>
    public int ValidationCount { get; init; }

    /// <summary>Fetch the files from the official mirrors when they are not found locally.</summary>
    public bool Download { get; init; }

    /// <summary>Network settings for <see cref="Download"/>.</summary>
    public DownloadOptions? DownloadOptions { get; init; }

    /// <summary>The standard split: last 10,000 training images as validation.</summary>
    public static MnistOptions StandardSplit { get; } = new() { ValidationCount = 10_000 };

    /// <summary>Bounds checked before anything a file declares is allocated (default <see cref="ReadLimits.Default"/>).</summary>
    public ReadLimits Limits { get; init; } = ReadLimits.Default;
}
