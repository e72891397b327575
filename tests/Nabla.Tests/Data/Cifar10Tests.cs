using System.Diagnostics;
using Nabla.Data;
using Xunit.Abstractions;

namespace Nabla.Tests.Data;

public class Cifar10Tests(ITestOutputHelper output)
{
    /// <summary>A tiny cifar10 folder: a binary tarball with 5 × 4 training and 3 test records.</summary>
    private static string WriteBinary(TempDir tmp)
    {
        string dir = Path.Combine(tmp.Path, "cifar10");
        Directory.CreateDirectory(dir);
        VisionTestFiles.TarGz(Path.Combine(dir, Cifar10.BinaryTarball),
            Enumerable.Range(1, 5).Select(b => ($"cifar-10-batches-bin/data_batch_{b}.bin", VisionTestFiles.CifarRecords(4, first: 4 * (b - 1))))
                .Append(("cifar-10-batches-bin/test_batch.bin", VisionTestFiles.CifarRecords(3))));
        return dir;
    }

    /// <summary>A tiny JPEG-copy layout, losslessly as PNG: train/&lt;class&gt;/000k.png (k &lt; 2 or 3), test/&lt;class&gt;/0000.png.</summary>
    private static string WriteImageCopy(TempDir tmp, bool tarball)
    {
        string dir = Path.Combine(tmp.Path, "cifar10");
        Directory.CreateDirectory(dir);
        var members = new List<(string, byte[])>();
        for (int c = 0; c < 10; c++)
        {
            for (int k = 0; k < (c < 5 ? 3 : 2); k++) members.Add(($"train/{Cifar10.ClassNames[c]}/{k:D4}.png", VisionTestFiles.Png(VisionTestFiles.Pattern(32, 32, 10 * k + c), 3, 32, 32)));
            members.Add(($"test/{Cifar10.ClassNames[c]}/0000.png", VisionTestFiles.Png(VisionTestFiles.Pattern(32, 32, 200 + c), 3, 32, 32)));
        }
        if (tarball) VisionTestFiles.TarGz(Path.Combine(dir, Cifar10.JpegTarball), members);
        else
            foreach (var (name, data) in members)
            {
                string p = Path.Combine(dir, name);
                Directory.CreateDirectory(Path.GetDirectoryName(p)!);
                File.WriteAllBytes(p, data);
            }
        return dir;
    }

    [Fact]
    public void Loads_the_binary_tarball_and_labels_it_as_genuine()
    {
        using var tmp = new TempDir();
        WriteBinary(tmp);
        var data = Cifar10.Load(new Cifar10Options { Root = tmp.Path, ValidationCount = 5 });
        Assert.Equal(Cifar10Format.Binary, data.Format);
        Assert.Equal("CIFAR-10", data.DisplayName);
        Assert.Equal((15, 5, 3), (data.Train.Count, data.Validation!.Count, data.Test.Count));
        Assert.Equal([3, 32, 32], data.Train.FeatureShape.ToArray());
        Assert.Equal(Cifar10.ClassNames, data.ClassNames);
        Assert.Equal(5 % 10, data.Validation.Label(0));   // original order: validation = images 15..19
    }

