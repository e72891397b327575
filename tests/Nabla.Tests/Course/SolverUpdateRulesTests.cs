using Nabla.Course;

namespace Nabla.Tests.Course;

/// <summary>optim.py's rules, two or three steps each on tiny tensors, against values derived by hand in the comments.
/// Every theory runs in float64 (tolerance 1e-9 relative) and float32 (1e-6).</summary>
public class SolverUpdateRulesTests
{
    public static TheoryData<DType> DTypes => new() { DType.Float64, DType.Float32 };

    private static Tensor T(DType dtype, params double[] values) => Tensor.FromArray(values, values.Length).To(dtype);

    private static double Tol(DType dtype) => dtype == DType.Float64 ? 1e-9 : 1e-6;

    private static UpdateConfig Config(params (string Key, double Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, double>(v.Key, v.Value)));

    [Theory, MemberData(nameof(DTypes))]
    public void Sgd_two_steps(DType dtype)
    {
        var w0 = T(dtype, 1, -2);
        var config = Config(("learning_rate", 0.1));
        // w1 = w0 − 0.1·[0.5, 0.25] = [1 − 0.05, −2 − 0.025] = [0.95, −2.025]
        var (w1, c1) = UpdateRules.Sgd(w0, T(dtype, 0.5, 0.25), config);
        TestUtil.AssertClose([0.95, -2.025], w1, Tol(dtype));
        // w2 = w1 − 0.1·[−1, 2] = [1.05, −2.225]
        var (w2, _) = UpdateRules.Sgd(w1, T(dtype, -1, 2), c1);
        TestUtil.AssertClose([1.05, -2.225], w2, Tol(dtype));
        Assert.Equal(dtype, w2.DType);
        TestUtil.AssertClose([1, -2], w0, 0);   // w itself is not modified
        Assert.Same(config, c1);
    }

    [Fact]
    public void Sgd_default_learning_rate_is_1e_2()
    {
        // No config: learning_rate defaults to 1e-2, so w = 1 − 0.01·1 = 0.99.
        var (w, config) = UpdateRules.Sgd(T(DType.Float64, 1), T(DType.Float64, 1));
        TestUtil.AssertClose([0.99], w, 1e-12);
        Assert.Equal(0.01, config.LearningRate);
    }

    [Theory, MemberData(nameof(DTypes))]
    public void Sgd_momentum_three_steps(DType dtype)
    {
        var config = Config(("learning_rate", 0.1));   // momentum defaults to 0.9
        // v1 = 0.9·0 − 0.1·[1, −1] = [−0.1, 0.1];                       w1 = [1, 2] + v1 = [0.9, 2.1]
        var (w1, _) = UpdateRules.SgdMomentum(T(dtype, 1, 2), T(dtype, 1, -1), config);
        TestUtil.AssertClose([0.9, 2.1], w1, Tol(dtype));
        TestUtil.AssertClose([-0.1, 0.1], config.State["velocity"], Tol(dtype));
        // v2 = 0.9·[−0.1, 0.1] − 0.1·[1, 1] = [−0.19, −0.01];           w2 = [0.71, 2.09]
        var (w2, _) = UpdateRules.SgdMomentum(w1, T(dtype, 1, 1), config);
        TestUtil.AssertClose([0.71, 2.09], w2, Tol(dtype));
        // v3 = 0.9·[−0.19, −0.01] − 0 = [−0.171, −0.009] (a zero gradient still moves w); w3 = [0.539, 2.081]
        var (w3, _) = UpdateRules.SgdMomentum(w2, T(dtype, 0, 0), config);
        TestUtil.AssertClose([0.539, 2.081], w3, Tol(dtype));
        TestUtil.AssertClose([-0.171, -0.009], config.State["velocity"], Tol(dtype));
        Assert.Equal(0.9, config["momentum"]);
        Assert.Equal(dtype, config.State["velocity"].DType);
    }

