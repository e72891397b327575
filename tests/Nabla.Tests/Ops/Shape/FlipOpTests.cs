namespace Nabla.Tests.Ops.Shape;

public class FlipOpTests
{
    [Fact]
    public void Flip_values_and_copy()
    {
        var x = Tensor.Arange(6).Reshape(2, 3);                    // [[0, 1, 2], [3, 4, 5]]
        Assert.Equal([2f, 1, 0, 5, 4, 3], x.Flip(1).ToArray<float>());
        Assert.Equal([3f, 4, 5, 0, 1, 2], x.Flip(0).ToArray<float>());
        Assert.Equal([5f, 4, 3, 2, 1, 0], x.Flip(0, -1).ToArray<float>());
        Assert.Equal([3f, 0, 4, 1, 5, 2], x.T.Flip(1).ToArray<float>());   // xᵀ = [[0,3],[1,4],[2,5]]
        var f = x.Flip(0);
        f.SetAt(100, 0, 0);
        Assert.Equal(3.0, x.At(1, 0));                             // a copy, like torch.flip
        Assert.Equal([2, 1], Tensor.FromArray([1, 2]).Flip(0).ToArray<int>());
        Assert.Throws<ArgumentException>(() => x.Flip(1, -1));
    }

    [Fact]
    public void Flip_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Flip(0, 2), TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].T.Flip(-1), TestUtil.RandD(2, 3, 4));
    }
}
