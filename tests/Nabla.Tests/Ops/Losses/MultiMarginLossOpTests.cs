namespace Nabla.Tests.Ops;

public class MultiMarginLossOpTests
{
    [Fact]
    public void Forward_matches_pytorch()
    {
        var s = Tensor.FromArray([0.1, 0.2, 0.4, 0.8, 0.5, -1, 2, 0.3], 2, 4);
        var y = Tensor.FromArray([3, 0]);
        // F.multi_margin_loss(s, y, reduction='none') (torch 1.13): [0.325, 0.825].
        TestUtil.AssertClose([0.325, 0.825], s.MultiMarginLoss(y, LossReduction.None), 1e-12);
        Assert.Equal((0.325 + 0.825) / 2, s.MultiMarginLoss(y).Item(), 12);
        // By hand, first row: (max(0, 1 − 0.8 + 0.1) + max(0, 1 − 0.8 + 0.2) + max(0, 1 − 0.8 + 0.4)) / 4 = 1.3 / 4.
        Assert.Equal(1.3 / 4, s.MultiMarginLoss(y, LossReduction.None).At(0), 12);
    }

    [Theory]
    [InlineData(LossReduction.Mean)]
    [InlineData(LossReduction.Sum)]
    [InlineData(LossReduction.None)]
    public void Gradcheck(LossReduction reduction) =>
        TestUtil.AssertGrad(t => t[0].MultiMarginLoss(Tensor.FromArray([0, 3, 1, 2]), reduction, margin: 0.7), TestUtil.RandD(1, 4, 5));

    [Fact]
    public void Bad_label_is_an_error()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 4).MultiMarginLoss(Tensor.FromArray([0, 9])));
        Assert.Contains("MultiMarginLoss", e.Message);
        Assert.Contains("label 9", e.Message);
        Assert.Contains("C = 4", e.Message);
    }
}
