namespace Nabla.Tests.Ops;

public class NllLossOpTests
{
    [Fact]
    public void LogSoftmax_then_NllLoss_equals_pytorch_cross_entropy()
    {
        var lp = Tensor.FromArray([1.0, 2, 3, -1, 0, 4], 2, 3).LogSoftmax(1);
        var y = Tensor.FromArray([2, 0]);
        Assert.Equal(2.7161754272916014, lp.NllLoss(y).Item(), 12);   // F.nll_loss (torch 1.13)
        // By hand: −x[i, y_i].
        var x = Tensor.FromArray([-0.5, -1.5, -2.5, -3.5], 2, 2);
        Assert.Equal([1.5, 2.5], x.NllLoss(Tensor.FromArray([1, 0]), LossReduction.None).ToArray<double>());
        Assert.Equal((2 * 1.5 + 3 * 2.5) / 5, x.NllLoss(Tensor.FromArray([1, 0]), weight: Tensor.FromArray([3.0, 2])).Item(), 12);
    }

    [Theory]
    [InlineData(LossReduction.Mean)]
    [InlineData(LossReduction.Sum)]
    [InlineData(LossReduction.None)]
    public void Gradcheck(LossReduction reduction)
    {
        var y = Tensor.FromArray([0, 3, 1, -100, 2]);
        TestUtil.AssertGrad(t => t[0].NllLoss(y, reduction, Tensor.FromArray([1.0, 2, 0.5, 1])), TestUtil.RandD(1, 5, 4));
        TestUtil.AssertGrad(t => t[0].LogSoftmax(1).NllLoss(Tensor.FromArray([0, 2, 1, 1], 2, 2), reduction), TestUtil.RandD(2, 2, 3, 2));
    }

    [Fact]
    public void Bad_label_is_an_error()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 4).NllLoss(Tensor.FromArray([4, 0])));
        Assert.Contains("NllLoss", e.Message);
        Assert.Contains("label 4", e.Message);
        Assert.Contains("C = 4", e.Message);
    }
}
