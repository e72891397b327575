namespace Nabla.Tests.Ops.Shape;

public class SliceOpTests
{
    private static Tensor X => Tensor.Arange(20, DType.Float64).Reshape(4, 5);

    [Fact]
    public void Slice_follows_python_rules()
    {
        // Python: list(range(5))[1:4] = [1, 2, 3]; [-2:] = [3, 4]; [::2] = [0, 2, 4]; [1:100:3] = [1, 4]; [4:1] = []
        Assert.Equal([1.0, 2, 3], X.Slice(1, 1, 4).Select(0, 0).ToArray<double>());
        Assert.Equal([3.0, 4], X.Slice(-1, -2).Select(0, 0).ToArray<double>());
        Assert.Equal([0.0, 2, 4], X.Slice(1, 0, null, 2).Select(0, 0).ToArray<double>());
        Assert.Equal([1.0, 4], X.Slice(1, 1, 100, 3).Select(0, 0).ToArray<double>());
        TestUtil.AssertShape(X.Slice(1, 4, 1), 4, 0);
        TestUtil.AssertShape(X.Slice(0, -100, 2), 2, 5);
        Assert.Equal([15.0, 17], X.Slice(0, 3).Slice(1, 0, 3, 2).ToArray<double>());
        Assert.Throws<ArgumentOutOfRangeException>(() => X.Slice(0, 0, 2, 0));
    }

    [Fact]
    public void Slice_and_select_share_storage()
    {
        var x = X;
        var s = x.Slice(1, 1, 5, 2);                               // columns 1, 3
        Assert.Equal([5, 2], s.Strides.ToArray());
        s.SetAt(-1, 2, 1);
        Assert.Equal(-1.0, x.At(2, 3));
        var r = x.Select(0, -1);                                   // last row
        Assert.Equal([15.0, 16, 17, 18, 19], r.ToArray<double>());
        r.SetAt(7, 0);
        Assert.Equal(7.0, x.At(3, 0));
        Assert.Equal([1.0, 6, 11, 16], x.Select(1, 1).ToArray<double>());
    }

    [Fact]
    public void Select_out_of_range_names_op_index_and_size()
    {
        var e = Assert.Throws<IndexOutOfRangeException>(() => X.Select(1, 5));
        Assert.Contains("Select", e.Message);
        Assert.Contains("5", e.Message);
        Assert.Contains("[4, 5]", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => X.Select(0, -5));
    }

    [Fact]
    public void Slice_select_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Slice(1, 1, -1, 2), TestUtil.RandD(1, 3, 6));
        TestUtil.AssertGrad(t => t[0].T.Slice(0, -3), TestUtil.RandD(2, 3, 5));
        TestUtil.AssertGrad(t => t[0].Select(1, -1), TestUtil.RandD(3, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Permute(2, 0, 1).Select(0, 2), TestUtil.RandD(4, 2, 3, 4));
    }
}
