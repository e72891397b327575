using Nabla.Course;
using Nabla.Optim;

namespace Nabla.Tests.Course;

/// <summary>
/// optim.py's rules against Nabla's own <see cref="Nabla.Optim"/> optimizers (PyTorch's algorithms) on the same
/// random gradients. Where the formulas coincide the parameters agree to rounding:
/// <list type="bullet">
/// <item>sgd = <see cref="Sgd"/> without momentum: w − η·dw.</item>
/// <item>sgd_momentum = <see cref="Sgd"/> with momentum μ, dampening 0, while η is constant: optim.py keeps the velocity
/// v = μv − η·dw (η inside the buffer), PyTorch the buffer b = μb + dw (b₁ = dw) and steps w − η·b, so v = −η·b. When η
/// changes (the Solver's lr_decay, a scheduler), optim.py applies the new η to new gradients only, PyTorch to the whole
/// buffer: see <see cref="Momentum_conventions_differ_when_the_learning_rate_changes"/>.</item>
/// <item>rmsprop = <see cref="RmsProp"/> with α = decay_rate: both add ε outside the square root, √c + ε.</item>
/// <item>adam = <see cref="Adam"/>: both bias-correct and add ε to √v̂; PyTorch arranges it as
/// (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε), the same number up to rounding. optim.py has no weight decay; Nabla's is 0 here.</item>
/// </list>
/// </summary>
public class SolverUpdateRulesVsOptimTests
{
    public static TheoryData<DType> DTypes => new() { DType.Float64, DType.Float32 };

    private static Dictionary<string, double> Hyper(params (string Key, double Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    /// <summary>Five steps of rule <paramref name="rule"/> and of the optimizer <paramref name="make"/> builds, from the
    /// same start on the same gradients; asserts the parameters agree after every step.</summary>
    private static void AssertAgree(string rule, Dictionary<string, double> hyper, Func<Tensor, Optimizer> make, DType dtype)
    {
        var generator = new Generator(7);
        var w = Tensor.Randn([3, 4], dtype: dtype, generator: generator);
        var p = Tensor.FromArray(w.ToDoubleArray(), 3, 4).To(dtype).RequiresGrad_();
        var optimizer = make(p);
        var config = new UpdateConfig(hyper);
        var update = UpdateRules.Get(rule);
        double tol = dtype == DType.Float64 ? 1e-12 : 2e-5;   // Nabla.Optim computes float32 in float32, the rules in double
        for (int step = 1; step <= 5; step++)
        {
            var g = Tensor.Randn([3, 4], std: step, dtype: dtype, generator: generator);   // varying scale
            (w, config) = update(w, g, config);
            p.Grad = g;
            optimizer.Step();
            TestUtil.AssertClose(p.ToDoubleArray(), w, tol);
        }
        // Not a vacuous comparison: the parameter moved.
        Assert.NotEqual(p.ToDoubleArray(), Tensor.Randn([3, 4], dtype: dtype, generator: new Generator(7)).ToDoubleArray());
    }

    [Theory, MemberData(nameof(DTypes))]
    public void Sgd_agrees(DType dtype) =>
        AssertAgree("sgd", Hyper(("learning_rate", 0.05)), p => new Sgd([p], new SgdOptions(LearningRate: 0.05)), dtype);

    [Theory, MemberData(nameof(DTypes))]
    public void Sgd_momentum_agrees_at_constant_learning_rate(DType dtype) =>
        AssertAgree("sgd_momentum", Hyper(("learning_rate", 0.05), ("momentum", 0.9)),
            p => new Sgd([p], new SgdOptions(LearningRate: 0.05, Momentum: 0.9)), dtype);

    [Theory, MemberData(nameof(DTypes))]
    public void RmsProp_agrees(DType dtype) =>
        AssertAgree("rmsprop", Hyper(("learning_rate", 0.01), ("decay_rate", 0.9), ("epsilon", 1e-6)),
            p => new RmsProp([p], new RmsPropOptions(LearningRate: 0.01, Alpha: 0.9, Eps: 1e-6)), dtype);

    [Theory, MemberData(nameof(DTypes))]
    public void Adam_agrees(DType dtype) =>
        AssertAgree("adam", Hyper(("learning_rate", 0.01), ("beta1", 0.8), ("beta2", 0.99), ("epsilon", 1e-6)),
            p => new Adam([p], new AdamOptions(LearningRate: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6)), dtype);

    [Fact]
    public void Momentum_conventions_differ_when_the_learning_rate_changes()
    {
        // Two steps at η₁ = 0.1, then η₂ = 0.02. Before step 3 both hold the same w₂, with optim.py's v₂ = −η₁·b₂ and
        // PyTorch's b₂ = μ·g₁ + g₂. Step 3: optim.py w₂ + μv₂ − η₂g₃ = w₂ − μη₁b₂ − η₂g₃; PyTorch w₂ − η₂(μb₂ + g₃).
        // optim.py − PyTorch = μ·b₂·(η₂ − η₁).
        const double mu = 0.9, lr1 = 0.1, lr2 = 0.02;
        double[] g1 = [1, -2], g2 = [0.5, 3], g3 = [-1, 1];
        var w = Tensor.FromArray([0.0, 0.0], 2);
        var p = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        var sgd = new Sgd([p], new SgdOptions(LearningRate: lr1, Momentum: mu));
        var config = new UpdateConfig(Hyper(("learning_rate", lr1), ("momentum", mu)));
        foreach (var g in new[] { g1, g2 })
        {
            (w, config) = UpdateRules.SgdMomentum(w, Tensor.FromArray(g, 2), config);
            p.Grad = Tensor.FromArray(g, 2);
            sgd.Step();
        }
        TestUtil.AssertClose(p.ToDoubleArray(), w, 1e-12);
        config.LearningRate = lr2;
        sgd.ParamGroups[0].LearningRate = lr2;
        (w, _) = UpdateRules.SgdMomentum(w, Tensor.FromArray(g3, 2), config);
        p.Grad = Tensor.FromArray(g3, 2);
        sgd.Step();
        var ours = w.ToDoubleArray();
        var theirs = p.ToDoubleArray();
        for (int i = 0; i < 2; i++)
        {
            double b2 = mu * g1[i] + g2[i];   // [0.9 + 0.5, −1.8 + 3] = [1.4, 1.2]
            Assert.Equal(mu * b2 * (lr2 - lr1), ours[i] - theirs[i], 12);   // [−0.1008, −0.0864]
        }
    }
}