    [Fact]
    public void Normalisation_uses_the_training_part_per_channel()
    {
        using var tmp = new TempDir();
        WriteBinary(tmp);
        var data = Cifar10.Load(new Cifar10Options { Root = tmp.Path, Normalize = true, ValidationCount = 4 });
        // mean of channel c over images 0..15: pixel k of image i = (3i + k) mod 256, k = 1024c + p
        double[] mean = new double[3], sq = new double[3];
        for (int i = 0; i < 16; i++)
            for (int k = 0; k < 3072; k++) { double v = (3 * i + k) % 256 / 255.0; mean[k / 1024] += v; sq[k / 1024] += v * v; }
        for (int c = 0; c < 3; c++) { mean[c] /= 16 * 1024; sq[c] = Math.Sqrt(sq[c] / (16 * 1024) - mean[c] * mean[c]); }
        TestUtil.AssertClose(mean, Tensor.FromArray(data.Mean, 3), 1e-6);
        TestUtil.AssertClose(sq, Tensor.FromArray(data.Std, 3), 1e-5);
        var f = new float[3072];
        data.Test.Get(0, f);
        // test image 0, blue plane, first pixel: k = 2048 → 0
        Assert.Equal((0 - mean[2]) / sq[2], f[2048], 4);
        Assert.Equal((5 / 255.0 - mean[0]) / sq[0], f[5], 4);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_the_image_copy_round_robin_over_the_classes(bool tarball)
    {
        using var tmp = new TempDir();
        WriteImageCopy(tmp, tarball);
        var data = Cifar10.Load(new Cifar10Options { Root = tmp.Path, ValidationCount = 10 });
        Assert.Equal(Cifar10Format.Jpeg, data.Format);
        Assert.Equal("CIFAR-10 (JPEG copy)", data.DisplayName);
        Assert.Equal((15, 10, 10), (data.Train.Count, data.Validation!.Count, data.Test.Count));
        // order: k = 0 for classes 0..9, k = 1 for 0..9, k = 2 for 0..4; the last 10 are k = 1 (classes 5..9) and k = 2
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4], Enumerable.Range(0, 15).Select(data.Train.Label));
        Assert.Equal([5, 6, 7, 8, 9, 0, 1, 2, 3, 4], Enumerable.Range(0, 10).Select(data.Validation.Label));
        var images = data.Train.Images;
        Assert.Equal(VisionTestFiles.Pattern(32, 32, 10 * 1 + 3), images.Image(13).ToArray());   // lossless PNG: exact pixels
        Assert.Equal(VisionTestFiles.Pattern(32, 32, 207), data.Test.Images.Image(7).ToArray());
    }

    [Fact]
    public void Binary_files_win_over_the_jpeg_copy_unless_asked()
    {
        using var tmp = new TempDir();
        WriteImageCopy(tmp, tarball: true);
        WriteBinary(tmp);
        Assert.Equal(Cifar10Format.Binary, Cifar10.Load(new Cifar10Options { Root = tmp.Path }).Format);
        Assert.Equal(Cifar10Format.Jpeg, Cifar10.Load(new Cifar10Options { Root = tmp.Path, Format = Cifar10Format.Jpeg }).Format);
    }

    [Fact]
    public void Missing_data_names_where_it_looked()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DatasetNotFoundException>(() => Cifar10.Load(new Cifar10Options { Root = tmp.Path }));
        Assert.Contains(Path.Combine(tmp.Path, "cifar10"), e.Message);
        Assert.Contains("cifar-10-binary.tar.gz", e.Message);
        Assert.Contains("cifar-10-jpeg.tar.gz", e.Message);
        WriteImageCopy(tmp, tarball: true);
        var f = Assert.Throws<DatasetNotFoundException>(() => Cifar10.Load(new Cifar10Options { Root = tmp.Path, Format = Cifar10Format.Binary }));
        Assert.Contains("Binary", f.Message);
    }

    [Fact]
    public void An_unknown_class_folder_is_an_error()
    {
        using var tmp = new TempDir();
        string dir = WriteImageCopy(tmp, tarball: false);
        Directory.CreateDirectory(Path.Combine(dir, "train", "unicorn"));
        File.WriteAllBytes(Path.Combine(dir, "train", "unicorn", "0000.png"), VisionTestFiles.Png(VisionTestFiles.Pattern(32, 32, 1), 3, 32, 32));
        DataTestFiles.AssertFormatError(() => Cifar10.Load(new Cifar10Options { Root = tmp.Path }), "unicorn");
    }

    /// <summary>The whole JPEG copy: 50,000 + 10,000 images, 5,000 / 1,000 per class, and the first genuine training
    /// records agree with their JPEG versions (same class, k-th image of the class) within JPEG error.</summary>
    [RequiresDataFact("cifar10", Cifar10.JpegTarball)]
    public void Full_jpeg_copy_loads_and_matches_the_genuine_prefix()
    {
        string dir = RequiresDataFactAttribute.Folder("cifar10");
        var sw = Stopwatch.StartNew();
        var data = Cifar10.Load(new Cifar10Options { Format = Cifar10Format.Jpeg });
        output.WriteLine($"CIFAR-10 (JPEG copy): 60,000 JPEGs read and decoded in {sw.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} cores");
        Assert.Equal("CIFAR-10 (JPEG copy)", data.DisplayName);
        Assert.Equal((Cifar10.TrainCount, Cifar10.TestCount), (data.Train.Count, data.Test.Count));
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(5000, data.Train.Images.Labels.Count(l => l == c));
            Assert.Equal(1000, data.Test.Images.Labels.Count(l => l == c));
        }
        // Published training statistics of genuine CIFAR-10 are 0.4914, 0.4822, 0.4465 / 0.2470, 0.2435, 0.2616; JPEG shifts them slightly.
        TestUtil.AssertClose([0.4914, 0.4822, 0.4465], Tensor.FromArray(data.Mean, 3), 0.01);
        TestUtil.AssertClose([0.2470, 0.2435, 0.2616], Tensor.FromArray(data.Std, 3), 0.01);

        var genuine = Cifar10Binary.ReadFile(Path.Combine(dir, "genuine-partial", "data_batch_1.first4000.bin"));
        var seen = new int[10];
        double total = 0;
        for (int i = 0; i < 300; i++)
        {
            int c = genuine.Labels[i], k = seen[c]++;
            int j = 10 * k + c;   // round-robin order of the copy
            Assert.Equal(c, data.Train.Label(j));
            var a = genuine.Image(i);
            var b = data.Train.Images.Image(j);
            double mae = 0;
            for (int p = 0; p < a.Length; p++) mae += Math.Abs(a[p] - b[p]);
            mae /= a.Length;
            Assert.True(mae < 20, $"genuine image {i} vs JPEG {Cifar10.ClassNames[c]}/{k:D4}: mean abs error {mae:F1}");
            total += mae;
        }
        output.WriteLine($"mean abs error, JPEG copy vs genuine, first 300 training images: {total / 300:F2} / 255");
        Assert.InRange(total / 300, 2, 9);   // the README measured 5.8 with libjpeg-turbo
    }
}
