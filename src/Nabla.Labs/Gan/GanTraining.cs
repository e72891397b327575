using Nabla.Models;
using Nabla.Optim;
using Nabla.NN;

namespace Nabla.Labs;

/// <summary>Alternating GAN training for <see cref="Gan"/> (lab code of the gan lab; kept out of Nabla.Models, which may not depend on Optim).</summary>
public static class GanTraining
{
    /// <summary>
    /// One alternating step on a real batch [N, DataSize]: (1) D step on real vs. detached G(z); (2) G step on a fresh
    /// z through D (D's gradients from this pass are discarded by the next zeroing). Returns the losses and the mean
    /// D(x) on real and D(G(z)) on the fake batch of step (1).
    /// </summary>
    public static GanStepResult TrainStep(this Gan gan, Tensor real, Optimizer discriminatorOptimizer, Optimizer generatorOptimizer, Generator? generator = null)
    {
        int n = real.Size(0);
        var fake = gan.Generator.Invoke(gan.SampleNoise(n, generator)).Detach();
        discriminatorOptimizer.ZeroGrad();
        var lr = gan.Discriminator.Invoke(real);
        var lf = gan.Discriminator.Invoke(fake);
        var lossD = lr.BinaryCrossEntropyWithLogits(Tensor.OnesLike(lr)) + lf.BinaryCrossEntropyWithLogits(Tensor.Full(lf.Shape.ToArray(), 0, lf.DType));
        lossD.Backward();
        discriminatorOptimizer.Step();
        double realScore = lr.Detach().Sigmoid().Mean().Item(), fakeScore = lf.Detach().Sigmoid().Mean().Item();

        generatorOptimizer.ZeroGrad();
        var lossG = gan.GeneratorLoss(gan.Generator.Invoke(gan.SampleNoise(n, generator)));
        lossG.Backward();
        generatorOptimizer.Step();
        return new GanStepResult(lossD.Item(), lossG.Item(), realScore, fakeScore);
    }

    /// <summary>Adam with the DCGAN settings (lr 2e-4, β1 0.5, β2 0.999) for G's or D's parameters.</summary>
    public static Adam CreateOptimizer(Module part, double learningRate = 2e-4, double beta1 = 0.5) =>
        new(part.Parameters(), new AdamOptions(LearningRate: learningRate, Beta1: beta1));
}
