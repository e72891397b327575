namespace Nabla.Tests.Ops.Shape;

public class PadOpTests
{
    [Fact]
    public void Pad_last_dims_like_f_pad()
    {
        var x = Tensor.FromArray([1f, 2, 3, 4], 2, 2);
        var p = x.Pad([1, 0]);                                     // left 1 on the last dim
        Assert.Equal([0f, 1, 2, 0, 3, 4], p.ToArray<float>());
        var q = x.Pad([0, 1, 1, 0], value: 9);                     // right 1 on last dim, top 1 on the dim before
        TestUtil.AssertShape(q, 3, 3);
        Assert.Equal([9f, 9, 9, 1, 2, 9, 3, 4, 9], q.ToArray<float>());
        Assert.Equal([2f, 4], x.Pad([-1, 0]).ToArray<float>());   // negative pad crops (F.pad)
        Assert.Equal([2f, 4], x.T.Pad([0, 0, -1, 0]).ToArray<float>());   // xᵀ = [[1, 3], [2, 4]], top row cropped
    }

    [Fact]
    public void Pad_errors_name_op_and_shape()
    {
        var x = Tensor.Zeros(2, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => x.Pad([1]));
        Assert.Contains("Pad", e.Message);
        Assert.Contains("[2, 2]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => x.Pad([1, 1, 1, 1, 1, 1]));
        Assert.Throws<ShapeMismatchException>(() => x.Pad([-2, -1]));
    }

    [Fact]
    public void Repeat_tiles_like_torch()
    {
        var x = Tensor.FromArray([1f, 2, 3]);
        // torch.tensor([1, 2, 3]).repeat(2, 2) = [[1, 2, 3, 1, 2, 3], [1, 2, 3, 1, 2, 3]]
        var r = x.Repeat(2, 2);
        TestUtil.AssertShape(r, 2, 6);
        Assert.Equal([1f, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], r.ToArray<float>());
        var m = Tensor.FromArray([1f, 2, 3, 4], 2, 2).Repeat(2, 1);
        Assert.Equal([1f, 2, 3, 4, 1, 2, 3, 4], m.ToArray<float>());
    }

    [Fact]
    public void Pad_repeat_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Pad([1, 2, 0, 1], 0.5), TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].T.Pad([-1, 1]), TestUtil.RandD(2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Repeat(2, 1, 3), TestUtil.RandD(3, 3, 2));
    }
}
