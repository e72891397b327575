using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>Three steps with fixed gradients from θ = [1, −2, 3]; expected values from PyTorch 1.13
/// (torch.optim with the same hyper-parameters, float64).</summary>
public class OptimizerTests
{
    private static readonly double[][] Grads = [[0.5, -1.0, 0.25], [1.0, 1.0, -2.0], [-0.3, 0.2, 0.1]];

    private static double[] Run(Func<Tensor[], Optimizer> make, DType dtype = DType.Float64)
    {
        var p = Tensor.FromArray([1.0, -2.0, 3.0]).To(dtype).RequiresGrad_();
        var opt = make([p]);
        foreach (var g in Grads)
        {
            opt.ZeroGrad();
            p.Grad = Tensor.FromArray(g).To(dtype);
            opt.Step();
        }
        return p.ToDoubleArray();
    }

    public static TheoryData<string, double[]> Cases => new()
    {
        { "sgd", [0.88, -2.02, 3.165] },
        { "sgd_mom_wd", [0.699184749, -1.928069498, 3.285329372] },
        { "sgd_nesterov", [0.61405, -1.9651, 3.437025] },
        { "sgd_damp", [0.8285, -1.944, 3.15925] },
        { "adam", [0.747989723668, -1.9182432136, 3.012960193104] },
        { "adam_wd", [0.739404631389, -1.875889962998, 2.974608467203] },
        { "adamw", [0.721243905642, -1.860778582001, 2.925191866412] },
        { "adagrad", [0.836473333693, -1.984713478963, 2.994272493398] },
        { "rmsprop", [0.836529818243, -1.984994685893, 2.994254878193] },
        { "rmsprop_c_m", [0.577691988599, -1.835281993137, 2.887606673423] },
    };

    private static Func<Tensor[], Optimizer> Make(string name) => name switch
    {
        "sgd" => ps => new Sgd(ps, new SgdOptions(0.1)),
        "sgd_mom_wd" => ps => new Sgd(ps, new SgdOptions(0.1, Momentum: 0.9, WeightDecay: 0.01)),
        "sgd_nesterov" => ps => new Sgd(ps, new SgdOptions(0.1, Momentum: 0.9, Nesterov: true)),
        "sgd_damp" => ps => new Sgd(ps, new SgdOptions(0.1, Momentum: 0.5, Dampening: 0.3)),
        "adam" => ps => new Adam(ps, new AdamOptions(0.1)),
        "adam_wd" => ps => new Adam(ps, new AdamOptions(0.1, WeightDecay: 0.1)),
        "adamw" => ps => new AdamW(ps, new AdamOptions(0.1, WeightDecay: 0.1)),
        "adagrad" => ps => new AdaGrad(ps, new AdaGradOptions(0.1)),
        "rmsprop" => ps => new RmsProp(ps, new RmsPropOptions(0.01)),
        "rmsprop_c_m" => ps => new RmsProp(ps, new RmsPropOptions(0.01, Momentum: 0.9, Centered: true, WeightDecay: 0.1)),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Cases))]
    public void Three_steps_match_pytorch(string name, double[] expected)
    {
        TestUtil.AssertClose(expected, Tensor.FromArray(Run(Make(name))), 1e-9);
        TestUtil.AssertClose(expected, Tensor.FromArray(Run(Make(name), DType.Float32)), 2e-6);
    }

    [Fact]
    public void Vectorised_path_matches_on_long_parameters()
    {
        // 37 elements: vector body plus a scalar tail. Each element follows the same scalar recurrence.
        var p = Tensor.Full([37], 1.0, DType.Float32, requiresGrad: true);
        var opt = new Adam([p], new AdamOptions(0.1));
        var q = Tensor.FromArray([1.0]).RequiresGrad_();
        var opt1 = new Adam([q], new AdamOptions(0.1));
        foreach (var g in Grads)
        {
            p.Grad = Tensor.Full([37], g[0], DType.Float32);
            q.Grad = Tensor.FromArray([g[0]]);
            opt.Step();
            opt1.Step();
        }
        Assert.All(p.ToArray<float>(), v => Assert.Equal(q.Item(), v, 5));
    }

    [Fact]
    public void Param_groups_take_their_own_learning_rates()
    {
        var a = Tensor.FromArray([1.0]).RequiresGrad_();
        var b = Tensor.FromArray([1.0]).RequiresGrad_();
        var opt = new Sgd([new ParamGroup([a]), new ParamGroup([b], learningRate: 1.0)], new SgdOptions(0.1));
        a.Grad = Tensor.FromArray([1.0]);
        b.Grad = Tensor.FromArray([1.0]);
        opt.Step();
        Assert.Equal(0.9, a.Item(), 12);
        Assert.Equal(0.0, b.Item(), 12);
    }

    [Fact]
    public void State_round_trips_so_training_resumes_identically()
    {
        var full = Run(Make("adam"));
        var p = Tensor.FromArray([1.0, -2.0, 3.0]).RequiresGrad_();
        var opt = new Adam([p], new AdamOptions(0.1));
        p.Grad = Tensor.FromArray(Grads[0]);
        opt.Step();
        var saved = opt.StateDict();
        var p2 = p.Detach().Clone_Raw().RequiresGrad_();
        var opt2 = new Adam([p2], new AdamOptions(0.5));
        opt2.LoadStateDict(saved);
        Assert.Equal(0.1, opt2.ParamGroups[0].LearningRate);
        foreach (var g in Grads[1..]) { p2.Grad = Tensor.FromArray(g); opt2.Step(); }
        TestUtil.AssertClose(full, p2, 1e-12);
        Assert.Equal(3, opt2.StepCount);
    }

    [Fact]
    public void Bad_options_and_state_are_clear_errors()
    {
        var p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentException>(() => new Sgd([p], new SgdOptions(0.1, Nesterov: true)));
        Assert.Contains("Nesterov", e.Message);
        Assert.Throws<ArgumentException>(() => new Adam([p], new AdamOptions(Beta1: 1.0)));
        var opt = new Sgd([p], new SgdOptions(0.1, Momentum: 0.9));
        var bad = new Dictionary<string, Tensor> { ["state.0.momentum_buffer"] = Tensor.Zeros(3) };
        Assert.Throws<NablaException>(() => opt.LoadStateDict(bad));
    }

    [Fact]
    public void ZeroGrad_keeps_buffers_and_parameters_without_grad_are_skipped()
    {
        var a = Tensor.FromArray([1.0]).RequiresGrad_();
        var b = Tensor.FromArray([1.0]).RequiresGrad_();
        var opt = new Sgd([a, b], new SgdOptions(0.5));
        (a * 2.0).Sum().Backward();
        var buf = a.Grad;
        opt.Step();
        Assert.Equal(0.0, a.Item());
        Assert.Equal(1.0, b.Item());
        opt.ZeroGrad();
        Assert.Same(buf, a.Grad);
        Assert.Equal(0.0, a.Grad!.Item());
    }
}
