using Nabla.Course;
using Nabla.Course.Models;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;
using static Nabla.Tests.Course.ModelsTestHelpers;

namespace Nabla.Tests.Course;

/// <summary>SoftmaxClassifier and TwoLayerNet.</summary>
public class ModelsSoftmaxTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(null, 0.0)]
    [InlineData(null, 0.5)]
    [InlineData(7, 0.2)]
    public void Softmax_classifier_gradients_match_finite_differences(int? hidden, double reg)
    {
        var m = new SoftmaxClassifier(inputDim: 6, hiddenDim: hidden, numClasses: 4, weightScale: 0.5, reg: reg, seed: 3);
        CheckGradients(m, Randn(4, 5, 2, 3), Tensor.RandInt(0, 4, [5], new Generator(5)), FdTol, log, $"softmax classifier hidden={hidden} reg={reg}");
    }

    [Fact]
    public void Two_layer_net_gradients_match_finite_differences_and_autograd()
    {
        var m = new TwoLayerNet(inputDim: 5, hiddenDim: 8, numClasses: 3, weightScale: 0.5, reg: 0.7, seed: 2);
        var x = Randn(6, 4, 5);
        var y = Tensor.RandInt(0, 3, [4], new Generator(7));
        CheckGradients(m, x, y, FdTol, log, "two-layer net reg=0.7");
        // The same network through the library's autograd: CrossEntropy(ReLU(x·W1 + b1)·W2 + b2) + ½·reg·(ΣW1² + ΣW2²).
        var p = m.Params.ToDictionary(kv => kv.Key, kv => kv.Value.Clone().RequiresGrad_());
        var loss = ((x.MatMul(p["W1"]) + p["b1"]).Relu().MatMul(p["W2"]) + p["b2"]).CrossEntropy(y)
                   + ((p["W1"] * p["W1"]).Sum() + (p["W2"] * p["W2"]).Sum()) * (0.5 * 0.7);
        loss.Backward();
        var (l, grads) = m.Loss(x, y);
        Assert.Equal(loss.Item(), l, 12);
        foreach (var name in p.Keys) AssertRel(p[name].Grad!, grads[name], AutogradTol, $"two-layer net {name} vs autograd", log);
    }

    [Fact]
    public void Two_layer_net_scores_and_loss_by_hand()
    {
        // x = [[1, −1]], W1 = I (2×2), b1 = [0, 0.5] → h = ReLU([1, −0.5]) = [1, 0];
        // W2 = [[1, 0, −1], [5, 5, 5]], b2 = [0, 1, 0] → scores = [1, 1, −1].
        // y = 0: loss = −log(e¹ / (e¹ + e¹ + e⁻¹)) = log(2 + e⁻²).
        var m = new TwoLayerNet(inputDim: 2, hiddenDim: 2, numClasses: 3);
        m.Params["W1"].CopyFrom_(D([1, 0, 0, 1], 2, 2));
        m.Params["b1"].CopyFrom_(D([0, 0.5], 2));
        m.Params["W2"].CopyFrom_(D([1, 0, -1, 5, 5, 5], 2, 3));
        m.Params["b2"].CopyFrom_(D([0, 1, 0], 3));
        var x = D([1, -1], 1, 2);
        AssertValues([1, 1, -1], m.Scores(x));
        var (loss, grads) = m.Loss(x, Labels(0));
        Assert.Equal(Math.Log(2 + Math.Exp(-2)), loss, 14);
        // the dead hidden unit (h₂ = 0) passes no gradient: ∂/∂W1[:, 1] = 0 and ∂/∂W2[1, :] = h₂·(p − onehot) = 0
        AssertValues([0, 0], grads["W1"].Select(1, 1));
        AssertValues([0, 0, 0], grads["W2"].Select(0, 1));
    }

    [Fact]
    public void Regularisation_adds_half_reg_times_the_squared_weights()
    {
        var x = Randn(1, 3, 4); var y = Labels(0, 2, 1);
        var a = new SoftmaxClassifier(4, 5, 3, weightScale: 0.3, reg: 0.0, seed: 9);
        var b = new SoftmaxClassifier(4, 5, 3, weightScale: 0.3, reg: 0.25, seed: 9);
        double expected = 0.5 * 0.25 * (SumSquares(a.Params["W1"]) + SumSquares(a.Params["W2"]));
        Assert.Equal(a.Loss(x, y).Loss + expected, b.Loss(x, y).Loss, 12);
        // biases are not regularised
        AssertValues(a.Loss(x, y).Grads["b1"].ToDoubleArray(), b.Loss(x, y).Grads["b1"]);
    }

    [Fact]
    public void Float32_smoke_and_default_dimensions()
    {
        var x = Randn(3, 5, 6);
        var y = Tensor.RandInt(0, 4, [5], new Generator(4));
        Float32MatchesFloat64(new TwoLayerNet(6, 7, 4, weightScale: 0.3), new TwoLayerNet(6, 7, 4, weightScale: 0.3, dtype: DType.Float32), x, y);
        Float32MatchesFloat64(new SoftmaxClassifier(6, null, 4, weightScale: 0.3), new SoftmaxClassifier(6, null, 4, weightScale: 0.3, dtype: DType.Float32), x, y);
        var mnist = new SoftmaxClassifier();   // 784 → 10, as softmax.py
        Assert.Equal(new[] { 784, 10 }, mnist.Params["W1"].Shape.ToArray());
        TestUtil.AssertShape(mnist.Scores(Tensor.Zeros([2, 1, 28, 28], DType.Float64)), 2, 10);
        // float32 input to a float64 model is converted
        Assert.Equal(DType.Float64, mnist.Scores(Tensor.Zeros([2, 784])).DType);
    }
}
