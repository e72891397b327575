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
    public void AlternatingStepsTeachTheDiscriminatorAndMoveTheGenerator()
    {
        var gan = new Gan(new GanOptions(NoiseSize: 4, DataSize: 6, GeneratorHidden: [16], DiscriminatorHidden: [16]), new Generator(6));
        var dOpt = Gan.CreateOptimizer(gan.Discriminator, 1e-2);
        var gOpt = Gan.CreateOptimizer(gan.Generator, 1e-2);
        Assert.Equal(0.5, dOpt.Options.Beta1);
        var real = Tensor.Full([32, 6], 0.8);                                     // a single "real" point
        var g0 = gan.Generator.Parameters().First().ToArray<float>();
        var z = gan.SampleNoise(64, new Generator(8));
        double distance0 = (gan.Forward(z) - 0.8).Abs().Mean().Item();
        var rng = new Generator(7);
        var first = gan.TrainStep(real, dOpt, gOpt, rng);
        // After one D step, D separates this real batch from fakes better than at initialisation (D(x) > D(G(z))).
        Assert.True(first.RealScore > first.FakeScore - 0.05, $"{first}");
        for (int s = 0; s < 60; s++) gan.TrainStep(real, dOpt, gOpt, rng);
        Assert.NotEqual(g0, gan.Generator.Parameters().First().ToArray<float>());
        // The generator is pulled towards the single real point 0.8.
        double distance = (gan.Forward(z) - 0.8).Abs().Mean().Item();
        Assert.True(distance < distance0 / 2, $"mean |G(z) − 0.8|: {distance0} → {distance}");
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
