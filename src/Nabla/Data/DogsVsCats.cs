namespace Nabla.Data;

/// <summary>How <see cref="DogsVsCats.Load"/> finds and shapes the Dogs vs. Cats images.</summary>
public sealed record DogsVsCatsOptions
{
    /// <summary>Explicit data root (wins over NABLA_DATA and ~/.nabla/data); may also be the dogs-vs-cats folder itself.</summary>
    public string? Root { get; init; }

    /// <summary>Every photo is resized to Size × Size (antialiased bilinear; aspect ratio not kept).</summary>
    public int Size { get; init; } = 64;

    /// <summary>Standardise each channel with the training images' mean and std.</summary>
    public bool Normalize { get; init; }

    /// <summary>Give each image as a vector [3·Size·Size] instead of [3, Size, Size] (for an MLP).</summary>
    public bool Flatten { get; init; }

    /// <summary>Threads decoding JPEGs (≤ 0: one per core).</summary>
    public int MaxParallelism { get; init; } = -1;
}

/// <summary>The training and validation sets of an image-folder dataset, its classes and training statistics.</summary>
public sealed record ImageFolderSplits(
    ImageDataset Train, ImageDataset Validation, string Directory, IReadOnlyList<string> ClassNames,
    float[] Mean, float[] Std, string DisplayName);

/// <summary>
/// Kaggle's Dogs vs. Cats photos (Asirra / Petfinder.com) in the <c>cats_and_dogs_filtered</c> layout:
/// <c>&lt;root&gt;/dogs-vs-cats/train/{cats,dogs}/*.jpg</c> and <c>validation/{cats,dogs}/*.jpg</c>, labels
/// 0 = cats, 1 = dogs (sorted folder names). Photos of varied sizes are decoded once, in parallel, and resized to
/// a fixed square.
/// </summary>
public static class DogsVsCats
{
    /// <summary>What the dataset folder must hold (for "not found" messages).</summary>
    public const string ExpectedLayout = "train/<class>/*.jpg and validation/<class>/*.jpg (the cats_and_dogs_filtered layout)";

    /// <summary>True when <paramref name="dir"/> has train/ and validation/ folders with class sub-folders.</summary>
    public static bool IsLayout(string dir) =>
        new[] { "train", "validation" }.All(s => Directory.Exists(Path.Combine(dir, s)) && Directory.EnumerateDirectories(Path.Combine(dir, s)).Any());

    /// <summary>Finds the folder under the data roots, decodes and resizes every photo, and computes the training mean and std per channel.</summary>
    /// <param name="options">root, size, normalisation, threads; null = the defaults (64×64, not normalised)</param>
    /// <exception cref="DatasetNotFoundException">no folder with the expected layout under any data root</exception>
    /// <exception cref="DataFormatException">a photo that cannot be decoded</exception>
    /// <exception cref="ArgumentOutOfRangeException">a size below 1</exception>
    public static ImageFolderSplits Load(DogsVsCatsOptions? options = null)
    {
        options ??= new DogsVsCatsOptions();
        if (options.Size < 1) throw new ArgumentOutOfRangeException(nameof(options), $"DogsVsCats.Load: Size must be positive, got {options.Size}");
        var spec = DatasetSpec.DogsVsCats;
        string dir = DataRoot.Find(spec, options.Root) ?? throw DataRoot.NotFound(spec, options.Root, null);
        var folder = new ImageFolderOptions { Size = (options.Size, options.Size), MaxParallelism = options.MaxParallelism };
        var train = ImageFolder.Read(Path.Combine(dir, "train"), folder);
        var validation = ImageFolder.Read(Path.Combine(dir, "validation"), folder with { Classes = train.Classes });
        var (mean, std) = ImageStatistics.ChannelMeanStd(train.Images);
        ImageDataset Make(LabeledImages images) => options.Normalize
            ? new ImageDataset(images, mean, std, options.Flatten)
            : new ImageDataset(images, options.Flatten);
        string name = $"Dogs vs. Cats ({train.Images.Count:N0} train / {validation.Images.Count:N0} validation, {options.Size}×{options.Size})";
        return new ImageFolderSplits(Make(train.Images), Make(validation.Images), dir, train.Classes, mean, std, name);
    }
}
