namespace Nabla.Tests.Ops;

public class LogSoftmaxOpTests
{
    [Fact]
    public void Forward_matches_pytorch()
    {
        var x = Tensor.FromArray([1.0, 2, 3, -1, 0, 4], 2, 3);
        // torch.log_softmax(x, 1) (torch 1.13, float64)
        TestUtil.AssertClose([-2.4076059644443806, -1.4076059644443804, -0.4076059644443804,
            -5.024744890138822, -4.024744890138822, -0.02474489013882259], x.LogSoftmax(1), 1e-12);
    }

    [Fact]
    public void Huge_logits_give_finite_values_and_gradients()
    {
        var x = Tensor.FromArray([1000.0, -1000, 999, -1000, 1000, 0], 2, 3).RequiresGrad_();
        var y = x.LogSoftmax(1);
        double l = Math.Log(1 + Math.Exp(-1));
        TestUtil.AssertClose([-l, -2000 - l, -1 - l, -2000, 0, -1000], y, 1e-12);
        y.Backward(Tensor.OnesLike(y));
        Assert.All(x.Grad!.ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
        // Each row: dx = 1 − 3·softmax.
        Assert.Equal(1 - 3 / (1 + Math.Exp(-1)), x.Grad!.At(0, 0), 12);
    }

    [Theory]
    [InlineData(new[] { 4, 5 }, 1)]
    [InlineData(new[] { 4, 5 }, 0)]
    [InlineData(new[] { 2, 3, 4 }, 1)]
    [InlineData(new[] { 2, 3, 4 }, 2)]
    public void Gradcheck(int[] shape, int dim) =>
        TestUtil.AssertGrad(t => t[0].LogSoftmax(dim), TestUtil.RandD(5, shape));

    [Fact]
    public void Equals_log_of_softmax()
    {
        var x = TestUtil.RandD(7, 3, 4, 5);
        var a = x.LogSoftmax(1).ToDoubleArray();
        var b = x.Softmax(1).ToDoubleArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(Math.Log(b[i]), a[i], 12);
    }
}
