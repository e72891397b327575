using Nabla.Course;
using Nabla.Course.Models;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;
using static Nabla.Tests.Course.ModelsTestHelpers;

namespace Nabla.Tests.Course;

public class ModelsBinaryClassifierTests(ITestOutputHelper log)
{
    private static BinaryClassifier Make(string kind, int d, int? h, double reg, DType dtype = DType.Float64, ulong seed = 1) => kind == "logistic"
        ? new LogisticClassifier(d, h, weightScale: 0.5, reg: reg, dtype: dtype, seed: seed)
        : new SvmClassifier(d, h, weightScale: 0.5, reg: reg, dtype: dtype, seed: seed);

    [Theory]
    [InlineData("logistic", null, 0.0)]
    [InlineData("logistic", 6, 0.3)]
    [InlineData("svm", null, 0.0)]
    [InlineData("svm", 6, 0.3)]
    public void Loss_gradients_match_finite_differences(string kind, int? hidden, double reg)
    {
        var model = Make(kind, 5, hidden, reg);
        var x = Randn(2, 7, 5);
        var y = Tensor.RandInt(0, 2, [7], new Generator(3));
        CheckGradients(model, x, y, FdTol, log, $"{kind} hidden={hidden} reg={reg}");
    }

    [Fact]
    public void Parameters_initialisation_and_shapes()
    {
        var m = new LogisticClassifier(inputDim: 400, hiddenDim: 50, weightScale: 1e-2, seed: 7);
        Assert.Equal(new[] { "W1", "b1", "W2", "b2" }, m.Params.Keys.ToArray());
        AssertShapes(m, ("W1", [400, 50]), ("b1", [50]), ("W2", [50, 1]), ("b2", [1]));
        // W1 ~ N(0, 0.01²) over 20,000 draws: sample std within 2 %, mean within 4 standard errors; biases 0.
        var w = m.Params["W1"].ToDoubleArray();
        double mean = w.Average(), std = Math.Sqrt(w.Sum(v => (v - mean) * (v - mean)) / w.Length);
        Assert.InRange(std, 0.0098, 0.0102);
        Assert.InRange(mean, -4e-2 / Math.Sqrt(w.Length), 4e-2 / Math.Sqrt(w.Length));
        Assert.All(m.Params["b1"].ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.Equal(w, new LogisticClassifier(inputDim: 400, hiddenDim: 50, weightScale: 1e-2, seed: 7).Params["W1"].ToDoubleArray());
        var s = new SvmClassifier(inputDim: 3);
        Assert.Equal(new[] { "W1", "b1" }, s.Params.Keys.ToArray());
        AssertShapes(s, ("W1", [3, 1]), ("b1", [1]));
        TestUtil.AssertShape(s.Scores(Randn(1, 4, 3)), 4);
    }

    private static void AssertShapes(ILossModel m, params (string Name, int[] Shape)[] expected)
    {
        foreach (var (name, shape) in expected) Assert.Equal(shape, m.Params[name].Shape.ToArray());
    }

    [Fact]
    public void Loss_by_hand_with_regularisation()
    {
        // x = [[1, 2]], W1 = [[0.5], [−1]], b1 = 0.25: s = 0.5 − 2 + 0.25 = −1.25.
        // Logistic, y = 0: −log(1 − σ(s)) = log(1 + e^s); reg = 0.1: + ½·0.1·(0.25 + 1) = 0.0625.
        // SVM, y = 1 (t = +1): max(0, 1 − s) = 2.25; + 0.0625.
        var x = D([1, 2], 1, 2);
        var lg = new LogisticClassifier(2, reg: 0.1);
        var sv = new SvmClassifier(2, reg: 0.1);
        foreach (var m in new BinaryClassifier[] { lg, sv })
        {
            m.Params["W1"].CopyFrom_(D([0.5, -1], 2, 1));
            m.Params["b1"].CopyFrom_(D([0.25], 1));
            AssertValues([-1.25], m.Scores(x));
        }
        Assert.Equal(Math.Log(1 + Math.Exp(-1.25)) + 0.0625, lg.Loss(x, Labels(0)).Loss, 14);
        var (ls, gs) = sv.Loss(x, Labels(1));
        Assert.Equal(2.25 + 0.0625, ls, 14);
        // ∂/∂s = −1 → ∂/∂W1 = −x + reg·W1 = [−1 + 0.05, −2 − 0.1], ∂/∂b1 = −1 (not regularised)
        AssertValues([-0.95, -2.1], gs["W1"]);
        AssertValues([-1], gs["b1"]);
    }

    [Theory]
    [InlineData("logistic")]
    [InlineData("svm")]
    public void Float32_smoke(string kind)
    {
        var x = Randn(2, 6, 5);
        var y = Tensor.RandInt(0, 2, [6], new Generator(3));
        Float32MatchesFloat64(Make(kind, 5, 4, 0.1), Make(kind, 5, 4, 0.1, DType.Float32), x, y);
    }

    [Fact]
    public void Gradient_descent_separates_a_linearly_separable_set()
    {
        // Two Gaussian blobs at ±(2, 2): a few hundred full-batch steps classify all 40 points.
        var g = new Generator(11);
        var xs = new double[80]; var ys = new int[40];
        for (int i = 0; i < 40; i++) { ys[i] = i % 2; double c = ys[i] == 1 ? 2 : -2; xs[2 * i] = c + 0.5 * g.NextGaussian(); xs[2 * i + 1] = c + 0.5 * g.NextGaussian(); }
        var x = D(xs, 40, 2); var y = Tensor.FromArray(ys, 40);
        foreach (var m in new BinaryClassifier[] { new LogisticClassifier(2, seed: 1), new SvmClassifier(2, seed: 1) })
        {
            double first = m.Loss(x, y).Loss;
            for (int step = 0; step < 200; step++)
            {
                var (_, grads) = m.Loss(x, y);
                foreach (var (name, p) in m.Params) p.CopyFrom_(p - grads[name] * 0.5);
            }
            Assert.True(m.Loss(x, y).Loss < 0.2 * first);
            var s = m.Scores(x).ToDoubleArray();
            Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(ys[i] == 1, s[i] > 0));
        }
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticClassifier(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmClassifier(3, hiddenDim: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmClassifier(3, reg: -1));
        Assert.Throws<ArgumentException>(() => new LogisticClassifier(3).Scores(Randn(1, 2, 4)));
    }
}
