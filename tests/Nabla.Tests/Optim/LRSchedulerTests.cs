using Nabla.Optim;

namespace Nabla.Tests.Optim;

public class LRSchedulerTests
{
    private static Sgd Opt(double lr) => new([Tensor.Zeros([1], requiresGrad: true)], new SgdOptions(lr));

    private static double[] Rates(LRScheduler s, int n)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++) { r[i] = s.LastLr; s.Step(); }
        return r;
    }

    [Fact]
    public void Step_and_exponential_by_formula()
    {
        TestUtil.AssertClose([1, 1, 0.5, 0.5, 0.25], Tensor.FromArray(Rates(new StepLR(Opt(1), 2, 0.5), 5)), 1e-12);
        TestUtil.AssertClose([0.1, 0.09, 0.081], Tensor.FromArray(Rates(new ExponentialLR(Opt(0.1), 0.9), 3)), 1e-12);
        TestUtil.AssertClose([0.1, 0.55, 1, 1], Tensor.FromArray(Rates(new LinearWarmupLR(Opt(1), 2, 0.1), 4)), 1e-12);
    }

    [Fact]
    public void Cosine_and_one_cycle_match_pytorch()
    {
        // torch.optim.lr_scheduler.CosineAnnealingLR(T_max=4, eta_min=0.01) from lr 0.1
        TestUtil.AssertClose([0.1, 0.0868198052, 0.055, 0.0231801948, 0.01, 0.0231801948],
            Tensor.FromArray(Rates(new CosineAnnealingLR(Opt(0.1), 4, 0.01), 6)), 1e-8);
        // torch.optim.lr_scheduler.OneCycleLR(max_lr=1.0, total_steps=10)
        TestUtil.AssertClose([0.04, 0.52, 1.0, 0.950484632, 0.8117456539, 0.6112620219, 0.3887419781, 0.1882583461, 0.049519368, 4e-06],
            Tensor.FromArray(Rates(new OneCycleLR(Opt(0.1), 1.0, 10), 10)), 1e-7);
    }
}
