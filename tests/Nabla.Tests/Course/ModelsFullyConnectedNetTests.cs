using Nabla.Course;
using Nabla.Course.Models;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;
using static Nabla.Tests.Course.ModelsTestHelpers;

namespace Nabla.Tests.Course;

public class ModelsFullyConnectedNetTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(new int[0], 0.0, Normalization.None, 0.0)]          // softmax regression
    [InlineData(new[] { 6, 5 }, 0.0, Normalization.None, 0.0)]
    [InlineData(new[] { 6, 5 }, 0.0, Normalization.None, 3.14)]
    [InlineData(new[] { 7, 5, 6 }, 0.0, Normalization.BatchNorm, 0.1)]
    [InlineData(new[] { 6, 5 }, 0.25, Normalization.None, 0.1)]     // dropout with a fixed mask seed
    [InlineData(new[] { 6, 5 }, 0.4, Normalization.BatchNorm, 0.0)]
    public void Loss_gradients_match_finite_differences(int[] hidden, double dropout, Normalization norm, double reg)
    {
        var m = new FullyConnectedNet(hidden, inputDim: 8, numClasses: 4, dropout: dropout, normalization: norm, reg: reg,
            weightScale: 0.4, dtype: DType.Float64, dropoutSeed: 123, seed: 5);
        var x = Randn(1, 5, 2, 4);
        var y = Tensor.RandInt(0, 4, [5], new Generator(2));
        var zero = norm == Normalization.BatchNorm ? Enumerable.Range(1, hidden.Length).Select(i => $"b{i}").ToArray() : [];
        CheckGradients(m, x, y, FdTol, log, $"fc net {ShapeUtil.Format(hidden)} dropout={dropout} {norm} reg={reg}", 1e-5, zero);
    }

    [Fact]
    public void Parameters_batchnorm_states_and_test_mode()
    {
        var m = new FullyConnectedNet([10, 20], inputDim: 15, numClasses: 3, normalization: Normalization.BatchNorm, seed: 1);
        Assert.Equal(new[] { "W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3" }, m.Params.Keys.ToArray());
        Assert.Equal(new[] { 20, 3 }, m.Params["W3"].Shape.ToArray());
        Assert.Equal(DType.Float32, m.Params["W1"].DType);   // fc_net.py's default dtype
        Assert.Equal(2, m.BatchNormStates.Count);
        Assert.All(m.Params["gamma2"].ToDoubleArray(), v => Assert.Equal(1, v));
        var x = Randn(3, 6, 15).To(DType.Float32);
        var y = Labels(0, 1, 2, 0, 1, 2);
        var before = m.Scores(x).ToDoubleArray();
        m.Loss(x, y);   // a training forward moves the running statistics ...
        Assert.NotEqual(0, m.BatchNormStates[0].RunningMean.ToDoubleArray().Sum(Math.Abs));
        Assert.NotEqual(before, m.Scores(x).ToDoubleArray());   // ... which test-mode scores use
        var s1 = m.Scores(x).ToDoubleArray();
        Assert.Equal(s1, m.Scores(x).ToDoubleArray());           // and scoring changes nothing
    }

    [Fact]
    public void Dropout_conventions_and_test_mode_determinism()
    {
        Assert.Equal(0.25, new FullyConnectedNet([4], inputDim: 3, dropout: 0.75, dropoutIsKeepProbability: true).Dropout, 15);
        Assert.Equal(0.0, new FullyConnectedNet([4], inputDim: 3, dropout: 1.0, dropoutIsKeepProbability: true).Dropout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FullyConnectedNet([4], inputDim: 3, dropout: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FullyConnectedNet([4], inputDim: 3, dropout: 0, dropoutIsKeepProbability: true));
        var x = Randn(1, 4, 3); var y = Labels(0, 1, 2, 3);
        var m = new FullyConnectedNet([50], inputDim: 3, numClasses: 4, dropout: 0.5, weightScale: 0.5, dtype: DType.Float64);
        // Training losses differ between calls (fresh masks), test-mode scores do not.
        Assert.NotEqual(m.Loss(x, y).Loss, m.Loss(x, y).Loss);
        Assert.Equal(m.Scores(x).ToDoubleArray(), m.Scores(x).ToDoubleArray());
        var fixedMasks = new FullyConnectedNet([50], inputDim: 3, numClasses: 4, dropout: 0.5, weightScale: 0.5, dtype: DType.Float64, dropoutSeed: 9);
        Assert.Equal(fixedMasks.Loss(x, y).Loss, fixedMasks.Loss(x, y).Loss);
        // Without dropout and normalisation, the training loss equals the softmax loss of the test-mode scores.
        var plain = new FullyConnectedNet([5, 6], inputDim: 3, numClasses: 4, weightScale: 0.5, dtype: DType.Float64);
        Assert.Equal(Layers.SoftmaxLoss(plain.Scores(x), y).Loss, plain.Loss(x, y).Loss, 14);
    }

    [Fact]
    public void Overfits_a_small_batch()
    {
        // cs231n's sanity check: a 3-layer net drives the loss on 20 examples near zero with plain SGD.
        var x = Randn(4, 20, 10); var y = Tensor.RandInt(0, 5, [20], new Generator(8));
        var m = new FullyConnectedNet([40, 40], inputDim: 10, numClasses: 5, weightScale: 0.3, dtype: DType.Float64, seed: 2);
        double first = m.Loss(x, y).Loss;
        for (int step = 0; step < 300; step++)
        {
            var (_, grads) = m.Loss(x, y);
            foreach (var (name, p) in m.Params) p.CopyFrom_(p - grads[name] * 0.1);
        }
        double last = m.Loss(x, y).Loss;
        Assert.True(last < 0.05 && last < first / 20, $"loss {first} → {last}");
    }

    [Fact]
    public void Float32_smoke()
    {
        var x = Randn(3, 6, 7);
        var y = Tensor.RandInt(0, 3, [6], new Generator(4));
        FullyConnectedNet Make(DType d) => new([5, 4], inputDim: 7, numClasses: 3, dropout: 0.3, normalization: Normalization.BatchNorm,
            reg: 0.05, weightScale: 0.3, dtype: d, dropoutSeed: 1);
        Float32MatchesFloat64(Make(DType.Float64), Make(DType.Float32), x, y);
    }
}
