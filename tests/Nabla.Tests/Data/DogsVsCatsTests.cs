using System.Diagnostics;
using Nabla.Data;
using Xunit.Abstractions;

namespace Nabla.Tests.Data;

public class DogsVsCatsTests(ITestOutputHelper output)
{
    [Fact]
    public void Layout_check_and_missing_data_message()
    {
        using var tmp = new TempDir();
        Assert.False(DogsVsCats.IsLayout(tmp.Path));
        var e = Assert.Throws<DatasetNotFoundException>(() => DogsVsCats.Load(new DogsVsCatsOptions { Root = tmp.Path }));
        Assert.Contains(Path.Combine(tmp.Path, "dogs-vs-cats"), e.Message);
        Assert.Contains("validation/<class>", e.Message);
        Assert.DoesNotContain("nabla data download", e.Message);
    }

    [Fact]
    public void Loads_a_small_folder_resized()
    {
        using var tmp = new TempDir();
        string dir = Path.Combine(tmp.Path, "dogs-vs-cats");
        foreach (var (split, n) in new[] { ("train", 3), ("validation", 1) })
            foreach (var cls in new[] { "dogs", "cats" })
                for (int k = 0; k < n; k++)
                {
                    string p = Path.Combine(dir, split, cls, $"{cls}.{k}.png");
                    Directory.CreateDirectory(Path.GetDirectoryName(p)!);
                    File.WriteAllBytes(p, VisionTestFiles.Png(VisionTestFiles.Pattern(10 + k, 17, k), 3, 10 + k, 17));
                }
        Assert.True(DogsVsCats.IsLayout(dir));
        var data = DogsVsCats.Load(new DogsVsCatsOptions { Root = tmp.Path, Size = 8, Normalize = true });
        Assert.Equal(["cats", "dogs"], data.ClassNames);
        Assert.Equal((6, 2), (data.Train.Count, data.Validation.Count));
        Assert.Equal([3, 8, 8], data.Train.FeatureShape.ToArray());
        Assert.Equal([0, 1], new[] { data.Validation.Label(0), data.Validation.Label(1) });
        Assert.Equal(3, data.Train.ChannelMean.Count);
        Assert.Contains("8×8", data.DisplayName);
    }

    /// <summary>The 1,500 real photos at 64×64. Expected values: the JPEG decoded by libjpeg-turbo's djpeg 2.1.5, then
    /// resized by PyTorch 1.13 (F.interpolate bilinear, antialias=True); a different JPEG decoder and rounding to bytes
    /// allow a few levels of difference.</summary>
    [RequiresDataFact("dogs-vs-cats")]
    public void Real_photos_decode_and_resize_like_libjpeg_and_pytorch()
    {
        var sw = Stopwatch.StartNew();
        var data = DogsVsCats.Load(new DogsVsCatsOptions { Size = 64 });
        output.WriteLine($"{data.DisplayName}: decoded and resized in {sw.Elapsed.TotalSeconds:F2} s");
        Assert.Equal((1000, 500), (data.Train.Count, data.Validation.Count));
        Assert.Equal(500, data.Train.Images.Labels.Count(l => l == 1));
        Assert.Equal(250, data.Validation.Images.Labels.Count(l => l == 1));

        void Check(LabeledImages set, int index, double[] mean, (int Y, int X, double[] Rgb)[] pixels)
        {
            var img = set.Image(index);
            for (int c = 0; c < 3; c++)
            {
                double m = 0;
                for (int p = 0; p < 64 * 64; p++) m += img[c * 4096 + p];
                Assert.InRange(m / 4096, mean[c] - 1, mean[c] + 1);
            }
            foreach (var (y, x, rgb) in pixels)
                for (int c = 0; c < 3; c++)
                    Assert.InRange(img[c * 4096 + y * 64 + x], rgb[c] - 4, rgb[c] + 4);
        }
        // train/cats/cat.0.jpg (500×374) is training image 0
        Check(data.Train.Images, 0, [167.6843, 129.7746, 61.8985],
            [(0, 0, [206.89, 167.89, 90.89]), (10, 20, [249.57, 227.98, 149.06]), (32, 32, [205.57, 137.4, 31.17]), (63, 63, [2.21, 2.28, 0.25]), (50, 5, [136.27, 105.62, 39.51])]);
        // validation/dogs/dog.2000.jpg (200×339) follows the 250 validation cats
        Check(data.Validation.Images, 250, [111.8481, 140.3784, 83.1917],
            [(0, 0, [93.56, 124.5, 54.19]), (10, 20, [118.6, 170.01, 63.87]), (32, 32, [98.99, 98.94, 98.94]), (63, 63, [106.68, 149.83, 68.76]), (50, 5, [110.5, 154.61, 74.98])]);
    }
}
