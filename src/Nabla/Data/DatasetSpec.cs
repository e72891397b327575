namespace Nabla.Data;

/// <summary>One published file of a dataset, with its size in bytes and md5 as published.</summary>
public sealed record DataFileSpec(string FileName, long Size, string Md5);

/// <summary>
/// A downloadable dataset: its folder name under a data root, the mirrors tried in order, the published files,
/// and system folders where a distribution package may have installed it.
/// </summary>
public sealed record DatasetSpec(
    string Name,
    string Title,
    IReadOnlyList<string> Mirrors,
    IReadOnlyList<DataFileSpec> Files,
    IReadOnlyList<string> SystemDirectories)
{
    /// <summary>Decides whether a folder holds the dataset when other layouts than the published files are accepted
    /// (CIFAR-10: the binary tarball, extracted .bin files or the JPEG copy); null = every file of <see cref="Files"/>.</summary>
    public Func<string, bool>? IsPresentIn { get; init; }

    /// <summary>What a folder must hold, in words, for the "not found" message (null: the names of <see cref="Files"/>).</summary>
    public string? Expected { get; init; }

    /// <summary>True when <paramref name="dir"/> holds the dataset.</summary>
    public bool IsIn(string dir) => IsPresentIn?.Invoke(dir) ?? Files.All(f => DataRoot.FindFile(dir, f.FileName) is not null);

    /// <summary>MNIST (LeCun, Cortes, Burges): md5 and sizes of the four original gzip files.</summary>
    public static DatasetSpec Mnist { get; } = new(
        "mnist", "MNIST",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        [
            new("train-images-idx3-ubyte.gz", 9_912_422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            new("train-labels-idx1-ubyte.gz", 28_881, "d53e105ee54ea40749a09fcbcd1e9432"),
            new("t10k-images-idx3-ubyte.gz", 1_648_877, "9fb629c4189551a2d022fa330f9573f3"),
            new("t10k-labels-idx1-ubyte.gz", 4_542, "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
        ["/usr/share/datasets/mnist"]);

    /// <summary>Fashion-MNIST (Xiao, Rasul, Vollgraf; Zalando Research): same IDX layout as MNIST. Debian's
    /// dataset-fashion-mnist package installs the same content re-compressed (no stored name), so its .gz md5 differ.</summary>
    public static DatasetSpec FashionMnist { get; } = new(
        "fashion-mnist", "Fashion-MNIST",
        ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"],
        [
            new("train-images-idx3-ubyte.gz", 26_421_880, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            new("train-labels-idx1-ubyte.gz", 29_515, "25c81989df183df01b3e8a0aad5dffbe"),
            new("t10k-images-idx3-ubyte.gz", 4_422_102, "bef4ecab320f06d8554ea6380940ec79"),
            new("t10k-labels-idx1-ubyte.gz", 5_148, "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        ["/usr/share/datasets/fashion-mnist"]);

    /// <summary>CIFAR-10 (Krizhevsky, Nair, Hinton): the published binary tarball; also accepted: its extracted .bin
    /// files and the JPEG copy (see <see cref="Cifar10"/>).</summary>
    public static DatasetSpec Cifar10 { get; } = new("cifar10", "CIFAR-10",
        ["https://www.cs.toronto.edu/~kriz/"],
        [new(Nabla.Data.Cifar10.BinaryTarball, 170_052_171, "c32a1d4ab5d03f1284b67883e8d87530")],
        [])
    {
        IsPresentIn = dir => Nabla.Data.Cifar10.DetectFormat(dir) is not null,
        Expected = Nabla.Data.Cifar10.ExpectedLayouts,
    };

    /// <summary>Kaggle's Dogs vs. Cats in the cats_and_dogs_filtered layout (train/ and validation/ folders, one
    /// sub-folder per class); nothing to download automatically.</summary>
    public static DatasetSpec DogsVsCats { get; } = new("dogs-vs-cats", "Dogs vs. Cats", [], [], [])
    {
        IsPresentIn = dir => Nabla.Data.DogsVsCats.IsLayout(dir),
        Expected = Nabla.Data.DogsVsCats.ExpectedLayout,
    };

    /// <summary>TREC question classification (Li &amp; Roth 2002), in &lt;root&gt;/text/trec: the training file (5,452
    /// questions) and the TREC-10 test file (500), as published by the Cognitive Computation Group.</summary>
    public static DatasetSpec Trec { get; } = new("text/trec", "TREC question classification",
        ["https://cogcomp.seas.upenn.edu/Data/QA/QC/"],
        [
            new(Nabla.Data.Text.Trec.TrainFile, 335_858, "073462e3fcefaae31e00edb1f18d2d02"),
            new(Nabla.Data.Text.Trec.TestFile, 23_354, "323a3554401d86e650717e2d2f942589"),
        ],
        []);

    /// <summary>Every dataset the library knows (MNIST, Fashion-MNIST, CIFAR-10, Dogs vs. Cats, TREC); the CLI's <c>--data</c> accepts their names.</summary>
    public static IReadOnlyList<DatasetSpec> All { get; } = [Mnist, FashionMnist, Cifar10, DogsVsCats, Trec];

    /// <summary>The dataset called <paramref name="name"/> ("mnist", "fashion-mnist", "cifar10", "dogs-vs-cats", "text/trec"; case-insensitive).</summary>
    public static DatasetSpec Find(string name)
    {
        foreach (var spec in All)
            if (string.Equals(spec.Name, name, StringComparison.OrdinalIgnoreCase)) return spec;
        throw new ArgumentException($"unknown dataset '{name}'; choose from {string.Join(", ", All.Select(s => s.Name))}", nameof(name));
    }

    /// <summary>The published file named <paramref name="fileName"/>, or null.</summary>
    public DataFileSpec? File(string fileName) => Files.FirstOrDefault(f => f.FileName == fileName);
}
