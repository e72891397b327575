
namespace Nabla.Data;

/// <summary>How <see cref="Cifar10.Load"/> finds and shapes CIFAR-10.</summary>
public sealed record Cifar10Options
{
    /// <summary>Explicit data root (wins over NABLA_DATA and ~/.nabla/data); may also be the cifar10 folder itself.</summary>
    public string? Root { get; init; }

    /// <summary>Read only this copy (null: the binary files when present, else the JPEG copy).</summary>
    public Cifar10Format? Format { get; init; }

    /// <summary>Standardise each channel with the mean and std of the training images (after the validation
    /// split is held out), after scaling to [0, 1].</summary>
    public bool Normalize { get; init; }

    /// <summary>Features [3072] instead of [3, 32, 32].</summary>
    public bool Flatten { get; init; }

    /// <summary>Training images held out from the end as a validation set (0 = none). The JPEG copy is ordered
    /// round-robin over the classes, so its tail is class-balanced; the binary files keep their original order.</summary>
    public int ValidationCount { get; init; }

    /// <summary>Fetch cifar-10-binary.tar.gz (md5-checked) when no copy is found.</summary>
    public bool Download { get; init; }

    public DownloadOptions? DownloadOptions { get; init; }

    /// <summary>Threads decoding JPEGs (≤ 0: one per core).</summary>
    public int MaxParallelism { get; init; } = -1;

    /// <summary>Bounds checked before anything a file declares is allocated (default <see cref="ReadLimits.Default"/>).</summary>
    public ReadLimits Limits { get; init; } = ReadLimits.Default;
}
