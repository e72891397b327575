using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class PoolingTests
{
    /// <summary>planes, H, W, kH, kW, sH, sW, pH, pW, dH, dW (sizes large enough to take the parallel path too).</summary>
    public static IEnumerable<object[]> Cases()
    {
        int[][] rows =
        [
            [1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1],
            [3, 5, 7, 2, 2, 2, 2, 0, 0, 1, 1],
            [4, 7, 5, 3, 3, 2, 2, 1, 1, 1, 1],
            [2, 6, 9, 3, 2, 1, 3, 1, 1, 1, 1],
            [2, 9, 9, 3, 3, 2, 1, 1, 0, 2, 2],
            [64, 28, 28, 2, 2, 2, 2, 0, 0, 1, 1],     // MNIST CNN size: parallel over planes
            [50, 33, 31, 3, 3, 1, 1, 1, 1, 1, 1],
            [3, 1, 40, 1, 4, 1, 3, 0, 2, 1, 1],       // 1-d
        ];
        foreach (var r in rows) yield return [r];
    }

    private static (ConvGeometry G, int Planes) Geometry(int[] r) =>
        (ConvGeometry.Create(1, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[7], r[8], r[8], r[9], r[10]), r[0]);

    private static float[] Random(int n, ulong seed)
    {
        var g = new Generator(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)g.NextGaussian();
        return a;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Max_fast_matches_scalar_twin_and_routes_gradients_to_the_argmax(int[] r)
    {
        var (g, planes) = Geometry(r);
        var x = Random(planes * g.H * g.W, 1);
        var y = new float[planes * g.OutPixels];
        var idx = new int[y.Length];
        var ys = new float[y.Length];
        var idxs = new int[y.Length];
        Pooling.MaxForward<float>(x, y, idx, planes, g);
        Pooling.MaxForwardScalar<float>(x, ys, idxs, planes, g);
        Assert.Equal(ys, y);
        Assert.Equal(idxs, idx);
        for (int o = 0; o < y.Length; o++) Assert.Equal(y[o], x[o / g.OutPixels * g.H * g.W + idx[o]]);

        var gy = Random(y.Length, 2);
        var gx = Enumerable.Repeat(3f, x.Length).ToArray();
        Pooling.MaxBackward<float>(gy, idx, gx, planes, g);
        var expected = new double[x.Length];
        for (int o = 0; o < y.Length; o++) expected[o / g.OutPixels * g.H * g.W + idx[o]] += gy[o];
        for (int i = 0; i < x.Length; i++) Assert.Equal(expected[i], gx[i], 1e-5);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Avg_fast_matches_scalar_twins(int[] r)
    {
        var (g, planes) = Geometry(r);
        var x = Random(planes * g.H * g.W, 3);
        var y = new float[planes * g.OutPixels];
        var ys = new float[y.Length];
        Pooling.AvgForward<float>(x, y, planes, g);
        Pooling.AvgForwardScalar<float>(x, ys, planes, g);
        for (int i = 0; i < y.Length; i++) Assert.Equal(ys[i], y[i], 1e-5);

        var gy = Random(y.Length, 4);
        var gx = Enumerable.Repeat(3f, x.Length).ToArray();
        var gxs = new float[x.Length];
        Pooling.AvgBackward<float>(gy, gx, planes, g);
        Pooling.AvgBackwardScalar<float>(gy, gxs, planes, g);
        for (int i = 0; i < x.Length; i++) Assert.Equal(gxs[i], gx[i], 1e-5);
    }

    [Fact]
    public void Max_takes_the_first_of_equal_values_and_skips_indices_when_not_asked()
    {
        var g = ConvGeometry.Create(1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1);
        var y = new float[1];
        var idx = new int[1];
        Pooling.MaxForward<float>(new float[] { 1, 4, 4, 2 }, y, idx, 1, g);
        Assert.Equal(4f, y[0]);
        Assert.Equal(1, idx[0]);
        Pooling.MaxForward<float>(new float[] { 1, 4, 9, 2 }, y, default, 1, g);
        Assert.Equal(9f, y[0]);
    }

    [Fact]
    public void Too_small_buffers_throw()
    {
        var g = ConvGeometry.Create(1, 4, 4, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1);
        Assert.Throws<ArgumentException>(() => Pooling.MaxForward<float>(new float[15], new float[4], default, 1, g));
        Assert.Throws<ArgumentException>(() => Pooling.AvgForward<float>(new float[16], new float[3], 1, g));
        Assert.Throws<ArgumentException>(() => Pooling.MaxBackward<float>(new float[4], new int[3], new float[16], 1, g));
    }
}
