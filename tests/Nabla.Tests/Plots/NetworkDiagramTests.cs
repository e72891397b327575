using Nabla.Plots;
using SkiaSharp;

namespace Nabla.Tests.Plots;

public class NetworkDiagramTests
{
    private static bool Dark(SKColor c) => c.Red + c.Green + c.Blue < 3 * 128;

    /// <summary>Clearly inked: a 1.2 px antialiased line covers a pixel row only partly.</summary>
    private static bool Inked(SKColor c) => c.Red + c.Green + c.Blue < 3 * 200;

    private static bool White(SKColor c) => c.Red > 245 && c.Green > 245 && c.Blue > 245;

    [Fact]
    public void A_2_2_1_network_has_its_circles_and_every_edge_where_the_layout_puts_them()
    {
        // Layout by the documented constants: columns at x = 100, 300, 500 (600 px wide); 2 slots at most, so
        // y = 16 + 28 = 44 and 100 for the 2-unit layers, 16 + 28 + 28 = 72 for the output; height
        // 16 + 2·56 + 2 label lines·17 + 16 = 178.
        string path = Path.Combine(Path.GetTempPath(), "nabla-net-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            NetworkDiagram.SavePng(path, [2, 2, 1]);
            var png = File.ReadAllBytes(path);
            Assert.Equal((600, 178), PngAssert.IsPng(png, minBytes: 500));
            using var bmp = PngAssert.Decode(png);
            Assert.True(White(bmp.GetPixel(100, 44)), "circle centre should be filled white");
            Assert.True(Dark(bmp.GetPixel(100, 44 - NetworkDiagram.Radius)), "circle outline missing at the top of input unit 0");
            Assert.True(Dark(bmp.GetPixel(300, 100 + NetworkDiagram.Radius)), "circle outline missing at the bottom of hidden unit 1");
            Assert.True(Inked(bmp.GetPixel(200, 44)), "edge input 0 → hidden 0 missing");
            Assert.True(Inked(bmp.GetPixel(200, 72)), "the crossing diagonals input 0 → hidden 1, input 1 → hidden 0 missing");
            Assert.True(Inked(bmp.GetPixel(400, 58)), "edge hidden 0 → output missing");
            Assert.True(White(bmp.GetPixel(200, 58)), "nothing is drawn between the edges");
            Assert.True(White(bmp.GetPixel(500, 30)), "above the output unit is empty");
            Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(60, 130, 140, 170)) > 20, "layer label missing");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Biases_and_weights_colour_each_edge_by_its_sign()
    {
        // Workbook Q3: W rows (bias, w1, w2), v = (bias, v1, v2). With bias units each 2-unit layer has 3 slots:
        // y = 44 (bias), 100, 156; the output sits at 16 + 28 + 28 = 100. Height 16 + 3·56 + 34 + 16 = 234.
        var png = NetworkDiagram.ToPng([2, 2, 1], new NetworkDiagramOptions
        {
            Biases = true,
            Weights = [new double[,] { { 1, 2, 1 }, { 1, 1, 2 } }, new double[,] { { 1, -1, 2 } }],
            UnitLabels = [["x1", "x2"], ["h1", "h2"], ["y"]],
        });
        Assert.Equal((600, 234), PngAssert.IsPng(png, minBytes: 500));
        using var bmp = PngAssert.Decode(png);
        var bias = bmp.GetPixel(100, 34);                       // inside the bias circle, above its "1"
        Assert.True(bias.Red is > 200 and < 240 && bias.Red == bias.Green, $"bias unit should be light grey, got {bias}");
        var negative = bmp.GetPixel(400, 100);                  // h1 → ŷ, v1 = −1
        Assert.True(negative.Red > negative.Blue + 80, $"negative weight should be red, got {negative}");
        var positive = bmp.GetPixel(400, 128);                  // h2 → ŷ, v2 = 2
        Assert.True(positive.Blue > positive.Red + 80, $"positive weight should be blue, got {positive}");
        Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(88, 90, 112, 110)) > 5, "unit label x1 missing");
    }

    [Fact]
    public void A_wide_layer_is_capped_with_an_ellipsis_and_no_edges_to_it()
    {
        // 784 and 16 and 10 units, cap 8: each column shows 4 + ellipsis + 4 = 9 slots; the ellipsis is slot 4,
        // y = 16 + 4.5·56 = 268. Height 16 + 9·56 + 34 + 16 = 570.
        var png = NetworkDiagram.ToPng([784, 16, 10], new NetworkDiagramOptions { Title = null });
        Assert.Equal((600, 570), PngAssert.IsPng(png));
        using var bmp = PngAssert.Decode(png);
        Assert.True(Dark(bmp.GetPixel(100, 268)) && Dark(bmp.GetPixel(100, 258)) && Dark(bmp.GetPixel(100, 278)), "ellipsis dots missing");
        Assert.True(White(bmp.GetPixel(130, 268)), "an edge leaves the ellipsis");
        Assert.True(Dark(bmp.GetPixel(100, 492 - NetworkDiagram.Radius)), "last drawn unit (784th) missing");
        Assert.True(PngAssert.DarkPixels(bmp, new SKRectI(40, 540, 160, 568)) > 20, "the true count line missing");

        // The same network uncapped is taller: 784 slots would not fit, so a cap of 20 gives 21 slots.
        var (_, h) = PngAssert.IsPng(NetworkDiagram.ToPng([784, 16, 10], new NetworkDiagramOptions { MaxUnitsPerLayer = 20 }));
        Assert.Equal(16 + 21 * 56 + 34 + 16, h);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Throws<ArgumentNullException>(() => NetworkDiagram.ToPng(null!));
        Assert.Contains("at least 2 layers", Assert.Throws<ArgumentException>(() => NetworkDiagram.ToPng([3])).Message);
        Assert.Contains("layer 1 has 0 units", Assert.Throws<ArgumentException>(() => NetworkDiagram.ToPng([3, 0, 1])).Message);
        Assert.Contains("MaxUnitsPerLayer", Assert.Throws<ArgumentException>(() => NetworkDiagram.ToPng([3, 1], new NetworkDiagramOptions { MaxUnitsPerLayer = 1 })).Message);
        Assert.Contains("2 layer labels for 3 layers", Assert.Throws<ArgumentException>(() => NetworkDiagram.ToPng([2, 2, 1], new NetworkDiagramOptions { LayerLabels = ["a", "b"] })).Message);
        Assert.Contains("layer 0 has 2 units but 3 unit labels", Assert.Throws<ArgumentException>(() =>
            NetworkDiagram.ToPng([2, 1], new NetworkDiagramOptions { UnitLabels = [["a", "b", "c"], null] })).Message);
        var ex = Assert.Throws<ArgumentException>(() => NetworkDiagram.ToPng([2, 2, 1],
            new NetworkDiagramOptions { Biases = true, Weights = [new double[2, 2], new double[1, 3]] }));
        Assert.Contains("weight matrix 0 is 2x2, expected 2x3", ex.Message);
        Assert.Contains("1 weight matrices for 3 layers", Assert.Throws<ArgumentException>(() =>
            NetworkDiagram.ToPng([2, 2, 1], new NetworkDiagramOptions { Weights = [new double[2, 2]] })).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() =>
            NetworkDiagram.ToPng([1, 1], new NetworkDiagramOptions { Weights = [new double[,] { { double.NaN } }] })).Message);
    }
}
