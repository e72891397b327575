using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class Im2ColTests
{
    /// <summary>Geometries over channels, sizes, kernels, strides, per-side padding and dilation (incl. all-padding taps).</summary>
    public static IEnumerable<object[]> Geometries()
    {
        int[][] rows =
        [
            // C, H, W, kH, kW, sH, sW, top, bottom, left, right, dH, dW
            [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1],
            [1, 5, 7, 3, 2, 1, 1, 0, 0, 0, 0, 1, 1],
            [3, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],
            [2, 9, 7, 3, 3, 2, 3, 1, 2, 2, 1, 1, 1],
            [2, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2],
            [1, 1, 40, 1, 5, 1, 1, 0, 0, 2, 2, 1, 1],    // 1-d (H = 1), rows longer than a vector
            [2, 4, 37, 2, 4, 1, 1, 0, 1, 1, 2, 1, 3],
            [1, 3, 3, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1],     // kernel larger than the image
            [2, 2, 2, 3, 3, 1, 1, 3, 3, 3, 3, 1, 1],     // taps that read only padding
            [1, 33, 35, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1],
        ];
        foreach (var r in rows) yield return [r];
    }

    private static ConvGeometry Geometry(int[] r) =>
        ConvGeometry.Create(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]);

    private static double[] Random(int n, ulong seed)
    {
        var g = new Generator(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = g.NextGaussian();
        return a;
    }

    [Theory, MemberData(nameof(Geometries))]
    public void Fast_forms_match_scalar_twins_with_padded_leading_dimension(int[] r)
    {
        var g = Geometry(r);
        int ld = g.OutPixels + 5, offset = 2;   // the image sits at column offset 2 of a wider matrix
        var image = Random(g.ImageSize, 1);
        var fast = new double[g.ColRows * ld];
        var slow = new double[g.ColRows * ld];
        Array.Fill(fast, 42.0);
        Array.Fill(slow, 42.0);
        Im2Col.Forward<double>(image, g, fast.AsSpan(offset), ld);
        Im2Col.ForwardScalar<double>(image, g, slow.AsSpan(offset), ld);
        Assert.Equal(slow, fast);
        for (int row = 0; row < g.ColRows; row++)   // columns outside this image's block are untouched
            for (int j = 0; j < ld; j++)
                if (j < offset || j >= offset + g.OutPixels) Assert.Equal(42.0, fast[row * ld + j]);

        var col = Random(g.ColRows * ld, 2);
        var gFast = new double[g.ImageSize];
        var gSlow = new double[g.ImageSize];
        Array.Fill(gFast, 7.0);   // overwritten, not accumulated into
        Im2Col.Backward<double>(col.AsSpan(offset), ld, g, gFast);
        Im2Col.BackwardScalar<double>(col.AsSpan(offset), ld, g, gSlow);
        for (int i = 0; i < gFast.Length; i++) Assert.Equal(gSlow[i], gFast[i], 12);

        var f = Array.ConvertAll(image, v => (float)v);
        var colF = new float[g.ColRows * ld];
        Im2Col.Forward<float>(f, g, colF.AsSpan(offset), ld);
        for (int i = 0; i < colF.Length; i++)
            if (slow[i] != 42.0) Assert.Equal((float)slow[i], colF[i]);
    }

    [Theory, MemberData(nameof(Geometries))]
    public void Col2im_is_the_adjoint_of_im2col(int[] r)
    {
        // ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for all x, c
        var g = Geometry(r);
        var x = Random(g.ImageSize, 3);
        var c = Random(g.ColRows * g.OutPixels, 4);
        var col = new double[c.Length];
        var img = new double[x.Length];
        Im2Col.Forward<double>(x, g, col, g.OutPixels);
        Im2Col.Backward<double>(c, g.OutPixels, g, img);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < c.Length; i++) lhs += col[i] * c[i];
        for (int i = 0; i < x.Length; i++) rhs += x[i] * img[i];
        Assert.Equal(lhs, rhs, 9);
    }

    [Fact]
    public void Hand_computed_column_matrix()
    {
        // 1 channel, 3x3 image 1..9, 2x2 kernel, stride 1, no padding: 4 taps × 4 output pixels
        var g = ConvGeometry.Create(1, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1);
        var col = new float[16];
        Im2Col.Forward<float>([1, 2, 3, 4, 5, 6, 7, 8, 9], g, col, 4);
        Assert.Equal([1f, 2, 4, 5, /* tap (0,1) */ 2, 3, 5, 6, /* tap (1,0) */ 4, 5, 7, 8, /* tap (1,1) */ 5, 6, 8, 9], col);
        // with padding 1 on the left only, tap (0,0) reads padding for output column 0
        var gp = ConvGeometry.Create(1, 1, 3, 1, 2, 1, 1, 0, 0, 1, 0, 1, 1);
        var colp = new float[2 * 3];
        Im2Col.Forward<float>([1, 2, 3], gp, colp, 3);
        Assert.Equal([0f, 1, 2, 1, 2, 3], colp);
        var img = new float[3];
        Im2Col.Backward<float>([1, 1, 1, 1, 1, 1], 3, gp, img);
        Assert.Equal([2f, 2, 1], img);   // pixels 0 and 1 are read by both taps, pixel 2 only by tap 1
    }

    [Fact]
    public void Geometry_output_size_and_valid_ranges()
    {
        Assert.Equal(32, ConvGeometry.OutputSize(32, 3, 1, 2, 1));
        Assert.Equal(3, ConvGeometry.OutputSize(7, 3, 2, 0, 1));      // ⌊(7 − 3)/2⌋ + 1
        Assert.Equal(3, ConvGeometry.OutputSize(9, 3, 2, 0, 2));      // ⌊(9 − 5)/2⌋ + 1 with dilation 2
        Assert.Equal(0, ConvGeometry.OutputSize(2, 5, 1, 0, 1));
        Assert.Equal((1, 5), ConvGeometry.ValidRange(5, 5, 1, -1));   // o − 1 in [0, 5) ⇔ o in [1, 6); capped at 5 outputs
        Assert.Equal((0, 2), ConvGeometry.ValidRange(3, 5, 2, 1));    // 2o + 1 < 5
        Assert.Equal((0, 0), ConvGeometry.ValidRange(3, 2, 1, 5));
    }

    [Fact]
    public void Too_small_buffers_throw()
    {
        var g = ConvGeometry.Create(1, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1);
        Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[9], g, new float[15], 4));
        Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[8], g, new float[16], 4));
        Assert.Throws<ArgumentException>(() => Im2Col.Forward<float>(new float[9], g, new float[16], 3));
    }
}
