using Nabla.Data;

namespace Nabla.Tests.Data;

public class ImageResizeTests
{
    /// <summary>[2, 5, 7] input x[c, y, x] = (7c + 5y + 3x) mod 11.</summary>
    private static float[] Input()
    {
        var x = new float[2 * 5 * 7];
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 5; y++)
                for (int j = 0; j < 7; j++) x[(c * 5 + y) * 7 + j] = (7 * c + 5 * y + 3 * j) % 11;
        return x;
    }

    private static double[] Resize(int h, int w, bool antialias, int top = 0, int left = 0, int ch = 5, int cw = 7, int channels = 2)
    {
        var dst = new float[channels * h * w];
        ImageResize.Bilinear(Input(), channels, 5, 7, top, left, ch, cw, dst, h, w, antialias);
        return dst.Select(v => (double)v).ToArray();
    }

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 2e-5, $"[{i}] expected {expected[i]}, got {actual[i]}");
    }

    // Expected values: PyTorch 1.13, F.interpolate(x, size, mode="bilinear", align_corners=False, antialias=...), float64.
    [Fact]
    public void Antialiased_downscale_matches_pytorch() => Close(
        [3.489796, 4.611429, 4.662857, 5.102041, 6.100529, 5.044444, 3.915556, 4.312169, 5.435374, 5.491429, 6.36, 3.829932,
         5.70068, 5.64, 5.251429, 3.870748, 4.835979, 4.906667, 5.684444, 5.783069, 4.129252, 4.068571, 4.937143, 4.993197],
        Resize(3, 4, antialias: true));

    [Fact]
    public void Plain_bilinear_downscale_matches_pytorch() => Close(
        [2.791667, 4.375, 3.208333, 5.25, 7.0, 5.375, 1.0, 4.875, 5.708333, 5.916667, 7.958333, 3.583333,
         6.125, 4.041667, 6.083333, 3.541667, 7.125, 1.375, 6.625, 5.0, 4.458333, 2.375, 4.416667, 4.625],
        Resize(3, 4, antialias: false));

    [Fact]
    public void Mixed_up_and_down_matches_pytorch() => Close(
        [3.232143, 5.235294, 4.696429, 5.333333, 4.112745, 4.636905, 6.125, 5.039216, 4.053571, 5.017857, 6.073529, 4.714286],
        Resize(4, 3, antialias: true).Take(12).ToArray());

    [Fact]
    public void Crop_then_resize_matches_pytorch_on_the_sliced_input() => Close(
        [3.428571, 5.196429, 5.75, 4.571429, 5.910714, 5.714286, 5.285714, 5.089286],
        Resize(2, 2, antialias: true, top: 1, left: 2, ch: 3, cw: 4));

    [Fact]
    public void Upscale_matches_pytorch_with_or_without_antialias()
    {
        double[] first2Rows = [0.0, 2.0, 4.333333, 6.666667, 9.0, 2.777778, 2.666667, 5.0, 7.0, 2.1875, 4.1875, 4.381944, 4.041667, 6.375, 3.895833, 4.854167, 5.583333, 4.375];
        double[] lastRow = [9.0, 3.666667, 2.333333, 4.666667, 7.0, 9.333333, 5.555556, 3.0, 5.0];
        foreach (bool aa in new[] { true, false })
        {
            var up = Resize(8, 9, aa, channels: 1);
            Close(first2Rows, up[..18]);
            Close(lastRow, up[^9..]);
        }
    }

    [Fact]
    public void Same_size_is_the_identity_and_bad_crops_throw()
    {
        Close(Input().Select(v => (double)v).ToArray(), Resize(5, 7, true));
        Assert.Throws<ArgumentException>(() => Resize(2, 2, true, top: 3, ch: 3));
        Assert.Throws<ArgumentException>(() => Resize(0, 2, true));
    }
}
