using Nabla.Plots;
using SkiaSharp;

namespace Nabla.Tests.Plots;

public class ConfusionMatrixPlotTests
{
    [Fact]
    public void Heatmap_png_has_the_size_chosen_from_the_class_count()
    {
        int[,] counts = { { 50, 2, 0 }, { 5, 40, 5 }, { 0, 10, 1 } };
        var png = ConfusionMatrixPlot.ToPng(counts, ["cat", "dog", "bird"], "pets");
        // side = clamp(140 + 48·3, 400, 1400) = 400; width = side + 120 for the colour bar.
        Assert.Equal((520, 400), PngAssert.IsPng(png));
        using var bmp = PngAssert.Decode(png);
        Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(0, 0, 520, 400)) > 500);
    }

    [Fact]
    public void Bad_inputs_are_rejected()
    {
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.ToPng(new int[2, 3])).Message);
        Assert.Contains("2 class names for 3 classes", Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.ToPng(new int[3, 3], ["a", "b"])).Message);
    }
}
