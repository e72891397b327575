namespace Nabla.Tests.Ops.Indexing;

public class IndexSelectOpTests
{
    private static Tensor X => Tensor.Arange(12, DType.Float64).Reshape(3, 4);

    [Fact]
    public void Index_select_values()
    {
        // PyTorch 1.13: arange(12).reshape(3, 4).index_select(1, [3, 0, 3]) = [[3, 0, 3], [7, 4, 7], [11, 8, 11]]
        var y = X.IndexSelect(1, Tensor.FromArray([3, 0, 3]));
        TestUtil.AssertShape(y, 3, 3);
        Assert.Equal([3.0, 0, 3, 7, 4, 7, 11, 8, 11], y.ToArray<double>());
        Assert.Equal([8.0, 9, 10, 11, 0, 1, 2, 3], X.IndexSelect(-2, Tensor.FromArray([2, 0])).ToArray<double>());
        Assert.Equal([3.0, 7, 11, 2, 6, 10], X.T.IndexSelect(0, Tensor.FromArray([3, 2])).ToArray<double>());
        TestUtil.AssertShape(X.IndexSelect(0, Tensor.Empty([0], DType.Int32)), 0, 4);
    }

    [Fact]
    public void Repeated_indices_accumulate_gradient()
    {
        var x = X.RequiresGrad_();
        x.IndexSelect(1, Tensor.FromArray([3, 0, 3])).Sum().Backward();
        Assert.Equal([1.0, 0, 0, 2, 1, 0, 0, 2, 1, 0, 0, 2], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Bad_index_errors()
    {
        var e = Assert.Throws<IndexOutOfRangeException>(() => X.IndexSelect(1, Tensor.FromArray([1, 4])));
        Assert.Contains("IndexSelect", e.Message);
        Assert.Contains("index 4", e.Message);
        Assert.Contains("size 4", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => X.IndexSelect(0, Tensor.FromArray([-1])));
        Assert.Throws<DTypeMismatchException>(() => X.IndexSelect(0, Tensor.FromArray([1.0])));
        Assert.Contains("[3, 4]", Assert.Throws<ShapeMismatchException>(() => X.IndexSelect(0, Tensor.FromArray([1, 2], 1, 2))).Message);
    }

    [Fact]
    public void Index_select_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].IndexSelect(1, Tensor.FromArray([2, 0, 2, 1])), TestUtil.RandD(1, 2, 3, 2));
        TestUtil.AssertGrad(t => t[0].T.IndexSelect(-1, Tensor.FromArray([1])), TestUtil.RandD(2, 3, 4));
    }
}
