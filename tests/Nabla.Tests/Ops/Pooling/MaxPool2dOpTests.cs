namespace Nabla.Tests.Ops;

public class MaxPool2dOpTests
{
    /// <summary>N, C, H, W, kernel (h, w), stride (h, w), padding (h, w), dilation (h, w).</summary>
    public static TheoryData<int, int, int, int, (int, int), (int, int), (int, int), (int, int)> Configs() => new()
    {
        { 2, 3, 6, 6, (2, 2), (2, 2), (0, 0), (1, 1) },     // the CNN case
        { 1, 2, 5, 7, (2, 2), (2, 2), (0, 0), (1, 1) },     // odd sizes: last row/column dropped
        { 2, 1, 7, 5, (3, 3), (2, 2), (1, 1), (1, 1) },     // overlapping windows with padding
        { 1, 2, 6, 7, (3, 2), (1, 2), (1, 1), (1, 1) },     // stride != kernel, per-dim sizes
        { 2, 2, 8, 6, (3, 3), (3, 1), (0, 1), (1, 1) },
        { 1, 1, 9, 9, (3, 3), (2, 2), (1, 1), (2, 2) },     // dilation
        { 1, 3, 4, 4, (4, 4), (1, 1), (2, 2), (1, 1) },
    };

    [Theory, MemberData(nameof(Configs))]
    public void Forward_matches_direct_loops_and_gradcheck(int n, int c, int h, int w, (int, int) k, (int, int) s, (int, int) p, (int, int) d)
    {
        var x = TestUtil.RandD(1, n, c, h, w);
        var expected = PoolReference.Pool2d(true, x.ToDoubleArray(), n * c, h, w, k.Item1, k.Item2, s.Item1, s.Item2, p.Item1, p.Item2,
            d.Item1, d.Item2, out int outH, out int outW);
        var y = x.MaxPool2d(k, s, p, d);
        TestUtil.AssertShape(y, n, c, outH, outW);
        TestUtil.AssertClose(expected, y, 0);
        TestUtil.AssertClose(expected, x.To(DType.Float32).MaxPool2d(k, s, p, d), 1e-6);
        TestUtil.AssertGrad(t => t[0].MaxPool2d(k, s, p, d), x);
    }

    [Fact]
    public void Hand_computed_values_and_gradient_match_pytorch()
    {
        // torch.nn.functional.max_pool2d(x, kernel_size=3, stride=2, padding=1) and its gradient for upstream [1, 10, 100, 1000]
        var x = Tensor.FromArray(new float[] { 1, 5, 2, 0, 3, -1, 4, 7, 6, 2, -3, 1 }, 1, 1, 3, 4).RequiresGrad_();
        var y = x.MaxPool2d(3, stride: 2, padding: 1);
        Assert.Equal([5f, 7f, 6f, 7f], y.ToArray<float>());
        y.Backward(Tensor.FromArray(new float[] { 1, 10, 100, 1000 }, 1, 1, 2, 2));
        Assert.Equal([0f, 1, 0, 0, 0, 0, 0, 1010, 100, 0, 0, 0], x.Grad!.ToArray<float>());
        Assert.Equal("MaxPool2dBackward", y.GradFn!.Name);
    }

    [Fact]
    public void Stride_defaults_to_kernel_and_unbatched_input_works()
    {
        var x = Tensor.Arange(16).Reshape(1, 4, 4);
        Assert.Equal([5f, 7f, 13f, 15f], x.MaxPool2d(2).ToArray<float>());
        TestUtil.AssertShape(x.MaxPool2d(2), 1, 2, 2);
        TestUtil.AssertShape(x.MaxPool2d((2, 1)), 1, 2, 4);
    }

    [Fact]
    public void Nan_propagates_and_no_grad_saves_nothing()
    {
        var x = Tensor.FromArray(new float[] { 1, float.NaN, 3, 4 }, 1, 1, 2, 2);
        Assert.True(float.IsNaN(x.MaxPool2d(2).ToArray<float>()[0]));
        var xr = TestUtil.RandD(2, 1, 1, 4, 4);
        using (GradMode.NoGrad()) Assert.Null(xr.MaxPool2d(2).GradFn);
    }

    [Fact]
    public void MaxPool1d_matches_direct_loops_and_gradcheck()
    {
        var x = TestUtil.RandD(3, 2, 3, 11);
        var expected = PoolReference.Pool2d(true, x.ToDoubleArray(), 6, 1, 11, 1, 3, 1, 2, 0, 1, 1, 1, out _, out int outL);
        var y = x.MaxPool1d(3, stride: 2, padding: 1);
        TestUtil.AssertShape(y, 2, 3, outL);
        TestUtil.AssertClose(expected, y, 0);
        TestUtil.AssertGrad(t => t[0].MaxPool1d(3, stride: 2, padding: 1), x);
        TestUtil.AssertGrad(t => t[0].MaxPool1d(2), TestUtil.RandD(4, 3, 7));   // unbatched [C, L]
        Assert.Equal([1f, 3f], Tensor.FromArray(new float[] { 1, 0, 3, 2, 9 }, 1, 5).MaxPool1d(2).ToArray<float>());
    }

    [Fact]
    public void Errors_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros(1, 2, 5, 5);
        var a = Assert.Throws<ArgumentException>(() => x.MaxPool2d(3, padding: 2));
        Assert.Contains("MaxPool2d", a.Message);
        Assert.Contains("half of the kernel size", a.Message);
        var e = Assert.Throws<ShapeMismatchException>(() => x.MaxPool2d(6));
        Assert.Contains("[1, 2, 5, 5]", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(5, 5).MaxPool2d(2));
        Assert.Contains("rank 2", e.Message);
        Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, stride: 0));
        a = Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 2, 5).MaxPool1d(2, padding: 2));
        Assert.Contains("MaxPool1d", a.Message);
        Assert.Throws<DTypeMismatchException>(() => Tensor.Zeros([1, 1, 4, 4], DType.Int32).MaxPool2d(2));
    }
}
