using Nabla.Models;
using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class GanTrainingTests
{
    [Fact]
    public void AlternatingStepsTeachTheDiscriminatorAndMoveTheGenerator()
    {
        var gan = new Gan(new GanOptions(NoiseSize: 4, DataSize: 6, GeneratorHidden: [16], DiscriminatorHidden: [16]), new Generator(6));
        var dOpt = GanTraining.CreateOptimizer(gan.Discriminator, 1e-2);
        var gOpt = GanTraining.CreateOptimizer(gan.Generator, 1e-2);
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
}
