namespace Nabla.Tests.Ops;

public class AvgPool2dOpTests
{
    /// <summary>N, C, H, W, kernel (h, w), stride (h, w), padding (h, w).</summary>
    public static TheoryData<int, int, int, int, (int, int), (int, int), (int, int)> Configs() => new()
    {
        { 2, 3, 6, 6, (2, 2), (2, 2), (0, 0) },
        { 1, 2, 5, 7, (2, 2), (2, 2), (0, 0) },     // odd sizes
        { 2, 1, 7, 5, (3, 3), (2, 2), (1, 1) },     // overlapping, padding counted as zeros
        { 1, 2, 6, 7, (3, 2), (1, 2), (1, 1) },     // stride != kernel, per-dim sizes
        { 2, 2, 8, 6, (3, 3), (3, 1), (0, 1) },
        { 1, 3, 4, 4, (4, 4), (1, 1), (2, 2) },
    };

    [Theory, MemberData(nameof(Configs))]
    public void Forward_matches_direct_loops_and_gradcheck(int n, int c, int h, int w, (int, int) k, (int, int) s, (int, int) p)
    {
        var x = TestUtil.RandD(1, n, c, h, w);
        var expected = PoolReference.Pool2d(false, x.ToDoubleArray(), n * c, h, w, k.Item1, k.Item2, s.Item1, s.Item2, p.Item1, p.Item2,
            1, 1, out int outH, out int outW);
        var y = x.AvgPool2d(k, s, p);
        TestUtil.AssertShape(y, n, c, outH, outW);
        TestUtil.AssertClose(expected, y, 1e-12);
        TestUtil.AssertClose(expected, x.To(DType.Float32).AvgPool2d(k, s, p), 1e-5);
        TestUtil.AssertGrad(t => t[0].AvgPool2d(k, s, p), x);
    }

    [Fact]
    public void Hand_computed_values_match_pytorch()
    {
        // torch.nn.functional.avg_pool2d(x, kernel_size=3, stride=2, padding=1): divisor 9 even at the borders
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 0, 3, -1, 4, 7, 6, 2, -3, 1 }, 1, 1, 3, 4).RequiresGrad_();
        var y = x.AvgPool2d(3, stride: 2, padding: 1);
        TestUtil.AssertClose([8.0 / 9, 17.0 / 9, 10.0 / 9, 10.0 / 9], y, 1e-12);
        // upstream 9 everywhere: each element receives 1 per window containing it
        y.Backward(Tensor.Full([1, 1, 2, 2], 9, DType.Float64));
        TestUtil.AssertClose([1, 2, 1, 1, 2, 4, 2, 2, 1, 2, 1, 1], x.Grad!, 1e-12);
        Assert.Equal("AvgPool2dBackward", y.GradFn!.Name);
    }

    [Fact]
    public void AvgPool1d_matches_direct_loops_and_gradcheck()
    {
        var x = TestUtil.RandD(3, 2, 3, 10);
        var expected = PoolReference.Pool2d(false, x.ToDoubleArray(), 6, 1, 10, 1, 4, 1, 3, 0, 2, 1, 1, out _, out int outL);
        var y = x.AvgPool1d(4, stride: 3, padding: 2);
        TestUtil.AssertShape(y, 2, 3, outL);
        TestUtil.AssertClose(expected, y, 1e-12);
        TestUtil.AssertGrad(t => t[0].AvgPool1d(4, stride: 3, padding: 2), x);
        Assert.Equal([0.5f, 2.5f], Tensor.FromArray(new float[] { 1, 0, 3, 2, 9 }, 1, 5).AvgPool1d(2).ToArray<float>());
    }

    [Fact]
    public void Errors_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros(1, 2, 5, 5);
        var a = Assert.Throws<ArgumentException>(() => x.AvgPool2d(2, padding: 2));
        Assert.Contains("AvgPool2d", a.Message);
        var e = Assert.Throws<ShapeMismatchException>(() => x.AvgPool2d((2, 7)));
        Assert.Contains("[1, 2, 5, 5]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 2, 2, 2, 2).AvgPool2d(2));
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(5).AvgPool1d(2));
    }
}
