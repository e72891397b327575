using Nabla.NN;

namespace Nabla.Tests.NN;

public class LinearTests
{
    [Fact]
    public void Forward_by_hand()
    {
        var l = new Linear(2, 2);
        l.Weight.CopyFrom_(Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } }));
        l.Bias!.CopyFrom_(Tensor.FromArray([10f, 20f]));
        // [1, 1]·Wᵀ + b = [1+2+10, 3+4+20]
        Assert.Equal([13f, 27f, 10f, 20f], l.Forward(Tensor.FromArray(new float[,] { { 1, 1 }, { 0, 0 } })).ToArray<float>());
        TestUtil.AssertShape(l.Forward(Tensor.Zeros(3, 5, 2)), 3, 5, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => l.Forward(Tensor.Zeros(3, 4)));
        Assert.Contains("[3, 4]", e.Message);
    }

    [Fact]
    public void Default_init_is_uniform_within_one_over_sqrt_fan_in_and_zero_bias()
    {
        var l = new Linear(400, 300, generator: new Generator(1));
        var w = l.Weight.ToArray<float>();
        double bound = 1 / Math.Sqrt(400);
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        double var = w.Average(v => (double)v * v);
        Assert.InRange(var, bound * bound / 3 * 0.95, bound * bound / 3 * 1.05);   // Var U(−b, b) = b²/3
        Assert.All(l.Bias!.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Linear_op_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Linear(t[1], t[2]), TestUtil.RandD(1, 5, 3), TestUtil.RandD(2, 4, 3), TestUtil.RandD(3, 4));
        TestUtil.AssertGrad(t => t[0].Linear(t[1]), TestUtil.RandD(1, 2, 5, 3), TestUtil.RandD(2, 4, 3));
    }
}
