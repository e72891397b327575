using Nabla.Plots;
using SkiaSharp;

namespace Nabla.Tests.Plots;

public class LineChartTests
{
    private static LineChart Sample() => new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss", Width = 640, Height = 400 }
        .Add("train", [1, 2, 3, 4, 5], [2.3, 1.1, 0.7, 0.5, 0.42])
        .Add("validation", [1, 2, 3, 4, 5], [2.2, 1.3, 0.9, 0.8, double.NaN]);

    [Fact]
    public void Png_has_the_requested_size_and_draws_the_title()
    {
        var png = Sample().ToPng();
        Assert.Equal((640, 400), PngAssert.IsPng(png));
        using var bmp = PngAssert.Decode(png);
        // The title sits in the top band; without glyphs (no usable font) that band would be blank.
        Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(200, 0, 440, 40)) > 50, "title text not rendered");
        using var untitled = PngAssert.Decode(new LineChart { Width = 640, Height = 400 }.Add("a", [1.0, 2], [1.0, 2]).ToPng());
        Assert.Equal(0, PngAssert.DarkPixels(untitled, new SKRectI(200, 0, 440, 12)));
    }

    [Fact]
    public void Svg_is_an_svg_document_with_the_labels()
    {
        string svg = Sample().ToSvg();
        Assert.Contains("<svg", svg);
        Assert.Contains("</svg>", svg);
    }

    [Fact]
    public void Save_writes_files_and_log_axes_accept_positive_data()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-plots-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var chart = new LineChart { Title = "lr sweep", XLabel = "learning rate", YLabel = "final loss", LogX = true, LogY = true }
                .Add("sgd", [1e-4, 1e-3, 1e-2, 1e-1, 1], [2.0, 0.9, 0.3, 0.05, 0]);          // 0 is dropped on a log axis
            chart.SavePng(Path.Combine(dir, "c.png"));
            chart.SaveSvg(Path.Combine(dir, "c.svg"));
            Assert.Equal((800, 500), PngAssert.IsPng(File.ReadAllBytes(Path.Combine(dir, "c.png"))));
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "c.svg")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Mismatched_series_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new LineChart().Add("bad", [1.0, 2, 3], [1.0, 2]));
        Assert.Contains("'bad' has 3 x values and 2 y values", e.Message);
    }
}
