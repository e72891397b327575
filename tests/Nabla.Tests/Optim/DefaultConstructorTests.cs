using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>
/// Every optimizer is constructible from its parameters alone, with PyTorch's defaults. The constants were read from
/// PyTorch 1.13 (<c>/usr/bin/python3 -c "import torch, inspect; print(inspect.signature(torch.optim.Adam.__init__))"</c>,
/// likewise for AdamW, RMSprop, Adagrad); SGD's lr is required in 1.13 and defaults to 1e-3 from PyTorch 2.2 on
/// (its docs), so the SGD reference below passes lr=1e-3 explicitly. Expected parameters: θ = [1, −2, 3], three steps
/// with the gradients of <see cref="OptimizerTests"/>, float64, e.g.
/// <c>o = torch.optim.Adam([p]); for g in G: p.grad = torch.tensor(g, dtype=torch.float64); o.step()</c>.
/// </summary>
public class DefaultConstructorTests
{
    // PyTorch defaults (torch.optim.*.__init__ signatures, PyTorch 1.13; SGD lr from PyTorch ≥ 2.2).
    private const double SgdLr = 1e-3, SgdMomentum = 0, SgdDampening = 0, SgdWeightDecay = 0;
    private const double AdamLr = 1e-3, AdamBeta1 = 0.9, AdamBeta2 = 0.999, AdamEps = 1e-8, AdamWeightDecay = 0, AdamWWeightDecay = 1e-2;
    private const double RmsPropLr = 1e-2, RmsPropAlpha = 0.99, RmsPropEps = 1e-8, RmsPropWeightDecay = 0, RmsPropMomentum = 0;
    private const double AdaGradLr = 1e-2, AdaGradEps = 1e-10, AdaGradWeightDecay = 0, AdaGradInitialAccumulator = 0;

    private static readonly double[][] Grads = [[0.5, -1.0, 0.25], [1.0, 1.0, -2.0], [-0.3, 0.2, 0.1]];

    private static Tensor Param() => Tensor.FromArray([1.0, -2.0, 3.0]).RequiresGrad_();

    private static double[] Run(Tensor p, Optimizer opt)
    {
        foreach (var g in Grads)
        {
            opt.ZeroGrad();
            p.Grad = Tensor.FromArray(g);
            opt.Step();
        }
        return p.ToDoubleArray();
    }

    [Fact]
    public void Sgd_defaults_are_pytorchs()
    {
        var p = Param();
        var opt = new Sgd([p]);
        Assert.Equal(SgdLr, opt.ParamGroups[0].LearningRate);
        Assert.Equal(SgdWeightDecay, opt.ParamGroups[0].WeightDecay);
        Assert.Equal((SgdLr, SgdMomentum, SgdDampening, false), (opt.Options.LearningRate, opt.Options.Momentum, opt.Options.Dampening, opt.Options.Nesterov));
        TestUtil.AssertClose([0.9988, -2.0002, 3.0016499999999997], Tensor.FromArray(Run(p, opt)), 1e-12);
    }

    [Fact]
    public void Adam_defaults_are_pytorchs()
    {
        var p = Param();
        var opt = new Adam([p]);
        Assert.Equal(AdamLr, opt.ParamGroups[0].LearningRate);
        Assert.Equal(AdamWeightDecay, opt.ParamGroups[0].WeightDecay);
        Assert.Equal((AdamLr, AdamBeta1, AdamBeta2, AdamEps), (opt.Options.LearningRate, opt.Options.Beta1, opt.Options.Beta2, opt.Options.Eps));
        TestUtil.AssertClose([0.9974798972366833, -1.9991824321359974, 3.0001296019310364], Tensor.FromArray(Run(p, opt)), 1e-12);
    }

    [Fact]
    public void AdamW_defaults_are_pytorchs()
    {
        var p = Param();
        var opt = new AdamW([p]);
        Assert.Equal(AdamLr, opt.ParamGroups[0].LearningRate);
        Assert.Equal(AdamWWeightDecay, opt.ParamGroups[0].WeightDecay);
        Assert.Equal((AdamLr, AdamBeta1, AdamBeta2, AdamEps), (opt.Options.LearningRate, opt.Options.Beta1, opt.Options.Beta2, opt.Options.Eps));
        TestUtil.AssertClose([0.9974499271884022, -1.9991224522095798, 3.0000396162776672], Tensor.FromArray(Run(p, opt)), 1e-12);
    }

    [Fact]
    public void RmsProp_defaults_are_pytorchs()
    {
        var p = Param();
        var opt = new RmsProp([p]);
        Assert.Equal(RmsPropLr, opt.ParamGroups[0].LearningRate);
        Assert.Equal(RmsPropWeightDecay, opt.ParamGroups[0].WeightDecay);
        Assert.Equal((RmsPropLr, RmsPropAlpha, RmsPropEps, RmsPropMomentum, false),
            (opt.Options.LearningRate, opt.Options.Alpha, opt.Options.Eps, opt.Options.Momentum, opt.Options.Centered));
        TestUtil.AssertClose([0.8365298182429329, -1.9849946858927805, 2.9942548781931495], Tensor.FromArray(Run(p, opt)), 1e-12);
    }

    [Fact]
    public void AdaGrad_defaults_are_pytorchs()
    {
        var p = Param();
        var opt = new AdaGrad([p]);
        Assert.Equal(AdaGradLr, opt.ParamGroups[0].LearningRate);
        Assert.Equal(AdaGradWeightDecay, opt.ParamGroups[0].WeightDecay);
        Assert.Equal((AdaGradLr, AdaGradEps, AdaGradInitialAccumulator, EpsPlacement.OutsideSqrt),
            (opt.Options.LearningRate, opt.Options.Eps, opt.Options.InitialAccumulatorValue, opt.Options.EpsPlacement));
        TestUtil.AssertClose([0.9836473333693211, -1.9984713478962954, 2.9994272493398375], Tensor.FromArray(Run(p, opt)), 1e-12);
    }

    [Fact]
    public void Muon_defaults_are_pytorchs()
    {
        // torch.optim.Muon (PyTorch 2.9+; not in 1.13, so from its documented signature): lr=0.001, weight_decay=0.1,
        // momentum=0.95, nesterov=True, ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-07, ns_steps=5, adjust_lr_fn=None
        // ("original").
        var opt = new Muon([Tensor.Zeros([2, 3]).RequiresGrad_()]);
        Assert.Equal(1e-3, opt.ParamGroups[0].LearningRate);
        Assert.Equal(0.1, opt.ParamGroups[0].WeightDecay);
        var o = opt.Options;
        Assert.Equal((0.95, true, 3.4445, -4.775, 2.0315, 1e-7, 5, MuonLrAdjust.Original, false),
            (o.Momentum, o.Nesterov, o.NsA, o.NsB, o.NsC, o.Eps, o.NsSteps, o.AdjustLr, o.NormalizeWeights));
    }

    [Fact]
    public void Param_group_constructors_take_the_same_defaults()
    {
        var p = Param();
        Assert.Equal(SgdLr, new Sgd([new ParamGroup([p])]).ParamGroups[0].LearningRate);
        Assert.Equal(AdamLr, new Adam([new ParamGroup([p])]).ParamGroups[0].LearningRate);
        Assert.Equal(AdamWWeightDecay, new AdamW([new ParamGroup([p])]).ParamGroups[0].WeightDecay);
        Assert.Equal(RmsPropLr, new RmsProp([new ParamGroup([p])]).ParamGroups[0].LearningRate);
        Assert.Equal(AdaGradLr, new AdaGrad([new ParamGroup([p])]).ParamGroups[0].LearningRate);
    }
}
