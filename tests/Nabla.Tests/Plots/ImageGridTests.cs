using Nabla.Plots;
using SkiaSharp;

namespace Nabla.Tests.Plots;

public class ImageGridTests
{
    [Fact]
    public void Layout_and_pixel_values_follow_the_options()
    {
        // Two 2x2 grayscale images, enlarged x2 (CellSize 4), padding 3, two columns:
        // width = 3 + 2·(4 + 3) = 17, height = 3 + 4 + 3 = 10; image k starts at x = 3 + 7k, y = 3.
        float[][] images = [[0, 1, 1, 0], [0.5f, 0.5f, 0.25f, 2f]];
        var png = ImageGrid.ToPng(images, 1, 2, 2, new ImageGridOptions { CellSize = 4, Padding = 3, Scaling = ImageScaling.Clamp });
        Assert.Equal((17, 10), PngAssert.IsPng(png, minBytes: 50));
        using var bmp = PngAssert.Decode(png);
        Assert.Equal(new SKColor(0, 0, 0), bmp.GetPixel(3, 3));          // image 0, pixel (0,0) = 0, enlarged 2x2
        Assert.Equal(new SKColor(0, 0, 0), bmp.GetPixel(4, 4));
        Assert.Equal(new SKColor(255, 255, 255), bmp.GetPixel(5, 3));    // pixel (0,1) = 1
        Assert.Equal(new SKColor(128, 128, 128), bmp.GetPixel(10, 3));   // image 1: 0.5 → round(127.5) = 128
        Assert.Equal(new SKColor(64, 64, 64), bmp.GetPixel(10, 5));      // 0.25 → round(63.75) = 64
        Assert.Equal(new SKColor(255, 255, 255), bmp.GetPixel(12, 5));   // 2 clamps to 1
        Assert.Equal(new SKColor(255, 255, 255), bmp.GetPixel(0, 0));    // background

        // Per-image stretch: image 1 spans [0.25, 2], so 0.5 → (0.5 − 0.25)/1.75·255 = 36.4 → 36.
        png = ImageGrid.ToPng(images, 1, 2, 2, new ImageGridOptions { CellSize = 4, Padding = 3, Scaling = ImageScaling.PerImage });
        using var stretched = PngAssert.Decode(png);
        Assert.Equal(new SKColor(36, 36, 36), stretched.GetPixel(10, 3));
        Assert.Equal(new SKColor(0, 0, 0), stretched.GetPixel(10, 5));
    }

    [Fact]
    public void Rgb_channels_are_read_as_chw_planes()
    {
        // One 1x2 RGB image: pixel 0 red, pixel 1 blue. CHW = R plane, G plane, B plane.
        float[] chw = [1, 0, 0, 0, 0, 1];
        var png = ImageGrid.ToPng([chw], 3, 1, 2, new ImageGridOptions { CellSize = 2, Padding = 0 });
        using var bmp = PngAssert.Decode(png);
        Assert.Equal((2, 1), (bmp.Width, bmp.Height));
        Assert.Equal(new SKColor(255, 0, 0), bmp.GetPixel(0, 0));
        Assert.Equal(new SKColor(0, 0, 255), bmp.GetPixel(1, 0));
    }

    [Fact]
    public void A_gallery_with_captions_and_title_renders_text()
    {
        var rng = new Random(1);
        var batch = new float[12 * 28 * 28];
        for (int i = 0; i < batch.Length; i++) batch[i] = (float)rng.NextDouble();
        var captions = Enumerable.Range(0, 12).Select(i => $"label {i}").ToArray();
        string path = Path.Combine(Path.GetTempPath(), "nabla-grid-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            ImageGrid.SavePng(path, batch, 12, 1, 28, 28, new ImageGridOptions { Captions = captions, Title = "samples" });
            var png = File.ReadAllBytes(path);
            // 4 columns (⌈√12⌉), 3 rows, 28·3 = 84 px cells: 4 + 4·88 = 356 wide, 26 + 4 + 3·(84 + 16 + 4) = 342 high.
            Assert.Equal((356, 342), PngAssert.IsPng(png));
            using var bmp = PngAssert.Decode(png);
            Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(140, 2, 216, 24)) > 30, "title not drawn");
            Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(4, 88, 88, 104)) > 20, "caption not drawn");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_inputs_name_the_problem()
    {
        Assert.Contains("image 1 has 3 values", Assert.Throws<ArgumentException>(() => ImageGrid.ToPng([new float[4], new float[3]], 1, 2, 2)).Message);
        Assert.Contains("channels must be 1", Assert.Throws<ArgumentException>(() => ImageGrid.ToPng([new float[8]], 2, 2, 2)).Message);
        Assert.Contains("needs 8 floats", Assert.Throws<ArgumentException>(() => ImageGrid.SavePng("x.png", new float[7], 2, 1, 2, 2)).Message);
    }
}
