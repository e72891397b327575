using Nabla.Models;

namespace Nabla.Tests.Models;

public class GanTests
{
    [Fact]
    public void ShapesAndParameterCountsByHand()
    {
        var gan = new Gan(new GanOptions(NoiseSize: 8, DataSize: 12, GeneratorHidden: [16], DiscriminatorHidden: [10]), new Generator(1));
        // G: 8·16 + 16 + 16·12 + 12 = 348; D: 12·10 + 10 + 10·1 + 1 = 141 (dropout has no parameters).
        Assert.Equal(348, gan.Generator.ParameterCount());
        Assert.Equal(141, gan.Discriminator.ParameterCount());
        var fake = gan.Forward(gan.SampleNoise(5, new Generator(2)));
        TestUtil.AssertShape(fake, 5, 12);
        Assert.All(fake.ToArray<float>(), v => Assert.InRange(v, -1f, 1f));         // tanh output
        TestUtil.AssertShape(gan.Discriminator.Forward(fake), 5, 1);
    }

    [Fact]
    public void LossesAreTheMinimaxAndNonSaturatingFormulas()
    {
        var gan = new Gan(new GanOptions(NoiseSize: 4, DataSize: 6, GeneratorHidden: [8], DiscriminatorHidden: [8]), new Generator(3));
        gan.Eval();                                                               // no dropout: D is deterministic
        var real = Tensor.Rand([7, 6], -1, 1, DType.Float32, new Generator(4));
        var fake = gan.Forward(gan.SampleNoise(7, new Generator(5)));
        var dr = gan.Discriminator.Forward(real).Sigmoid().ToDoubleArray();
        var df = gan.Discriminator.Forward(fake).Sigmoid().ToDoubleArray();
        // L_D = −mean log D(x) − mean log(1 − D(G(z))); L_G = −mean log D(G(z)).
        double ld = -dr.Average(Math.Log) - df.Average(p => Math.Log(1 - p));
        double lg = -df.Average(Math.Log);
        Assert.Equal(ld, gan.DiscriminatorLoss(real, fake).Item(), 1e-5);
        Assert.Equal(lg, gan.GeneratorLoss(fake).Item(), 1e-5);
    }

    [Fact]
    public void InvalidSizesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Gan(new GanOptions(NoiseSize: 0)));
        Assert.Contains("noise 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Gan(new GanOptions(DiscriminatorDropout: 1)));
        Assert.Contains("dropout", e.Message);
    }
}