    [Theory, MemberData(nameof(DTypes))]
    public void RmsProp_three_steps(DType dtype)
    {
        // decay_rate 0.75 keeps the square roots whole; ε = 0 keeps the numbers exact (its placement is tested below).
        var config = Config(("learning_rate", 0.1), ("decay_rate", 0.75), ("epsilon", 0));
        // cache1 = 0.25·[16, 4] = [4, 1], √ = [2, 1]; w1 = [1, 1] − 0.1·[4/2, −2/1] = [0.8, 1.2]
        var (w1, _) = UpdateRules.RmsProp(T(dtype, 1, 1), T(dtype, 4, -2), config);
        TestUtil.AssertClose([0.8, 1.2], w1, Tol(dtype));
        TestUtil.AssertClose([4, 1], config.State["cache"], Tol(dtype));
        // cache2 = 0.75·[4, 1] + 0.25·[4, 1] = [4, 1]; w2 = [0.8, 1.2] − 0.1·[2/2, 1/1] = [0.7, 1.1]
        var (w2, _) = UpdateRules.RmsProp(w1, T(dtype, 2, 1), config);
        TestUtil.AssertClose([0.7, 1.1], w2, Tol(dtype));
        // cache3 = 0.75·[4, 1] = [3, 0.75]; a zero gradient leaves w unchanged: w3 = [0.7, 1.1]
        var (w3, _) = UpdateRules.RmsProp(w2, T(dtype, 0, 0), config);
        TestUtil.AssertClose([0.7, 1.1], w3, Tol(dtype));
        TestUtil.AssertClose([3, 0.75], config.State["cache"], Tol(dtype));
    }

    [Fact]
    public void RmsProp_defaults_and_epsilon_outside_the_square_root()
    {
        var (_, config) = UpdateRules.RmsProp(T(DType.Float64, 0), T(DType.Float64, 1));
        Assert.Equal(0.01, config.LearningRate);
        Assert.Equal(0.99, config["decay_rate"]);
        Assert.Equal(1e-8, config["epsilon"]);
        // decay_rate 0, ε = 1, lr 1, dw = 3: cache = 9, w = 0 − 3/(√9 + 1) = −0.75 (ε inside the root would give −3/√10 ≈ −0.949).
        var (w, _) = UpdateRules.RmsProp(T(DType.Float64, 0), T(DType.Float64, 3),
            Config(("learning_rate", 1), ("decay_rate", 0), ("epsilon", 1)));
        TestUtil.AssertClose([-0.75], w, 1e-12);
        // A zero first gradient: 0/(0 + ε) = 0, no NaN.
        var (z, _) = UpdateRules.RmsProp(T(DType.Float64, 2), T(DType.Float64, 0));
        TestUtil.AssertClose([2], z, 0);
    }

    [Theory, MemberData(nameof(DTypes))]
    public void Adam_three_steps(DType dtype)
    {
        var config = Config(("learning_rate", 0.1), ("epsilon", 0));   // β₁ 0.9, β₂ 0.999 by default; ε = 0 for exact numbers
        var g = T(dtype, 2, -0.5);
        // t = 1: m = 0.1g, v = 0.001g²; m̂ = g, v̂ = g²; step = 0.1·g/|g|: w1 = [0.9, 1.1]
        var (w1, _) = UpdateRules.Adam(T(dtype, 1, 1), g, config);
        TestUtil.AssertClose([0.9, 1.1], w1, Tol(dtype));
        // t = 2, same g: m = 0.9·0.1g + 0.1g = 0.19g, m̂ = 0.19g/(1 − 0.81) = g;
        //   v = 0.999·0.001g² + 0.001g² = 0.001999g², v̂ = 0.001999g²/(1 − 0.998001) = g²: again ±0.1, w2 = [0.8, 1.2]
        var (w2, _) = UpdateRules.Adam(w1, g, config);
        TestUtil.AssertClose([0.8, 1.2], w2, Tol(dtype));
        TestUtil.AssertClose([0.38, -0.095], config.State["m"], Tol(dtype));
        TestUtil.AssertClose([0.007996, 0.00049975], config.State["v"], Tol(dtype));
        // t = 3, zero gradient: m = 0.171g, m̂ = 0.171g/(1 − 0.729) = 0.630996·g; v = 0.001997001g²,
        //   v̂ = 0.001997001g²/(1 − 0.997002999) = 0.666333·g², √v̂ = 0.816292·|g|;
        //   step = 0.1·0.630996/0.816292·sign(g) = 0.0773003·sign(g): w3 = [0.8 − 0.0773003, 1.2 + 0.0773003]
        var (w3, _) = UpdateRules.Adam(w2, T(dtype, 0, 0), config);
        TestUtil.AssertClose([0.7226997101688215, 1.2773002898311785], w3, Tol(dtype));
        Assert.Equal(3, config["t"]);
        TestUtil.AssertClose([0.342, -0.0855], config.State["m"], Tol(dtype));
    }

