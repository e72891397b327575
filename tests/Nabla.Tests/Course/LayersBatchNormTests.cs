using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersBatchNormTests(ITestOutputHelper log)
{
    private static (Tensor Out, Layers.BatchNormCache Cache) Fwd(Tensor x, Tensor g, Tensor b, BatchNormState s, bool train) =>
        x.Rank == 4 ? Layers.SpatialBatchNormForward(x, g, b, s, train) : Layers.BatchNormForward(x, g, b, s, train);

    [Theory]
    [InlineData(new[] { 5, 4 }, true)]
    [InlineData(new[] { 5, 4 }, false)]          // test mode: running statistics
    [InlineData(new[] { 2, 3, 4, 5 }, true)]     // spatial
    [InlineData(new[] { 1, 2, 3, 3 }, true)]     // spatial, batch of 1 (statistics over H·W)
    [InlineData(new[] { 3, 2, 2, 3 }, false)]
    public void Backward_matches_finite_differences_and_autograd(int[] shape, bool train) =>
        CheckAgainstFdAndAutograd(Randn(1, shape) * 2.0 + 0.5, train);

    [Fact]
    public void Batch_of_two_matches_finite_differences_and_autograd()
    {
        // The smallest batch with a variance. Here x̂ = ±Δ/√(Δ² + 4ε) (Δ = x₁ − x₂) hardly depends on x: ∂L/∂x is
        // O(ε/Δ³), so Δ must be neither large (the gradient drowns in round-off) nor tiny (the O(h²/Δ²) truncation
        // error of the central difference grows): Δ = 0.1, 0.15, 0.08 here.
        CheckAgainstFdAndAutograd(D([0.5, 0.3, 0.6, 0.4, 0.45, 0.52], 2, 3), train: true);
    }

    private void CheckAgainstFdAndAutograd(Tensor x, bool train)
    {
        var shape = x.Shape.ToArray();
        int c = shape[1];
        var gamma = Randn(2, c);
        var beta = Randn(3, c);
        var dout = Randn(4, shape);
        var state = new BatchNormState(c);
        if (!train) { state.RunningMean.CopyFrom_(Randn(5, c)); state.RunningVar.CopyFrom_(Tensor.Rand([c], 0.5, 2, DType.Float64, new Generator(6))); }
        var (out_, cache) = Fwd(x, gamma, beta, state, train);
        var (dx, dgamma, dbeta) = Layers.BatchNormBackward(dout, cache);

        // A fresh state per evaluation so the running statistics the FD sees are the ones the forward saw.
        var state0Mean = train ? Tensor.Zeros([c], DType.Float64) : state.RunningMean.Clone();
        var state0Var = train ? Tensor.Ones([c], DType.Float64) : state.RunningVar.Clone();
        BatchNormState Copy() { var s = new BatchNormState(c); s.RunningMean.CopyFrom_(state0Mean); s.RunningVar.CopyFrom_(state0Var); return s; }
        Tensor F() => Fwd(x, gamma, beta, Copy(), train).Out;
        string tag = $"batchnorm {ShapeUtil.Format(shape)} train={train}";
        AssertRel(NumericGradient.EvalArray(F, x, dout), dx, FdTol, $"{tag} dx vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, gamma, dout), dgamma, FdTol, $"{tag} dgamma vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, beta, dout), dbeta, FdTol, $"{tag} dbeta vs FD", log);

        // Library BatchNorm (PyTorch momentum 0.1 = 1 − our 0.9); the same eps.
        var rm = state0Mean.Clone(); var rv = state0Var.Clone();
        var auto = AutogradGrads(t => t[0].BatchNorm(rm.Clone(), rv.Clone(), t[1], t[2], training: train, momentum: 0.1, eps: 1e-5), dout, x, gamma, beta);
        AssertRel(auto[0], dx, AutogradTol, $"{tag} dx vs autograd", log);
        AssertRel(auto[1], dgamma, AutogradTol, $"{tag} dgamma vs autograd", log);
        AssertRel(auto[2], dbeta, AutogradTol, $"{tag} dbeta vs autograd", log);
        AssertRel(x.BatchNorm(rm, rv, gamma, beta, training: train, momentum: 0.1, eps: 1e-5), out_, 1e-12, $"{tag} forward vs library", log);
        if (train) AssertRel(rm, state.RunningMean, 1e-12, $"{tag} running mean vs library", log);
    }

    [Fact]
    public void Forward_running_statistics_and_test_mode_by_hand()
    {
        // x = [[1], [3]] (N = 2, D = 1): μ = 2, σ² = ((1 − 2)² + (3 − 2)²)/2 = 1, x̂ = ±1/√(1 + ε);
        // γ = 2, β = 1: y = [1 − 2/√(1 + ε), 1 + 2/√(1 + ε)] ≈ [−1, 3].
        var state = new BatchNormState(1, eps: 1e-5);
        var (y, _) = Layers.BatchNormForward(D([1, 3], 2, 1), D([2], 1), D([1], 1), state, train: true);
        double s = Math.Sqrt(1 + 1e-5);
        AssertValues([1 - 2 / s, 1 + 2 / s], y);
        // running ← 0.9·running + 0.1·batch: mean 0.9·0 + 0.1·2 = 0.2, var 0.9·1 + 0.1·1 = 1 (biased variance).
        AssertValues([0.2], state.RunningMean);
        AssertValues([1.0], state.RunningVar);
        // Test mode with running mean 0.2, var 1: x = 1.2 → x̂ = 1/√(1 + ε), y = 2x̂ + 1; dx = γ·dout/√(σ² + ε).
        var (t, tc) = Layers.BatchNormForward(D([1.2], 1, 1), D([2], 1), D([1], 1), state, train: false);
        AssertValues([1 + 2 / s], t);
        AssertValues([2 / s], Layers.BatchNormBackward(D([1], 1, 1), tc).Dx);
        AssertValues([0.2], state.RunningMean);   // test mode leaves the statistics alone
    }

    [Fact]
    public void Training_output_has_zero_mean_and_unit_variance_per_channel_before_the_affine_part()
    {
        var x = Randn(7, 4, 3, 5, 5) * 3.0 + 2.0;
        var (y, _) = Layers.SpatialBatchNormForward(x, Tensor.Ones([3], DType.Float64), Tensor.Zeros([3], DType.Float64), new BatchNormState(3), true);
        var mean = y.Mean([0, 2, 3]).ToDoubleArray();
        var var = y.Var([0, 2, 3], unbiased: false).ToDoubleArray();
        for (int c = 0; c < 3; c++) { Assert.True(Math.Abs(mean[c]) < 1e-12); Assert.True(Math.Abs(var[c] - 1) < 1e-5); }
    }

    [Fact]
    public void Float32_smoke_and_shape_errors()
    {
        var x = Randn(1, 6, 4).To(DType.Float32);
        var state = new BatchNormState(4, DType.Float32);
        var (y, c) = Layers.BatchNormForward(x, Tensor.Ones([4]), Tensor.Zeros([4]), state, true);
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(DType.Float32, Layers.BatchNormBackward(Tensor.Ones([6, 4]), c).Dgamma.DType);
        Assert.Throws<ArgumentException>(() => Layers.BatchNormForward(x, Tensor.Ones([3]), Tensor.Zeros([4]), state, true));
        Assert.Throws<ArgumentException>(() => Layers.BatchNormForward(x, Tensor.Ones([4]), Tensor.Zeros([4]), new BatchNormState(4), true));   // float64 state
        Assert.Throws<ArgumentException>(() => Layers.BatchNormForward(Randn(1, 1, 4).To(DType.Float32), Tensor.Ones([4]), Tensor.Zeros([4]), state, true));
        Assert.Throws<ArgumentException>(() => Layers.SpatialBatchNormForward(x, Tensor.Ones([4]), Tensor.Zeros([4]), state, true));
    }
}
