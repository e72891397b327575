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

    [Theory, MemberData(nameof(Cases))]
    public void Forward_and_backward_match_the_definition(int[] r)
    {
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
        Convolution.Forward<double>(x, w, b, y, batch, cout, g);
        for (int i = 0; i < y.Length; i++) Assert.Equal(ey[i], y[i], 10);

        var gx = Enumerable.Repeat(5.0, x.Length).ToArray();   // garbage: outputs are overwritten
        var gw = Enumerable.Repeat(5.0, w.Length).ToArray();
        var gb = Enumerable.Repeat(5.0, cout).ToArray();
        Convolution.Backward<double>(x, w, gy, gx, gw, gb, batch, cout, g);
        for (int i = 0; i < gx.Length; i++) Assert.Equal(egx[i], gx[i], 10);
        for (int i = 0; i < gw.Length; i++) Assert.Equal(egw[i], gw[i], 10);
        for (int i = 0; i < gb.Length; i++) Assert.Equal(egb[i], gb[i], 10);

        // each gradient alone, and float32
        var gwOnly = new double[w.Length];
        Convolution.Backward<double>(x, w, gy, default, gwOnly, default, batch, cout, g);
        Assert.Equal(gw, gwOnly);
        var gxOnly = new double[x.Length];
        Convolution.Backward<double>(x, w, gy, gxOnly, default, default, batch, cout, g);
        Assert.Equal(gx, gxOnly);
        var yf = new float[y.Length];
        Convolution.Forward<float>(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(w, v => (float)v), Array.ConvertAll(b, v => (float)v), yf, batch, cout, g);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(ey[i] - yf[i]) < 1e-4 * (1 + Math.Abs(ey[i])), $"y[{i}]");
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
