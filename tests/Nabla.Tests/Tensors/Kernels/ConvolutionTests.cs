using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class ConvolutionTests
{
    /// <summary>batch, Cout, then the geometry row: C, H, W, kH, kW, sH, sW, top, bottom, left, right, dH, dW.</summary>
    public static IEnumerable<object[]> Cases()
    {
        int[][] rows =
        [
            [2, 4, 3, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],
            [5, 3, 2, 6, 5, 3, 2, 2, 1, 1, 0, 0, 1, 1, 1],
            [3, 2, 3, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2],
            [4, 6, 5, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1],     // pointwise, one image per GEMM
            [33, 4, 3, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],    // 4 output pixels: images grouped, uneven last chunk
            [9, 3, 2, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1],     // pointwise with grouping
            [3, 2, 1, 1, 30, 1, 5, 1, 2, 0, 0, 2, 2, 1, 2],    // 1-d
            [2, 4, 1, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],   // 100 columns, Co·K = 36: weight gradient by GemmDotNT
            [3, 5, 2, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],     // GemmDotNT on 162 columns (k tail), uneven chunks
            [5, 4, 3, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],     // 2×2 map: four corner regions of 2×2 taps
            [2, 3, 2, 4, 5, 3, 3, 1, 1, 3, 3, 3, 3, 1, 1],     // padding 3: rows and columns whose window is all padding
            [3, 2, 2, 5, 6, 5, 3, 2, 1, 2, 2, 1, 1, 2, 1],     // 5×3 kernel, stride 2 × 1, dilation 2 × 1
            [2, 3, 2, 7, 8, 3, 3, 2, 3, 1, 0, 2, 1, 1, 2],     // asymmetric padding, strides 2 and 3, dilation 2
            [2, 2, 2, 1, 9, 1, 5, 1, 1, 0, 0, 4, 4, 1, 1],     // 1-d, padding 4 on a 5-tap kernel
            [8, 2, 120, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],   // 120 channels: im2col in channel blocks of 56, 56, 8
            [3, 33, 35, 7, 6, 3, 3, 1, 1, 2, 0, 1, 1, 1, 1],   // Winograd on Auto (≥ 32 channels), odd output size, uneven padding
            [3, 34, 33, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],   // F(4×4, 3×3) on Auto: 8×8 outputs, two tiles a side
            [2, 3, 2, 9, 7, 3, 3, 1, 1, 0, 2, 1, 0, 1, 1],     // forced Winograd: 9×6 outputs crop F(4×4)'s tiles, padding 0 and 2
        ];
        foreach (var r in rows)
            foreach (var algorithm in new[] { "Auto", "Im2Col", "Regions", "Winograd", "Winograd4" })
                yield return [r, algorithm];
    }

    private static double[] Random(int n, ulong seed)
    {
        var g = new Generator(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = g.NextGaussian();
        return a;
    }

    /// <summary>Every (input, output, tap) triple of the convolution, by definition.</summary>
    private static IEnumerable<(int X, int Y, int W)> Triples(int batch, int cout, ConvGeometry g)
    {
        for (int n = 0; n < batch; n++)
            for (int co = 0; co < cout; co++)
                for (int oh = 0; oh < g.OutH; oh++)
                    for (int ow = 0; ow < g.OutW; ow++)
                        for (int c = 0; c < g.Channels; c++)
                            for (int a = 0; a < g.KernelH; a++)
                                for (int b = 0; b < g.KernelW; b++)
                                {
                                    int ih = oh * g.StrideH - g.PadTop + a * g.DilationH, iw = ow * g.StrideW - g.PadLeft + b * g.DilationW;
                                    if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                                    yield return (((n * g.Channels + c) * g.H + ih) * g.W + iw,
                                        ((n * cout + co) * g.OutH + oh) * g.OutW + ow,
                                        ((co * g.Channels + c) * g.KernelH + a) * g.KernelW + b);
                                }
    }

    /// <summary>float64 agreement up to summation-order rounding (relative 1e-10; rounding both to 10 decimals, as
    /// Assert.Equal(double, double, 10) does, fails at rounding boundaries once values reach tens).</summary>
    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * (1 + Math.Abs(expected)), $"{what} = {actual}, want {expected}");

    [Theory, MemberData(nameof(Cases))]
    public void Forward_and_backward_match_the_definition(int[] r, string algorithmName)
    {
        var algorithm = Enum.Parse<ConvAlgorithm>(algorithmName);
        if (algorithm is ConvAlgorithm.Winograd or ConvAlgorithm.Winograd4 && !ConvolutionWinograd.Applies(ConvGeometry.Create(r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14])))
            return;   // Winograd F(2×2, 3×3) is for 3×3 kernels at stride 1 and dilation 1 only
        int batch = r[0], cout = r[1];
        var g = ConvGeometry.Create(r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14]);
        var x = Random(batch * g.ImageSize, 1);
        var w = Random(cout * g.ColRows, 2);
        var b = Random(cout, 3);
        var gy = Random(batch * cout * g.OutPixels, 4);
        var y = new double[gy.Length];
        var ey = new double[gy.Length];
        var egx = new double[x.Length];
        var egw = new double[w.Length];
        var egb = new double[cout];
        for (int i = 0; i < ey.Length; i++) { ey[i] = b[i / g.OutPixels % cout]; egb[i / g.OutPixels % cout] += gy[i]; }
        foreach (var (xi, yi, wi) in Triples(batch, cout, g))
        {
            ey[yi] += w[wi] * x[xi];
            egx[xi] += w[wi] * gy[yi];
            egw[wi] += x[xi] * gy[yi];
        }
        Convolution.Forward<double>(x, w, b, y, batch, cout, g, algorithm);
        for (int i = 0; i < y.Length; i++) Close(ey[i], y[i], $"y[{i}]");

        var gx = Enumerable.Repeat(5.0, x.Length).ToArray();   // garbage: outputs are overwritten
        var gw = Enumerable.Repeat(5.0, w.Length).ToArray();
        var gb = Enumerable.Repeat(5.0, cout).ToArray();
        Convolution.Backward<double>(x, w, gy, gx, gw, gb, batch, cout, g, algorithm);
        for (int i = 0; i < gx.Length; i++) Close(egx[i], gx[i], $"gx[{i}]");
        for (int i = 0; i < gw.Length; i++) Close(egw[i], gw[i], $"gw[{i}]");
        for (int i = 0; i < gb.Length; i++) Close(egb[i], gb[i], $"gb[{i}]");

        // each gradient alone, and float32
        var gwOnly = new double[w.Length];
        Convolution.Backward<double>(x, w, gy, default, gwOnly, default, batch, cout, g, algorithm);
        Assert.Equal(gw, gwOnly);
        var gxOnly = new double[x.Length];
        Convolution.Backward<double>(x, w, gy, gxOnly, default, default, batch, cout, g, algorithm);
        Assert.Equal(gx, gxOnly);
        var yf = new float[y.Length];
        Convolution.Forward<float>(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(w, v => (float)v), Array.ConvertAll(b, v => (float)v), yf, batch, cout, g, algorithm);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(ey[i] - yf[i]) < 1e-4 * (1 + Math.Abs(ey[i])), $"y[{i}]");
    }

    [Fact]
    public void Tap_regions_of_a_padded_3x3_kernel_are_worked_out_by_hand()
    {
        // 4 outputs, kernel 3, padding 1: output 0 reads taps 1..2 (tap 0 is at −1), outputs 1–2 all taps, output 3
        // taps 0..1 (tap 2 is at 4)
        Assert.Equal([new(0, 1, 1, 3), new(1, 3, 0, 3), new(3, 4, 0, 2)], ConvolutionRegions.Bands(4, 4, 3, 1, 1, 1));
        // padding 3 on 2 inputs, kernel 3: 6 outputs, output o reads inputs o − 3 .. o − 1, so outputs 0 and 5 read
        // nothing, 1 and 4 one tap (2, resp. 0), 2 and 3 two taps (1..2, resp. 0..1)
        Assert.Equal([new(0, 1, 3, 3), new(1, 2, 2, 3), new(2, 3, 1, 3), new(3, 4, 0, 2), new(4, 5, 0, 1), new(5, 6, 0, 0)],
            ConvolutionRegions.Bands(6, 2, 3, 1, 3, 1));
        // share of the im2col products that touch the image: 2×2 map 16/36 = 0.44, 4×4 (10/12)² = 0.69, 8×8
        // (22/24)² = 0.84; regions are taken at 1/2 or less
        Assert.True(ConvolutionRegions.Suits(ConvGeometry.Create(8, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)));
        Assert.False(ConvolutionRegions.Suits(ConvGeometry.Create(8, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)));
        Assert.False(ConvolutionRegions.Suits(ConvGeometry.Create(8, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)));
        Assert.True(ConvolutionRegions.Suits(ConvGeometry.Create(8, 1, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)));   // 3/9 of a row
        Assert.False(ConvolutionRegions.Suits(ConvGeometry.Create(8, 8, 8, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1)));   // no padding
        Assert.Equal(9, ConvolutionRegions.Regions(ConvGeometry.Create(8, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)).Length);
    }

    [Fact]
    public void Auto_takes_the_larger_Winograd_tile_where_it_needs_at_most_three_quarters_of_the_products()
    {
        // Products per channel pair over the tiles computed, F(4×4): 36·⌈h/4⌉·⌈w/4⌉, F(2×2): 16·⌈h/2⌉·⌈w/2⌉ (by hand):
        // 3×3: 36 vs 64; 7×7: 144 vs 256; 15×15: 576 vs 1024; 16×16: 576 vs 1024 (all ≤ ¾); 5×5 and 6×6: 144 vs 144;
        // 2×2: 36 vs 16; 9×9: 324 vs 400 (> ¾); 11×11: 324 vs 576.
        static ConvGeometry Same(int c, int side) => ConvGeometry.Create(c, side, side, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        foreach (int side in new[] { 3, 4, 7, 8, 11, 15, 16, 32 }) Assert.True(ConvolutionWinograd.SuitsF4(Same(64, side)), $"{side}×{side}");
        foreach (int side in new[] { 1, 2, 5, 6, 9, 10 }) Assert.False(ConvolutionWinograd.SuitsF4(Same(64, side)), $"{side}×{side}");
        Assert.True(ConvolutionWinograd.Suits(Same(256, 3), 256));    // one cropped F(4×4) tile
        Assert.False(ConvolutionWinograd.Suits(Same(256, 2), 256));   // tap regions
        Assert.False(ConvolutionWinograd.Suits(Same(24, 31), 64));    // too few channels for the transforms to pay
    }

    [Theory]
    [InlineData("Im2Col", 2e-6)]
    [InlineData("Winograd", 2e-6)]
    [InlineData("Winograd4", 1e-5)]   // F(4×4, 3×3) multiplies by up to 8 and divides by 24: a few times the rounding error
    public void Float32_error_against_a_float64_direct_sum_is_rounding_level(string algorithmName, double bound)
    {
        // a VGG-like layer (64 → 64 channels, 8×8, padding 1): the worst error of float32 relative to the largest
        // output, which is what the transforms could inflate (they add up to 9 patch values before multiplying)
        var algorithm = Enum.Parse<ConvAlgorithm>(algorithmName);
        var g = ConvGeometry.Create(64, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        int batch = 4, cout = 64;
        var x = Random(batch * g.ImageSize, 11);
        var w = Array.ConvertAll(Random(cout * g.ColRows, 12), v => v / 24);   // ~ Kaiming scale for 576 inputs
        var y64 = new double[batch * cout * g.OutPixels];
        Convolution.Forward<double>(x, w, default, y64, batch, cout, g, ConvAlgorithm.Im2Col);
        var y32 = new float[y64.Length];
        Convolution.Forward<float>(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(w, v => (float)v), default, y32, batch, cout, g, algorithm);
        double scale = y64.Max(Math.Abs), worst = 0;
        for (int i = 0; i < y64.Length; i++) worst = Math.Max(worst, Math.Abs(y32[i] - y64[i]) / scale);
        Assert.True(worst < bound, $"{algorithm}: worst float32 error {worst:E2} of the largest output");
        Console.WriteLine($"{algorithm}: worst float32 error {worst:E2} of the largest output");
    }

    [Fact]
    public void Results_are_identical_across_runs()
    {
        // static chunk-to-worker assignment and ordered partial sums: bitwise reproducible weight gradients
        var g = ConvGeometry.Create(3, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        int batch = 7, cout = 4;
        var x = Array.ConvertAll(Random(batch * g.ImageSize, 5), v => (float)v);
        var w = Array.ConvertAll(Random(cout * g.ColRows, 6), v => (float)v);
        var gy = Array.ConvertAll(Random(batch * cout * g.OutPixels, 7), v => (float)v);
        var first = new float[w.Length];
        Convolution.Backward<float>(x, w, gy, default, first, default, batch, cout, g);
        for (int run = 0; run < 5; run++)
        {
            var again = new float[w.Length];
            Convolution.Backward<float>(x, w, gy, default, again, default, batch, cout, g);
            Assert.Equal(first, again);
        }
    }

    [Fact]
    public void Wrong_sizes_throw()
    {
        var g = ConvGeometry.Create(2, 4, 4, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1);
        Assert.Throws<ArgumentException>(() => Convolution.Forward<float>(new float[31], new float[18], default, new float[8], 1, 1, g));
        Assert.Throws<ArgumentException>(() => Convolution.Forward<float>(new float[32], new float[17], default, new float[8], 1, 1, g));
        Assert.Throws<ArgumentException>(() => Convolution.Forward<float>(new float[32], new float[18], new float[2], new float[8], 1, 1, g));
        Assert.Throws<ArgumentException>(() => Convolution.Backward<float>(new float[32], new float[18], new float[4], new float[31], default, default, 1, 1, g));
    }
}
