using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The vectorised 2×2 / stride-2 max-pooling path against the scalar twin: every row width (scalar, 4-, 8- and
/// 16-wide blocks with an overlapping last block) at every vector width the machine runs, ties, NaN and −∞ in the
/// windows.</summary>
public class PoolingMax2x2Tests
{
    /// <summary>Small integers (many ties), with a sprinkling of NaN and −∞ when asked.</summary>
    private static T[] Values<T>(int n, ulong seed, bool specials) where T : IFloatingPointIeee754<T>
    {
        var g = new Generator(seed);
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            int r = g.NextInt(40);
            a[i] = specials && r == 0 ? T.NaN : specials && r == 1 ? T.NegativeInfinity : T.CreateChecked(r % 5 - 2);
        }
        return a;
    }

    private static void Check<T>(int planes, int h, int w, bool specials) where T : IFloatingPointIeee754<T>
    {
        var g = ConvGeometry.Create(1, h, w, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1);
        var x = Values<T>(planes * h * w, (ulong)(h * 100 + w), specials);
        var y = new T[planes * g.OutPixels];
        var idx = new int[y.Length];
        var ys = new T[y.Length];
        var idxs = new int[y.Length];
        Pooling.MaxForward<T>(x, y, idx, planes, g);
        Pooling.MaxForwardScalar<T>(x, ys, idxs, planes, g);
        Assert.Equal(idxs, idx);
        for (int i = 0; i < y.Length; i++)
            Assert.True(ys[i].Equals(y[i]), $"{h}×{w} output {i}: expected {ys[i]}, got {y[i]}");
        var yNoIdx = new T[y.Length];
        Pooling.MaxForward<T>(x, yNoIdx, default, planes, g);
        for (int i = 0; i < y.Length; i++) Assert.True(ys[i].Equals(yNoIdx[i]));
        foreach (var width in Vec.Supported<T>())   // each width forced (one wider than the row runs scalar)
        {
            var yw = new T[y.Length];
            var idxw = new int[y.Length];
            Pooling.MaxForward2x2<T>(x, yw, idxw, 0, planes, h, w, g.OutH, g.OutW, width);
            Assert.Equal(idxs, idxw);
            for (int i = 0; i < y.Length; i++)
                Assert.True(ys[i].Equals(yw[i]), $"{h}×{w} {width} output {i}: expected {ys[i]}, got {yw[i]}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float_matches_scalar_twin_for_every_width(bool specials)
    {
        for (int w = 2; w <= 41; w++)
            foreach (int h in new[] { 2, 3, 6 })
                Check<float>(3, h, w, specials);
    }

    [Fact]
    public void Double_matches_scalar_twin()
    {
        foreach (int w in new[] { 2, 7, 8, 9, 16, 17, 28, 33, 40 })
            Check<double>(2, 4, w, true);
    }

    [Fact]
    public void All_minus_infinity_window_keeps_index_minus_one()
    {
        var g = ConvGeometry.Create(1, 2, 16, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1);
        var x = Enumerable.Repeat(float.NegativeInfinity, 32).ToArray();
        x[5] = 1;   // window 2 has a finite maximum at flat index 5
        var y = new float[8];
        var idx = new int[8];
        Pooling.MaxForward<float>(x, y, idx, 1, g);
        Assert.Equal([-1, -1, 5, -1, -1, -1, -1, -1], idx);
        Assert.Equal(1f, y[2]);
        Assert.Equal(float.NegativeInfinity, y[0]);
    }
}
