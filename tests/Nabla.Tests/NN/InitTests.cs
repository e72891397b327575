using Nabla.NN;

namespace Nabla.Tests.NN;

public class InitTests
{
    private static (double Mean, double Var, double Min, double Max) Stats(Tensor t)
    {
        var v = t.ToDoubleArray();
        double m = v.Average();
        return (m, v.Average(x => (x - m) * (x - m)), v.Min(), v.Max());
    }

    [Fact]
    public void Xavier_uniform_uses_d_equal_sqrt_6_over_fans()
    {
        var w = Tensor.Zeros(300, 500);
        Init.XavierUniform_(w, generator: new Generator(1));
        double d = Math.Sqrt(6.0 / 800);
        var s = Stats(w);
        Assert.True(s.Min >= -d && s.Max <= d);
        Assert.True(s.Max > 0.99 * d && s.Min < -0.99 * d);
        Assert.InRange(s.Var, d * d / 3 * 0.97, d * d / 3 * 1.03);
        Assert.InRange(s.Mean, -0.002, 0.002);
    }

    [Fact]
    public void Normal_kaiming_and_xavier_normal_variances()
    {
        var w = Tensor.Zeros(256, 128, 3, 3);   // fan_in = 1152, fan_out = 2304
        Init.KaimingNormal_(w, nonlinearity: Nonlinearity.ReLU, generator: new Generator(2));
        Assert.InRange(Stats(w).Var, 2.0 / 1152 * 0.98, 2.0 / 1152 * 1.02);
        Init.XavierNormal_(w, generator: new Generator(3));
        Assert.InRange(Stats(w).Var, 2.0 / (1152 + 2304) * 0.98, 2.0 / (1152 + 2304) * 1.02);
        Init.KaimingUniform_(w, nonlinearity: Nonlinearity.ReLU, generator: new Generator(4));
        Assert.InRange(Stats(w).Var, 2.0 / 1152 * 0.98, 2.0 / 1152 * 1.02);
        Init.Normal_(w, 1, 2, new Generator(5));
        var s = Stats(w);
        Assert.InRange(s.Mean, 0.98, 1.02);
        Assert.InRange(s.Var, 3.92, 4.08);
    }

    [Fact]
    public void Constant_zero_and_named_schemes()
    {
        var w = Tensor.Ones(3, 3);
        Init.Apply_(w, InitScheme.Zeros);
        Assert.All(w.ToArray<float>(), v => Assert.Equal(0f, v));
        Init.Constant_(w, 0.5);
        Assert.All(w.ToArray<float>(), v => Assert.Equal(0.5f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => Init.Apply_(w, (InitScheme)99));
        Assert.Throws<ArgumentException>(() => Init.XavierUniform_(Tensor.Zeros(5)));
        Assert.Equal(5.0 / 3, Init.CalculateGain(Nonlinearity.Tanh), 12);
    }
}
