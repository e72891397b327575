using Nabla.Course;
using Nabla.Course.Models;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;
using static Nabla.Tests.Course.ModelsTestHelpers;

namespace Nabla.Tests.Course;

public class ModelsThreeLayerConvNetTests(ITestOutputHelper log)
{
    private const double ModelTol = 1e-6;

    private static ThreeLayerConvNet Make(int filter, double dropout, bool bn, double reg, DType dtype = DType.Float64) =>
        new((2, 8, 7), numFilters: 3, filterSize: filter, hiddenDim: 6, numClasses: 4, weightScale: 0.3, reg: reg, dtype: dtype,
            dropout: dropout, batchNorm: bn, dropoutSeed: 17, seed: 4);

    [Theory]
    [InlineData(3, 0.0, false, 0.0)]
    [InlineData(5, 0.0, false, 0.4)]     // odd width 7 → conv 7 → pool 3 (the last column is dropped)
    [InlineData(3, 0.3, true, 0.1)]      // the EECS Q5.4 variant: spatial batch norm, batch norm, dropout
    [InlineData(2, 0.0, true, 0.0)]      // even filter: padding 0, conv 7×6
    public void Loss_gradients_match_finite_differences(int filter, double dropout, bool bn, double reg)
    {
        var m = Make(filter, dropout, bn, reg);
        var x = Randn(1, 3, 2, 8, 7);
        var y = Labels(0, 3, 1);
        // Tolerance 1e-6 rather than the layers' 1e-7: some gradient elements here are ~1e-5, and the round-off of a
        // central difference, ~1e-16·|loss|/h ≈ 1e-11, is then ~1e-6 of them (a larger h trades it for O(h²)
        // truncation through batch norm). Each layer alone passes 1e-7, and the autograd test below agrees to 1e-10.
        CheckGradients(m, x, y, ModelTol, log, $"conv net filter={filter} dropout={dropout} bn={bn} reg={reg}", 1e-5, bn ? ["b1", "b2"] : []);
    }

    [Fact]
    public void Shapes_follow_the_homework_defaults()
    {
        // cnn.py defaults: input (1, 28, 28), 32 filters of 7×7 (padding 3), 2×2 pool → 32·14·14 = 6272 → 100 → 10.
        var m = new ThreeLayerConvNet(seed: 1);
        Assert.Equal(new[] { "W1", "b1", "W2", "b2", "W3", "b3" }, m.Params.Keys.ToArray());
        Assert.Equal(new[] { 32, 1, 7, 7 }, m.Params["W1"].Shape.ToArray());
        Assert.Equal(new[] { 6272, 100 }, m.Params["W2"].Shape.ToArray());
        Assert.Equal(new[] { 100, 10 }, m.Params["W3"].Shape.ToArray());
        Assert.Equal(3, m.Pad);
        var bn = new ThreeLayerConvNet(batchNorm: true);
        Assert.Equal(new[] { 32 }, bn.Params["gamma1"].Shape.ToArray());
        Assert.Equal(new[] { 100 }, bn.Params["beta2"].Shape.ToArray());
        Assert.Equal(2, bn.BatchNormStates.Count);
        ILossModel asModel = bn;   // the Solver's view: the four running-statistics tensors themselves, none without batch norm
        Assert.Equal(new[] { bn.BatchNormStates[0].RunningMean, bn.BatchNormStates[0].RunningVar, bn.BatchNormStates[1].RunningMean, bn.BatchNormStates[1].RunningVar },
            asModel.State.ToArray());
        Assert.Empty(((ILossModel)m).State);
        TestUtil.AssertShape(m.Scores(Tensor.Zeros([2, 1, 28, 28])), 2, 10);
        Assert.Throws<ArgumentException>(() => m.Scores(Tensor.Zeros([2, 1, 28, 27])));
        Assert.Throws<ArgumentException>(() => new ThreeLayerConvNet((1, 2, 2), filterSize: 2));   // padding 0 → 1×1 map, nothing to pool
    }

    [Fact]
    public void Matches_the_same_network_through_autograd()
    {
        var m = Make(3, 0.0, false, 0.2);
        var x = Randn(2, 3, 2, 8, 7);
        var y = Labels(1, 2, 0);
        var p = m.Params.ToDictionary(kv => kv.Key, kv => kv.Value.Clone().RequiresGrad_());
        var pooled = x.Conv2d(p["W1"], p["b1"], padding: 1).Relu().MaxPool2d(2);
        var h = (pooled.Reshape(3, -1).MatMul(p["W2"]) + p["b2"]).Relu();
        var loss = (h.MatMul(p["W3"]) + p["b3"]).CrossEntropy(y)
                   + ((p["W1"] * p["W1"]).Sum() + (p["W2"] * p["W2"]).Sum() + (p["W3"] * p["W3"]).Sum()) * (0.5 * 0.2);
        loss.Backward();
        var (l, grads) = m.Loss(x, y);
        Assert.Equal(loss.Item(), l, 12);
        foreach (var name in p.Keys) AssertRel(p[name].Grad!, grads[name], AutogradTol, $"conv net {name} vs autograd", log);
    }

    [Fact]
    public void Float32_smoke()
    {
        var x = Randn(5, 4, 2, 8, 7);
        var y = Labels(0, 1, 2, 3);
        Float32MatchesFloat64(Make(3, 0.2, true, 0.05), Make(3, 0.2, true, 0.05, DType.Float32), x, y);
    }
}
