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

    [Fact]
    public void Dirac_sets_the_centre_tap_of_each_channel_to_one_and_the_conv_then_copies_its_input()
    {
        var w = Init.Dirac_(Tensor.Ones([4, 2, 3, 3]));
        var v = w.ToArray<float>();
        for (int o = 0; o < 4; o++)
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 9; k++)
                    Assert.Equal(o == i && k == 4 ? 1f : 0f, v[(o * 2 + i) * 9 + k]);
        // A "same" conv with these filters copies input channels 0 and 1 and outputs zeros on 2 and 3.
        var x = Tensor.Randn([2, 2, 5, 5], generator: new Generator(3));
        var y = x.Conv2d(w, null, 1, 1).ToArray<float>();
        var xs = x.ToArray<float>();
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 4; c++)
                for (int p = 0; p < 25; p++)
                    Assert.Equal(c < 2 ? xs[(n * 2 + c) * 25 + p] : 0f, y[(n * 4 + c) * 25 + p], 6);
    }

    [Fact]
    public void Dirac_on_a_narrowed_view_touches_only_those_filters_and_even_kernels_use_k_over_2()
    {
        var w = Tensor.Full([3, 2, 2, 2], 7.0);
        using (GradMode.NoGrad()) Init.Dirac_(w.Narrow(0, 0, 2));
        var v = w.ToArray<float>();
        // Filters 0 and 1 (8 taps each): one at [d, d, 1, 1] (centre index 2/2 = 1, as PyTorch), zero elsewhere.
        for (int o = 0; o < 2; o++)
            for (int t = 0; t < 8; t++)
                Assert.Equal(t == o * 4 + 3 ? 1f : 0f, v[o * 8 + t]);
        Assert.All(v[16..], x => Assert.Equal(7f, x));   // filter 2 untouched
        Assert.Throws<ArgumentException>(() => Init.Dirac_(Tensor.Ones([3, 3])));
    }
}
