using Nabla.Data;

namespace Nabla.Labs;

/// <summary>How the pixels p ∈ 0..255 of a lab's MNIST become features.</summary>
public enum MnistScaling
{
    /// <summary>x = (p/255 − mean)/std with the training set's constants (MNIST 0.1307 / 0.3081).</summary>
    Standardized,

    /// <summary>x = p/255 ∈ [0, 1] (the generative labs; the GAN rescales to [−1, 1] itself).</summary>
    Unit,
}

/// <summary>
/// Which MNIST a lab trains on: the first <see cref="Train"/> images of the training part, the first
/// <see cref="Validation"/> of the validation part (the last <see cref="HeldOut"/> images of the training file; 10,000 gives
/// the standard 50k / 10k / 10k split) and the first <see cref="Test"/> test images. Quick runs ask for small prefixes.
/// </summary>
public sealed record MnistRequest(int Train, int Validation, int Test)
{
    public MnistScaling Scaling { get; init; } = MnistScaling.Standardized;

    /// <summary>Features [784] instead of [1, 28, 28].</summary>
    public bool Flatten { get; init; }

    /// <summary>Images held out at the end of the 60,000-image training file as the validation part.</summary>
    public int HeldOut { get; init; } = 10_000;

    /// <summary>"mnist" or "fashion-mnist".</summary>
    public string Dataset { get; init; } = "mnist";

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the count that does not fit its split.</summary>
    public MnistRequest Validate(int trainFile = 60_000, int testFile = 10_000)
    {
        if (HeldOut < 0 || HeldOut >= trainFile)
            throw new ArgumentOutOfRangeException(nameof(HeldOut), $"MNIST: {HeldOut} held-out images must lie in 0..{trainFile - 1}");
        Check(nameof(Train), Train, trainFile - HeldOut, $"the training part ({trainFile} − {HeldOut} held out)");
        Check(nameof(Validation), Validation, HeldOut, "the held-out validation part");
        Check(nameof(Test), Test, testFile, "the test file");
        return this;
    }

    private static void Check(string name, int count, int available, string where)
    {
        if (count < 0 || count > available)
            throw new ArgumentOutOfRangeException(name, $"MNIST: {count} {name.ToLowerInvariant()} images requested, {where} has {available}");
    }
}

/// <summary>The three splits a lab asked for (prefixes of the standard split; the pixels are shared, not copied).</summary>
public sealed record LabMnist(ImageDataset Train, ImageDataset Validation, ImageDataset Test);

public sealed partial class LabKit
{
    /// <summary>MNIST as <paramref name="request"/> describes it, from <see cref="DataRoot"/> (then $NABLA_DATA, then
    /// ~/.nabla/data). Throws the library's DatasetNotFoundException when the files are missing and
    /// <see cref="ArgumentOutOfRangeException"/> when a count exceeds its split.</summary>
    public LabMnist Mnist(MnistRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var m = Nabla.Data.Mnist.Load(request.Dataset, new MnistOptions
        {
            Root = DataRoot, ValidationCount = request.HeldOut, Flatten = request.Flatten,
            Normalize = request.Scaling == MnistScaling.Standardized,
        });
        var validation = m.Validation ?? m.Train.Slice(m.Train.Count, 0);
        return new LabMnist(m.Train.Slice(0, request.Train), validation.Slice(0, request.Validation), m.Test.Slice(0, request.Test));
    }

    /// <summary>The first <paramref name="train"/> / <paramref name="validation"/> / <paramref name="test"/> images of the
    /// standard 50k / 10k / 10k split.</summary>
    public LabMnist Mnist(int train, int validation, int test, MnistScaling scaling = MnistScaling.Standardized, bool flatten = false) =>
        Mnist(new MnistRequest(train, validation, test) { Scaling = scaling, Flatten = flatten });

    /// <summary>All examples of a dataset as one batch: X [N, …] float32 (contiguous), Y [N] int32.</summary>
    public static (Tensor X, Tensor Y) ToTensors(IDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("LabKit.ToTensors: empty dataset");
        var loader = new DataLoader(data, data.Count, prefetch: 0);
        foreach (var (x, y) in loader) return (x.Contiguous(), y);
        throw new InvalidOperationException("LabKit.ToTensors: the loader yielded no batch");
    }

    /// <summary>Features [1, …] and label [1] of example <paramref name="index"/>.</summary>
    public static (Tensor X, Tensor Y) Example(IDataset data, int index)
    {
        var x = new float[data.FeatureSize()];
        int y = data.Get(index, x);
        return (Tensor.FromArray(x, [1, .. data.FeatureShape]), Tensor.FromArray(new[] { y }, 1));
    }

    /// <summary>Int32 row indices of minibatches for one epoch (for IndexSelect): a seeded permutation of 0..n−1
    /// (sorting uniform keys) cut into pieces of <paramref name="batchSize"/> (the last one shorter).</summary>
    public static IEnumerable<Tensor> BatchIndices(int n, int batchSize, Generator gen)
    {
        var perm = Enumerable.Range(0, n).ToArray();
        var u = Tensor.Rand([n], 0, 1, DType.Float64, gen).ToArray<double>();
        Array.Sort(u, perm);
        for (int s = 0; s < n; s += batchSize)
            yield return Tensor.FromArray(perm.AsSpan(s, Math.Min(batchSize, n - s)).ToArray(), Math.Min(batchSize, n - s));
    }

    /// <summary>Rows of x [N, …] as float arrays (one image each) for <see cref="Plots.ImageGrid"/>.</summary>
    public static List<float[]> Images(Tensor x)
    {
        var a = x.Contiguous().ToArray<float>();
        int n = x.Size(0), d = a.Length / Math.Max(1, n);
        return Enumerable.Range(0, n).Select(i => a.AsSpan(i * d, d).ToArray()).ToList();
    }
}
