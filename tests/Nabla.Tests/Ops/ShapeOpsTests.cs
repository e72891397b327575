namespace Nabla.Tests.Ops;

public class ShapeOpsTests
{
    [Fact]
    public void Reshape_infers_minus_one_and_checks_counts()
    {
        var x = Tensor.Arange(12);
        TestUtil.AssertShape(x.Reshape(3, -1), 3, 4);
        TestUtil.AssertShape(x.Reshape(2, 3, 2).Flatten(), 2, 6);
        Assert.Throws<ShapeMismatchException>(() => x.Reshape(5, -1));
        Assert.Throws<ShapeMismatchException>(() => x.Reshape(-1, -1));
    }

    [Fact]
    public void Permute_is_a_view_with_permuted_strides()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        var p = x.Permute(2, 0, 1);
        TestUtil.AssertShape(p, 4, 2, 3);
        Assert.Equal(x.At(1, 2, 3), p.At(3, 1, 2));
        Assert.Equal([1, 12, 4], p.Strides.ToArray());
        Assert.False(p.IsContiguous);
    }

    [Fact]
    public void Expand_and_SumToShape_undo_each_other()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        var e = x.Expand(2, 3, 4);
        TestUtil.AssertShape(e, 2, 3, 4);
        Assert.Equal(0, e.Strides[0]);
        var s = e.SumToShape([3, 1]);
        Assert.Equal([8f, 16f, 24f], s.ToArray<float>());
    }

    [Fact]
    public void Shape_ops_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Reshape(4, 3) * t[1], TestUtil.RandD(1, 3, 4), TestUtil.RandD(2, 4, 3));
        TestUtil.AssertGrad(t => t[0].Permute(2, 0, 1) * t[1], TestUtil.RandD(1, 2, 3, 4), TestUtil.RandD(2, 4, 2, 3));
        TestUtil.AssertGrad(t => t[0].Expand(2, 3, 4), TestUtil.RandD(1, 3, 1));
        TestUtil.AssertGrad(t => t[0].T.Flatten(0), TestUtil.RandD(1, 3, 4));
    }
}
