using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The stride-1, OutW = W ("same" width) fast forms of im2col/col2im — one shifted block copy per tap and
/// two-vector row adds — against the scalar twins, on the MNIST CNN shapes and on awkward variants.</summary>
public class Im2ColShiftedTests
{
    public static IEnumerable<object[]> Geometries()
    {
        int[][] rows =
        [
            // C, H, W, kH, kW, top, bottom, left, right, dH, dW
            [1, 28, 28, 5, 5, 2, 2, 2, 2, 1, 1],     // MNIST conv1
            [16, 14, 14, 5, 5, 2, 2, 2, 2, 1, 1],    // MNIST conv2
            [2, 6, 5, 3, 3, 0, 0, 1, 1, 1, 1],       // OutH < H, OutW = W
            [2, 5, 7, 3, 3, 3, 1, 2, 0, 1, 1],       // asymmetric padding, OutH > H
            [3, 9, 9, 3, 3, 2, 2, 2, 2, 2, 2],       // dilated
            [1, 4, 3, 1, 7, 0, 0, 3, 3, 1, 1],       // kernel wider than the image: taps reading only padding
            [2, 3, 33, 2, 3, 1, 0, 1, 1, 1, 1],      // rows longer than two vectors
            [1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1],
        ];
        foreach (var r in rows) yield return [r];
    }

    private static double[] Random(int n, ulong seed)
    {
        var g = new Generator(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = g.NextGaussian();
        return a;
    }

    [Theory, MemberData(nameof(Geometries))]
    public void Shifted_forms_match_scalar_twins(int[] r)
    {
        var g = ConvGeometry.Create(r[0], r[1], r[2], r[3], r[4], 1, 1, r[5], r[6], r[7], r[8], r[9], r[10]);
        Assert.Equal(g.W, g.OutW);
        int ld = g.OutPixels + 3, offset = 1;
        var image = Random(g.ImageSize, 1);
        var fast = Enumerable.Repeat(42.0, g.ColRows * ld).ToArray();
        var slow = Enumerable.Repeat(42.0, g.ColRows * ld).ToArray();
        Im2Col.Forward<double>(image, g, fast.AsSpan(offset), ld);
        Im2Col.ForwardScalar<double>(image, g, slow.AsSpan(offset), ld);
        Assert.Equal(slow, fast);

        var imageF = Array.ConvertAll(image, v => (float)v);
        var fastF = Enumerable.Repeat(42f, g.ColRows * ld).ToArray();
        Im2Col.Forward<float>(imageF, g, fastF.AsSpan(offset), ld);
        Assert.Equal(Array.ConvertAll(slow, v => (float)v), fastF);

        var col = Random(g.ColRows * ld, 2);
        var gFast = Enumerable.Repeat(7.0, g.ImageSize).ToArray();
        var gSlow = new double[g.ImageSize];
        Im2Col.Backward<double>(col.AsSpan(offset), ld, g, gFast);
        Im2Col.BackwardScalar<double>(col.AsSpan(offset), ld, g, gSlow);
        for (int i = 0; i < gFast.Length; i++) Assert.Equal(gSlow[i], gFast[i], 12);

        var colF = Array.ConvertAll(col, v => (float)v);
        var gFastF = new float[g.ImageSize];
        var gSlowF = new float[g.ImageSize];
        Im2Col.Backward<float>(colF.AsSpan(offset), ld, g, gFastF);
        Im2Col.BackwardScalar<float>(colF.AsSpan(offset), ld, g, gSlowF);
        for (int i = 0; i < gFastF.Length; i++) Assert.Equal(gSlowF[i], gFastF[i], 4);
    }

    [Fact]
    public void Row_adds_of_every_length_add_each_element_once()
    {
        // 1-d "same" convolutions of widths 1..40 make col2im add runs of every length up to 40.
        for (int w = 1; w <= 40; w++)
        {
            var g = ConvGeometry.Create(1, 1, w, 1, 3, 1, 1, 0, 0, 1, 1, 1, 1);
            var col = Random(g.ColRows * g.OutPixels, (ulong)w);
            var fast = new double[w];
            var slow = new double[w];
            Im2Col.Backward<double>(col, g.OutPixels, g, fast);
            Im2Col.BackwardScalar<double>(col, g.OutPixels, g, slow);
            for (int i = 0; i < w; i++) Assert.Equal(slow[i], fast[i], 12);
        }
    }
}
