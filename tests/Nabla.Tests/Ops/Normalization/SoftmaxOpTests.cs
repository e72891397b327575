namespace Nabla.Tests.Ops;

public class SoftmaxOpTests
{
    private static readonly double[] X = [1, 2, 3, -1, 0, 4];

    [Fact]
    public void Forward_matches_pytorch()
    {
        var x = Tensor.FromArray(X, 2, 3);
        // torch.softmax(x, 1) and torch.softmax(x, 0) (torch 1.13, float64)
        TestUtil.AssertClose([0.09003057317038045, 0.2447284710547976, 0.6652409557748218,
            0.006573263185309083, 0.0178679818703045, 0.9755587549443865], x.Softmax(1), 1e-12);
        TestUtil.AssertClose([0.8807970779778823, 0.8807970779778823, 0.2689414213699951,
            0.11920292202211755, 0.11920292202211755, 0.7310585786300049], x.Softmax(0), 1e-12);
        TestUtil.AssertClose(x.Softmax(1).ToDoubleArray(), x.To(DType.Float32).Softmax(-1), 1e-6);
    }

    [Fact]
    public void Rows_sum_to_one_on_a_transposed_view_and_for_huge_inputs()
    {
        var x = Tensor.FromArray([1000f, -1000f, 999f, 5f, 5f, 5f], 2, 3);
        var y = x.Softmax(1).ToArray<float>();
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1 / (1 + Math.Exp(-1)), y[0], 6);
        Assert.Equal(1.0 / 3, y[4], 6);
        var t = Tensor.FromArray(X, 2, 3).T;   // [3, 2] view
        TestUtil.AssertClose([1.0, 1, 1], t.Softmax(1).Sum(1), 1e-12);
    }

    [Theory]
    [InlineData(new[] { 4, 5 }, 1)]
    [InlineData(new[] { 4, 5 }, 0)]
    [InlineData(new[] { 2, 3, 4 }, 1)]
    [InlineData(new[] { 2, 3, 4 }, -1)]
    [InlineData(new[] { 6 }, 0)]
    public void Gradcheck(int[] shape, int dim)
    {
        TestUtil.AssertGrad(t => t[0].Softmax(dim), TestUtil.RandD(3, shape));
        if (shape.Length == 2)   // a non-contiguous (transposed) input
            TestUtil.AssertGrad(t => t[0].T.Softmax(dim), TestUtil.RandD(4, shape[1], shape[0]));
    }

    [Fact]
    public void Bad_dim_and_int_input_are_errors()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).Softmax(2));
        Assert.Contains("Softmax", e.Message);
        Assert.Throws<DTypeMismatchException>(() => Tensor.Zeros([2], DType.Int32).Softmax(0));
    }

    [Fact]
    public void No_grad_records_nothing()
    {
        var x = TestUtil.RandD(1, 2, 3);
        using (GradMode.NoGrad()) Assert.Null(x.Softmax(1).GradFn);
        Assert.Equal("SoftmaxBackward", x.Softmax(1).GradFn!.Name);
    }
}
