using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>Loading through <see cref="Mnist"/>: tiny generated files always; the real files when present.
/// Expected figures of the real files were computed independently with Python's gzip module.</summary>
public class MnistTests
{
    [Fact]
    public void Load_TinyDataset_WithValidationFlattenAndNormalize()
    {
        using var tmp = new TempDir();
        DataTestFiles.WriteTinyMnist(Path.Combine(tmp.Path, "mnist"), trainCount: 12, testCount: 5);
        var d = Mnist.Load("mnist", new MnistOptions { Root = tmp.Path, ValidationCount = 4, Flatten = true, Normalize = true });
        Assert.Equal((8, 4, 5), (d.Train.Count, d.Validation!.Count, d.Test.Count));
        Assert.Equal([784], d.Train.FeatureShape.ToArray());
        var f = new float[784];
        Assert.Equal(8 % 10, d.Validation.Get(0, f));   // validation = training images 8..11
        // pixel 0 of image 8 = 56: (56/255 − 0.1307) / 0.3081
        Assert.Equal((56 / 255f - 0.1307f) / 0.3081f, f[0], 5);
    }

    [Fact]
    public void Load_WrongImageSize_IsAFormatError()
    {
        using var tmp = new TempDir();
        string dir = Path.Combine(tmp.Path, "mnist");
        DataTestFiles.WriteSplit(dir, "train", 3, 4, 4, gzip: true);
        DataTestFiles.WriteSplit(dir, "t10k", 3, 4, 4, gzip: true);
        DataTestFiles.AssertFormatError(() => Mnist.Load("mnist", new MnistOptions { Root = tmp.Path }), "train-images-idx3-ubyte.gz", "4 x 4");
    }

    [Fact]
    public void Load_Missing_ThrowsNotFound()
    {
        using var tmp = new TempDir();
        Assert.Throws<DatasetNotFoundException>(() => Mnist.Load("mnist", new MnistOptions { Root = tmp.Path }));
    }

    private static double PixelSum(ImageDataset ds, int index)
    {
        var f = new float[ds.Images.ImageSize];
        ds.Get(index, f);
        return f.Sum(v => (double)v);
    }

    [RequiresDataFact("mnist")]
    public void RealMnist_CountsLabelsAndPixelSums()
    {
        var d = Mnist.Load("mnist", MnistOptions.StandardSplit);
        Assert.Equal((50_000, 10_000, 10_000), (d.Train.Count, d.Validation!.Count, d.Test.Count));
        Assert.Equal(60_000, d.Train.Images.Count);
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], Enumerable.Range(0, 10).Select(d.Train.Label));
        Assert.Equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9], Enumerable.Range(0, 10).Select(d.Test.Label));
        Assert.Equal(27525 / 255.0, PixelSum(d.Train, 0), 3);      // byte sum of training image 0 is 27,525
        Assert.Equal(18454 / 255.0, PixelSum(d.Test, 0), 3);
        Assert.Equal(3, d.Validation.Label(0));                    // training image 50,000: label 3, byte sum 22,386
        Assert.Equal(22386 / 255.0, PixelSum(d.Validation, 0), 3);
        Assert.Equal(1_567_298_545L, d.Train.Images.Pixels.Sum(b => (long)b));
        var perClass = new int[10];
        foreach (byte l in d.Test.Images.Labels) perClass[l]++;
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], perClass);
    }

    [RequiresDataFact("mnist")]
    public void RealMnist_ThroughTheLoader()
    {
        var d = Mnist.Load("mnist");
        var loader = new DataLoader(d.Test, 1000, shuffle: true, seed: 0, reuseBuffers: true);
        long labelSum = 0;
        int batches = 0;
        foreach (var (x, y) in loader)
        {
            TestUtil.AssertShape(x, 1000, 1, 28, 28);
            foreach (int l in y.AsSpan<int>()) labelSum += l;
            batches++;
        }
        Assert.Equal(10, batches);
        Assert.Equal(44434, labelSum);   // sum of all 10,000 test labels
    }

    [RequiresDataFact("fashion-mnist")]
    public void RealFashionMnist_CountsAndFirstImage()
    {
        var d = Mnist.Load("fashion-mnist");
        Assert.Equal((60_000, 10_000), (d.Train.Count, d.Test.Count));
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], Enumerable.Range(0, 10).Select(d.Train.Label));
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], Enumerable.Range(0, 10).Select(d.Test.Label));
        Assert.Equal(76247 / 255.0, PixelSum(d.Train, 0), 3);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, d.Train.Images.Labels.Count(l => l == c)));
    }
}