    [Fact]
    public void Adam_defaults()
    {
        var (w, config) = UpdateRules.Adam(T(DType.Float64, 0), T(DType.Float64, 5));
        // First step moves by lr = 1e-3 whatever the gradient's scale: 0 − 1e-3·5/(5 + 1e-8)
        TestUtil.AssertClose([-1e-3], w, 1e-8);
        Assert.Equal(1e-3, config.LearningRate);
        Assert.Equal(0.9, config["beta1"]);
        Assert.Equal(0.999, config["beta2"]);
        Assert.Equal(1e-8, config["epsilon"]);
        Assert.Equal(1, config["t"]);
        // A zero first gradient: m̂ = v̂ = 0, 0/(0 + ε) = 0, no NaN.
        var (z, _) = UpdateRules.Adam(T(DType.Float64, 2), T(DType.Float64, 0));
        TestUtil.AssertClose([2], z, 0);
    }

    [Fact]
    public void A_scalar_parameter_keeps_its_shape()
    {
        var (w, _) = UpdateRules.SgdMomentum(Tensor.Scalar(1.0, DType.Float64), Tensor.Scalar(2.0, DType.Float64),
            Config(("learning_rate", 0.5)));
        Assert.Equal(0, w.Rank);
        Assert.Equal(0.0, w.Item(), 12);   // v = −0.5·2 = −1, w = 1 − 1
    }

    [Fact]
    public void Registry_returns_the_rules_and_rejects_unknown_names()
    {
        Assert.Equal(["sgd", "sgd_momentum", "rmsprop", "adam"], UpdateRules.Names);
        var w = T(DType.Float64, 1);
        var dw = T(DType.Float64, 1);
        // Each name's function leaves its own default learning rate in the config.
        Assert.Equal(1e-3, UpdateRules.Get("adam")(w, dw).Config.LearningRate);
        Assert.True(UpdateRules.Get("sgd_momentum")(w, dw).Config.ContainsKey("momentum"));
        Assert.True(UpdateRules.Get("rmsprop")(w, dw).Config.ContainsKey("decay_rate"));
        Assert.False(UpdateRules.Get("sgd")(w, dw).Config.ContainsKey("momentum"));
        var e = Assert.Throws<ArgumentException>(() => UpdateRules.Get("adagrad"));
        Assert.Contains("adagrad", e.Message);
        foreach (var name in UpdateRules.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Bad_inputs_are_typed_errors()
    {
        var w = T(DType.Float64, 1, 2);
        Assert.Throws<ArgumentException>(() => UpdateRules.Sgd(w, T(DType.Float64, 1)));                 // shape
        Assert.Throws<ArgumentException>(() => UpdateRules.Sgd(w, T(DType.Float32, 1, 2)));              // dtype
        Assert.Throws<ArgumentException>(() => UpdateRules.Sgd(Tensor.FromArray(new[] { 1, 2 }, 2), Tensor.FromArray(new[] { 1, 2 }, 2)));   // int32
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRules.Sgd(w, w, Config(("learning_rate", double.NaN))));
        Assert.Contains("learning_rate", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRules.Adam(w, w, Config(("beta1", 1.0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRules.SgdMomentum(w, w, Config(("momentum", -0.5))));
        // A config carries one parameter's state: reusing it for another shape is an error.
        var (_, config) = UpdateRules.SgdMomentum(w, w);
        var s = Assert.Throws<ArgumentException>(() => UpdateRules.SgdMomentum(T(DType.Float64, 1, 2, 3), T(DType.Float64, 1, 2, 3), config));
        Assert.Contains("velocity", s.Message);
    }
}
