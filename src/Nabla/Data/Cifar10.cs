
namespace Nabla.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky, Nair, Hinton, 2009): 50,000 training and 10,000 test colour images of 32×32 in 10
/// classes, held in memory as bytes [N, 3, 32, 32]. Read from <c>&lt;root&gt;/cifar10/</c> in this order of
/// preference: <c>cifar-10-binary.tar.gz</c> (the published tarball, read directly), its extracted
/// <c>cifar-10-batches-bin/</c> (or the .bin files themselves), then the JPEG copy <c>cifar-10-jpeg.tar.gz</c> or
/// its extracted <c>train/&lt;class&gt;/*.jpg</c>, <c>test/&lt;class&gt;/*.jpg</c>. The format read is reported
/// (<see cref="Cifar10Splits.Format"/>) because the JPEG copy's pixels are lossy.
/// </summary>
/// <example><code>
/// var data = Cifar10.Load(new Cifar10Options { Normalize = true, ValidationCount = 5000 });
/// Console.WriteLine(data.DisplayName);   // "CIFAR-10" or "CIFAR-10 (JPEG copy)"
/// var train = new DataLoader(data.Train, 128, shuffle: true, seed: 1,
///     transform: Transforms.Compose(Transforms.RandomCrop(32, padding: 4), Transforms.HorizontalFlip()));
/// </code></example>
public static class Cifar10
{
    public const int NumClasses = 10, ImageRows = 32, ImageCols = 32, Channels = 3;
    public const int TrainCount = 50_000, TestCount = 10_000;
    public const string BinaryTarball = "cifar-10-binary.tar.gz", BinaryFolder = "cifar-10-batches-bin";
    public const string JpegTarball = "cifar-10-jpeg.tar.gz", MetaFile = "batches.meta.txt";

    /// <summary>What a CIFAR-10 folder may hold (for "not found" messages).</summary>
    public const string ExpectedLayouts =
        "cifar-10-binary.tar.gz, or cifar-10-batches-bin/ (data_batch_1..5.bin, test_batch.bin), or cifar-10-jpeg.tar.gz, " +
        "or train/<class>/*.jpg with test/<class>/*.jpg";

    /// <summary>The class names in label order, as in batches.meta.txt.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>"CIFAR-10" or "CIFAR-10 (JPEG copy)": the name to put on any figure measured on that copy.</summary>
    public static string DisplayName(Cifar10Format format) => format == Cifar10Format.Jpeg ? "CIFAR-10 (JPEG copy)" : "CIFAR-10";

    /// <summary>Finds CIFAR-10 under the data root, reads it and builds the splits.</summary>
    public static Cifar10Splits Load(Cifar10Options? options = null)
    {
        options ??= new Cifar10Options();
        var spec = DatasetSpec.Cifar10;
        string dir = DataRoot.Find(spec, options.Root)
            ?? (options.Download ? DatasetDownloader.Download(spec, options.Root, options.DownloadOptions) : throw DataRoot.NotFound(spec, options.Root, null));
        var (train, test, format, path) = Read(dir, options.Format, options.MaxParallelism, options.Limits);
        int v = options.ValidationCount;
        if (v < 0 || v >= train.Count)
            throw new ArgumentOutOfRangeException(null, $"Cifar10.Load: ValidationCount {v} must lie in 0..{train.Count - 1} ({train.Count} training images)");
        var (mean, std) = ImageStatistics.ChannelMeanStd(train, 0, train.Count - v);
        ImageDataset Make(LabeledImages images) => options.Normalize
            ? new ImageDataset(images, mean, std, options.Flatten)
            : new ImageDataset(images, options.Flatten);
        var trainSet = Make(train);
        var testSet = Make(test);
        var classes = ReadClassNames(dir);
        if (v == 0) return new Cifar10Splits(trainSet, null, testSet, path, format, classes, mean, std);
        return new Cifar10Splits(trainSet.Slice(0, train.Count - v), trainSet.Slice(train.Count - v, v), testSet, path, format, classes, mean, std);
    }

    /// <summary>
    /// Reads the training and test images from <paramref name="dir"/> in the preferred available format (or only
    /// <paramref name="format"/>); returns the format and the path read. The JPEG copy comes out round-robin over
    /// the classes (airplane 0, automobile 0, ..., truck 0, airplane 1, ...); its original interleaving is not
    /// recorded in the copy.
    /// </summary>
    public static (LabeledImages Train, LabeledImages Test, Cifar10Format Format, string Path) Read(string dir, Cifar10Format? format = null, int maxParallelism = -1,
        ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        var found = Locate(dir, format)
            ?? throw new DatasetNotFoundException($"CIFAR-10{(format is null ? "" : $" ({format} format)")} not found in {dir}; expected {ExpectedLayouts}");
        var (kind, path) = found;
        if (kind == Cifar10Format.Binary)
        {
            var (tr, te) = File.Exists(path) ? Cifar10Binary.ReadTarball(path, limits) : Cifar10Binary.ReadFolder(path);
            return (tr, te, kind, path);
        }
        var options = new ImageFolderOptions { Classes = ReadClassNames(dir), Interleave = true, MaxParallelism = maxParallelism, Limits = limits };
        var splits = File.Exists(path)
            ? ImageFolder.ReadArchive(path, ["train", "test"], options)
            : [ImageFolder.Read(Path.Combine(path, "train"), options), ImageFolder.Read(Path.Combine(path, "test"), options)];
        foreach (var s in splits)
            if (s.Images.Rows != ImageRows || s.Images.Cols != ImageCols)
                throw DataFormatException.For(s.Source, $"images are {s.Images.Cols}×{s.Images.Rows}; CIFAR-10 images are 32×32");
        return (splits[0].Images, splits[1].Images, kind, path);
    }

    /// <summary>The format and path that <see cref="Read"/> would use in <paramref name="dir"/>, or null.</summary>
    public static (Cifar10Format Format, string Path)? Locate(string dir, Cifar10Format? only = null)
    {
        if (!Directory.Exists(dir)) return null;
        if (only is null or Cifar10Format.Binary)
        {
            string tar = Path.Combine(dir, BinaryTarball);
            if (File.Exists(tar)) return (Cifar10Format.Binary, tar);
            foreach (var d in new[] { Path.Combine(dir, BinaryFolder), dir })
                if (Cifar10Binary.TrainFiles.Append(Cifar10Binary.TestFile).All(f => File.Exists(Path.Combine(d, f)))) return (Cifar10Format.Binary, d);
        }
        if (only is null or Cifar10Format.Jpeg)
        {
            string tar = Path.Combine(dir, JpegTarball);
            if (File.Exists(tar)) return (Cifar10Format.Jpeg, tar);
            if (Directory.Exists(Path.Combine(dir, "train", ClassNames[0])) && Directory.Exists(Path.Combine(dir, "test", ClassNames[0])))
                return (Cifar10Format.Jpeg, dir);
        }
        return null;
    }

    /// <summary>The format <see cref="Read"/> would use in <paramref name="dir"/>, or null when none is there.</summary>
    public static Cifar10Format? DetectFormat(string dir) => Locate(dir)?.Format;

    /// <summary>The class names from batches.meta.txt when the folder has one (beside the data or in
    /// cifar-10-batches-bin/), else <see cref="ClassNames"/>.</summary>
    public static IReadOnlyList<string> ReadClassNames(string dir)
    {
        foreach (var p in new[] { Path.Combine(dir, MetaFile), Path.Combine(dir, BinaryFolder, MetaFile) })
            if (File.Exists(p)) return Cifar10Binary.ReadClassNames(p);
        return ClassNames;
    }
}
