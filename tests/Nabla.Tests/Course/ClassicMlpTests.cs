using Nabla.IO;
using Nabla.NN;
using Nabla.Course;

namespace Nabla.Tests.Course;

public class ClassicMlpTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-classic-mlp-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // A [3, 2, 2] network, a batch of two examples and labels [1, 0], shared with the PyTorch script below.
    private static readonly double[] W1 = [0.1, -0.2, 0.3, -0.4, 0.5, 0.6], B1 = [0.05, -0.1], W2 = [0.7, -0.8, 0.9, 0.2], B2 = [0.0, 0.3];
    private static Tensor X => Tensor.FromArray([1.0, 2.0, -1.0, 0.5, -1.5, 2.0], 2, 3);
    private static Tensor Y => Tensor.FromArray([1, 0], 2);

    private static ClassicMlp Tiny(string activation)
    {
        var net = new ClassicMlp([3, 2, 2], activation, dtype: DType.Float64);
        net.Layers[0].Weight.CopyFrom_(Tensor.FromArray(W1, 2, 3));
        net.Layers[0].Bias!.CopyFrom_(Tensor.FromArray(B1, 2));
        net.Layers[1].Weight.CopyFrom_(Tensor.FromArray(W2, 2, 2));
        net.Layers[1].Bias!.CopyFrom_(Tensor.FromArray(B2, 2));
        return net;
    }

    // From PyTorch 1.13 (float64): z = act(x W1ᵀ + b1) W2ᵀ + b2, loss = F.cross_entropy(z, y), loss.backward(),
    // p ← p − 0.5·p.grad, then the loss again. Columns: loss before, loss after, W1, b1, W2, b2 after the step.
    public static TheoryData<string, double, double, double[], double[], double[], double[]> PyTorchSteps => new()
    {
        { "sigmoid", 0.828867680566027, 0.700545563586265,
          [0.09990043022852642, -0.18231162710514565, 0.28221205733367205, -0.4039257559478736, 0.6052346510511379, 0.4908395930009885],
          [0.046322927740966115, -0.12654298853725057], [0.80559899822188, -0.7378148083301503, 0.79440100177812, 0.1378148083301503],
          [0.1070045687956955, 0.1929954312043045] },
        { "tanh", 0.8412768892409438, 0.3445777114094657,
          [0.11101691982157097, -0.1440568186842957, 0.2550737385058667, -0.36139023176626645, 0.9719779583254187, 0.16663180990831483],
          [0.0542350514870585, -0.14034191613785674], [0.882416714698246, -0.7641229334467771, 0.717583285301754, 0.16412293344677706],
          [0.04274192972540815, 0.2572580702745919] },
        { "relu", 0.8122052900856211, 0.5813901437365262,
          [0.08357473843316252, -0.15072421529948754, 0.23429895373265003, -0.48212630783418736, 0.7463789235025621, 0.27149476866325056],
          [0.01714947686632503, -0.2642526156683747], [0.8642526156683746, -0.7753621076497439, 0.7357473843316253, 0.1753621076497438],
          [0.05786324487128941, 0.24213675512871052] },
    };

    [Theory, MemberData(nameof(PyTorchSteps))]
    public void One_SGD_step_matches_PyTorch(string activation, double lossBefore, double lossAfter, double[] w1, double[] b1, double[] w2, double[] b2)
    {
        var net = Tiny(activation);
        net.ZeroGrads();
        Assert.Equal(lossBefore, net.GetLoss(X, Y).Item(), 12);
        net.Backward();
        net.Step(0.5);
        TestUtil.AssertClose(w1, net.Layers[0].Weight, 1e-12);
        TestUtil.AssertClose(b1, net.Layers[0].Bias!, 1e-12);
        TestUtil.AssertClose(w2, net.Layers[1].Weight, 1e-12);
        TestUtil.AssertClose(b2, net.Layers[1].Bias!, 1e-12);
        using (GradMode.NoGrad()) Assert.Equal(lossAfter, net.GetLoss(X, Y).Item(), 12);
        Assert.Equal(lossAfter, net.Evaluate(X, Y).Loss, 12);
    }

    [Fact]
    public void Gradients_accumulate_until_ZeroGrads_like_PyTorch()
    {
        var net = Tiny("tanh");
        net.GetLoss(X, Y);
        net.Backward();
        var once = net.Layers[0].Weight.Grad!.ToDoubleArray();
        net.Backward(net.GetLoss(X, Y));                         // the explicit-loss overload
        TestUtil.AssertClose(once.Select(v => 2 * v).ToArray(), net.Layers[0].Weight.Grad!, 1e-12);
        net.ZeroGrads();
        Assert.All(net.Parameters(), p => Assert.All(p.Grad!.ToDoubleArray(), v => Assert.Equal(0, v)));
    }

    [Fact]
    public void Backward_needs_a_recorded_loss_and_uses_it_once()
    {
        var net = Tiny("relu");
        var e = Assert.Throws<InvalidOperationException>(net.Backward);
        Assert.Contains("GetLoss", e.Message);
        net.GetLoss(X, Y);
        net.Backward();
        Assert.Throws<InvalidOperationException>(net.Backward);
        using (GradMode.NoGrad()) net.GetLoss(X, Y);             // nothing recorded under no-grad
        Assert.Null(net.LastLoss);
        Assert.Throws<InvalidOperationException>(net.Backward);
    }

    [Fact]
    public void One_hot_targets_give_the_same_loss_as_labels()
    {
        var net = Tiny("sigmoid");
        var oneHot = Tensor.FromArray(new double[,] { { 0, 1 }, { 1, 0 } });
        Assert.Equal(net.GetLoss(X, Y).Item(), net.GetLoss(X, oneHot).Item(), 14);
    }

    [Fact]
    public void GetError_is_the_fraction_of_wrong_argmax_rows()
    {
        // No hidden layer and W = I, b = 0: the logits are the inputs, so the prediction is the larger coordinate.
        var net = new ClassicMlp([2, 2], "relu", dtype: DType.Float64);
        net.Layers[0].Weight.CopyFrom_(Tensor.Eye(2, DType.Float64));
        var x = Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 }, { 3, 2 }, { -1, 5 } });   // predictions 0, 1, 0, 1
        var y = Tensor.FromArray([0, 0, 1, 1], 4);                                              // two wrong
        Assert.Equal(0.5, net.GetError(x, y));
        Assert.Equal([0, 1, 0, 1], net.Predict(x, batchSize: 3));
        // Cross-entropy by hand: mean over rows of log(e^z0 + e^z1) − z_y = log(1 + e^{other − z_y}).
        double expected = (Math.Log(1 + Math.Exp(-1)) + 2 * Math.Log(1 + Math.Exp(1)) + Math.Log(1 + Math.Exp(-6))) / 4;
        foreach (int batch in new[] { 1, 3, 100 })
        {
            var (loss, error) = net.Evaluate(x, y, batch);
            Assert.Equal(expected, loss, 14);
            Assert.Equal(0.5, error);
        }
    }

    [Fact]
    public void Initialisations_have_the_stated_distributions()
    {
        var normal = new ClassicMlp([784, 256, 10], "sigmoid", "normal", normalStd: 0.05, generator: new Generator(1));
        var w = normal.Layers[0].Weight.ToDoubleArray();
        double mean = w.Average(), std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(std, 0.05 * 0.98, 0.05 * 1.02);
        Assert.All(normal.Layers, l => Assert.All(l.Bias!.ToDoubleArray(), b => Assert.Equal(0, b)));

        // "normal" without a std is the template's random_normal_weight_init: the standard normal N(0, 1).
        var standard = new ClassicMlp([784, 256, 10], "relu", "normal", generator: new Generator(4));
        Assert.Equal(1.0, standard.NormalStd);
        var ws = standard.Layers[0].Weight.ToDoubleArray();
        double sMean = ws.Average(), sStd = Math.Sqrt(ws.Select(v => (v - sMean) * (v - sMean)).Average());
        Assert.InRange(sMean, -0.01, 0.01);                            // 200,704 draws: s.e. of the mean ≈ 0.0022
        Assert.InRange(sStd, 0.98, 1.02);

        var glorot = new ClassicMlp([784, 256, 10], "tanh", "glorot", generator: new Generator(2));
        double d = Math.Sqrt(6.0 / (784 + 256));                       // U(−d, d) has std d/√3
        var g = glorot.Layers[0].Weight.ToDoubleArray();
        Assert.All(g, v => Assert.InRange(v, -d, d));
        double gStd = Math.Sqrt(g.Select(v => v * v).Average());
        Assert.InRange(gStd, d / Math.Sqrt(3) * 0.98, d / Math.Sqrt(3) * 1.02);

        var zeros = new ClassicMlp([4, 3, 2], init: "zeros");
        Assert.All(zeros.Parameters(), p => Assert.All(p.ToDoubleArray(), v => Assert.Equal(0, v)));
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, zeros.ParameterCount());
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], zeros.StateDict().Keys);
    }

    [Theory]
    [InlineData(new[] { 784 }, "relu", "glorot", "layer sizes")]
    [InlineData(new[] { 784, 0, 10 }, "relu", "glorot", "layer sizes")]
    [InlineData(new[] { 784, 10 }, "gelu", "glorot", "activation 'gelu'")]
    [InlineData(new[] { 784, 10 }, "relu", "he", "init 'he'")]
    public void Bad_hyper_parameters_are_rejected(int[] sizes, string activation, string init, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassicMlp(sizes, activation, init));
        Assert.Contains("ClassicMlp", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Throws<ArgumentException>(() => new ClassicMlp([2, 2], normalStd: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassicMlp([2, 2]).Step(double.NaN));
    }

    [Fact]
    public void Forward_checks_the_input_shape_and_flattens_images()
    {
        var net = new ClassicMlp([4, 3, 2], generator: new Generator(3));
        TestUtil.AssertShape(net.Forward(Tensor.Zeros(5, 1, 2, 2)), 5, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => net.Forward(Tensor.Zeros(5, 3)));
        Assert.Contains("ClassicMlp", e.Message);
        Assert.Contains("[5, 3]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => net.GetLoss(Tensor.Zeros(5, 4), Tensor.FromArray([0, 1], 2)));
    }

    [Fact]
    public void Training_solves_xor()
    {
        var x = Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Tensor.FromArray([0, 1, 1, 0], 4);
        var net = new ClassicMlp([2, 8, 2], "tanh", "glorot", generator: new Generator(5));
        for (int step = 0; step < 500; step++)
        {
            net.ZeroGrads();
            net.GetLoss(x, y);
            net.Backward();
            net.Step(0.5);
        }
        Assert.Equal(0, net.GetError(x, y));
        Assert.True(net.Evaluate(x, y).Loss < 0.05);
    }

    [Fact]
    public void Save_then_FromFile_and_Load_restore_the_same_function()
    {
        var net = new ClassicMlp([6, 5, 4, 3], "tanh", "normal", normalStd: 0.5, generator: new Generator(11));
        string path = Path.Combine(_dir, "model.npz");
        net.Save(path);
        var x = Tensor.Randn([7, 6], generator: new Generator(12));

        var rebuilt = ClassicMlp.FromFile(path);
        Assert.Equal(net.LayerSizes, rebuilt.LayerSizes);
        Assert.Equal("tanh", rebuilt.Activation);
        TestUtil.AssertClose(net.Forward(x).ToDoubleArray(), rebuilt.Forward(x), 0);

        var other = new ClassicMlp([6, 5, 4, 3], "tanh", generator: new Generator(99));
        other.Load(path);
        TestUtil.AssertClose(net.Forward(x).ToDoubleArray(), other.Forward(x), 0);

        var raw = Npz.Load(path);                                   // what np.load sees
        Assert.Equal([6, 5, 4, 3], raw["layer_sizes"].ToArray<int>());
        Assert.Equal(1, raw["activation"].ToArray<int>()[0]);       // index of "tanh"
        TestUtil.AssertShape(raw["fc2.weight"], 4, 5);
    }

    [Fact]
    public void Loading_into_a_different_network_fails_and_changes_nothing()
    {
        string path = Path.Combine(_dir, "model.npz");
        new ClassicMlp([6, 5, 3], "relu", generator: new Generator(1)).Save(path);

        var wider = new ClassicMlp([6, 7, 3], "relu", generator: new Generator(2));
        var before = wider.Layers[0].Weight.ToDoubleArray();
        var e = Assert.Throws<StateDictMismatchException>(() => wider.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("[6, 5, 3]", e.Message);
        Assert.Contains("[6, 7, 3]", e.Message);
        TestUtil.AssertClose(before, wider.Layers[0].Weight, 0);

        var sigmoid = new ClassicMlp([6, 5, 3], "sigmoid");
        Assert.Contains("relu", Assert.Throws<StateDictMismatchException>(() => sigmoid.Load(path)).Message);

        // A plain state dict (no architecture entries) with a wrong shape still fails through LoadStateDict.
        string plain = Path.Combine(_dir, "plain.npz");
        var state = new ClassicMlp([6, 5, 3]).StateDict();
        state["fc1.weight"] = Tensor.Zeros(5, 4);
        Npz.Save(plain, state);
        var e2 = Assert.Throws<StateDictMismatchException>(() => new ClassicMlp([6, 5, 3]).Load(plain));
        Assert.Contains("fc1.weight", e2.Message);
        Assert.Throws<NpzFormatException>(() => ClassicMlp.FromFile(plain));
    }
}
