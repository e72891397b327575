
namespace Nabla.Data;

/// <summary>
/// MNIST and Fashion-MNIST from the four IDX files (gzip or uncompressed): 60,000 training and 10,000 test images of
/// 28 x 28, labels 0..9. Features are float32 [1, 28, 28] in [0, 1] (optionally flattened and standardised).
/// </summary>
/// <example><code>
/// var data = Mnist.Load("mnist", MnistOptions.StandardSplit with { Normalize = true });
/// foreach (var (x, y) in new DataLoader(data.Train, 64, shuffle: true, seed: 1)) { ... }   // x [64, 1, 28, 28]
/// </code></example>
public static class Mnist
{
    public const int ImageRows = 28, ImageCols = 28, NumClasses = 10;

    /// <summary>Loads the dataset named <paramref name="name"/> ("mnist" or "fashion-mnist").</summary>
    public static MnistSplits Load(string name = "mnist", MnistOptions? options = null) => Load(DatasetSpec.Find(name), options);

    public static MnistSplits Load(DatasetSpec spec, MnistOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new MnistOptions();
        string dir = DataRoot.Find(spec, options.Root)
            ?? (options.Download ? DatasetDownloader.Download(spec, options.Root, options.DownloadOptions) : throw DataRoot.NotFound(spec, options.Root, null));
        var train = ReadSplit(dir, spec, train: true, options.Limits);
        var test = ReadSplit(dir, spec, train: false, options.Limits);
        if (train.Count == 0)
            throw DataFormatException.For(SplitFiles(dir, spec, train: true).Images, "holds 0 images; a training set needs at least one");
        var (mean, std) = options.Normalize ? Statistics(spec) : (0f, 1f);
        var trainSet = new ImageDataset(train, options.Flatten, mean, std);
        var testSet = new ImageDataset(test, options.Flatten, mean, std);
        int v = options.ValidationCount;
        if (v < 0 || v >= train.Count)
            throw new ArgumentOutOfRangeException(null, $"Mnist.Load: ValidationCount {v} must lie in 0..{train.Count - 1} ({train.Count} training images)");
        if (v == 0) return new MnistSplits(trainSet, null, testSet, dir);
        return new MnistSplits(trainSet.Slice(0, train.Count - v), trainSet.Slice(train.Count - v, v), testSet, dir);
    }

    /// <summary>Reads the training ("train-*") or test ("t10k-*") images and labels from <paramref name="dir"/>
    /// and checks that they are 28 x 28 with labels 0..9.</summary>
    public static LabeledImages ReadSplit(string dir, DatasetSpec spec, bool train, ReadLimits? limits = null)
    {
        var (imagesPath, labelsPath) = SplitFiles(dir, spec, train);
        var set = IdxFile.Read(imagesPath, labelsPath, NumClasses, limits);
        if (set.Rows != ImageRows || set.Cols != ImageCols)
            throw DataFormatException.For(imagesPath, $"images are {set.Rows} x {set.Cols}; {spec.Title} images are {ImageRows} x {ImageCols}");
        return set;
    }

    /// <summary>Paths of the images and labels files of one split (the published .gz names when absent, so that
    /// the reader's "not found" error names the expected file).</summary>
    public static (string Images, string Labels) SplitFiles(string dir, DatasetSpec spec, bool train)
    {
        string prefix = train ? "train" : "t10k";
        string images = $"{prefix}-images-idx3-ubyte.gz", labels = $"{prefix}-labels-idx1-ubyte.gz";
        return (DataRoot.FindFile(dir, images) ?? Path.Combine(dir, images), DataRoot.FindFile(dir, labels) ?? Path.Combine(dir, labels));
    }

    /// <summary>Per-pixel mean and standard deviation of the 60,000 training images scaled to [0, 1] (the constants
    /// used by torchvision examples: MNIST 0.1307 / 0.3081, Fashion-MNIST 0.2860 / 0.3530).</summary>
    public static (float Mean, float Std) Statistics(DatasetSpec spec) =>
        spec.Name == DatasetSpec.FashionMnist.Name ? (0.2860f, 0.3530f) : (0.1307f, 0.3081f);
}
