namespace Nabla.Tests.Ops.Shape;

public class SqueezeOpTests
{
    [Fact]
    public void Squeeze_and_unsqueeze_are_views()
    {
        var x = Tensor.Arange(6).Reshape(1, 2, 1, 3);
        var s = x.Squeeze();
        TestUtil.AssertShape(s, 2, 3);
        TestUtil.AssertShape(x.Squeeze(2), 1, 2, 3);
        TestUtil.AssertShape(x.Squeeze(-1), 1, 2, 1, 3);          // size 3: unchanged, like PyTorch
        var u = s.Unsqueeze(-1);
        TestUtil.AssertShape(u, 2, 3, 1);
        TestUtil.AssertShape(s.Unsqueeze(0), 1, 2, 3);
        TestUtil.AssertShape(s.Unsqueeze(1), 2, 1, 3);
        Assert.True(u.IsContiguous);
        s.SetAt(42, 1, 2);                                         // shares storage with x
        Assert.Equal(42.0, x.At(0, 1, 0, 2));
        Assert.Equal(42.0, u.At(1, 2, 0));
        TestUtil.AssertShape(Tensor.Scalar(3).Unsqueeze(0), 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Unsqueeze(3));
    }

    [Fact]
    public void Unsqueeze_of_a_transposed_view_keeps_values()
    {
        var t = Tensor.Arange(6).Reshape(2, 3).T;                  // [[0, 3], [1, 4], [2, 5]]
        Assert.Equal([0f, 3, 1, 4, 2, 5], t.Unsqueeze(1).ToArray<float>());
    }

    [Fact]
    public void Squeeze_unsqueeze_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Squeeze() * t[1], TestUtil.RandD(1, 3, 1, 4), TestUtil.RandD(2, 3, 4));
        TestUtil.AssertGrad(t => t[0].T.Unsqueeze(1) * t[1], TestUtil.RandD(1, 3, 4), TestUtil.RandD(2, 4, 2, 3));
        TestUtil.AssertGrad(t => t[0].Squeeze(0), TestUtil.RandD(3, 1, 4));
    }
}
