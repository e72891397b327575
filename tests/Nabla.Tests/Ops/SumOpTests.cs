namespace Nabla.Tests.Ops;

public class SumOpTests
{
    [Fact]
    public void Sums_over_any_dims_with_keepdim()
    {
        var x = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        Assert.Equal(276.0, x.Sum().Item());                      // 0+…+23 = 23·24/2
        var s1 = x.Sum(1);
        TestUtil.AssertShape(s1, 2, 4);
        Assert.Equal([12.0, 15, 18, 21, 48, 51, 54, 57], s1.ToArray<double>());
        var s02 = x.Sum([0, 2], keepDim: true);
        TestUtil.AssertShape(s02, 1, 3, 1);
        Assert.Equal([60.0, 92, 124], s02.ToArray<double>());   // e.g. dim1=0: (0+1+2+3)+(12+13+14+15)
        Assert.Equal(x.Sum(-1).ToArray<double>(), x.Sum(2).ToArray<double>());
    }

    [Fact]
    public void Sum_of_a_transposed_view()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal([6.0, 15], x.T.Sum(0).ToArray<double>());
    }

    [Fact]
    public void Sum_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Sum(), TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].Sum(1), TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Sum([0, 2], keepDim: true), TestUtil.RandD(1, 2, 3, 4));
    }
}
