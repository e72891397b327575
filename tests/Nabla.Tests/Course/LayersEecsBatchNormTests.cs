using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersEecsBatchNormTests(ITestOutputHelper log)
{
    /// <summary>The seed's definition composed from library ops (autograd): μ = mean of the rows,
    /// σ = √(Σ_j ‖X_j − μ‖² + ε) (all features: one scalar; per feature: a sum per column), Y = (X − μ)/σ.</summary>
    private static Tensor Reference(Tensor x, EecsSigmaScope scope, double eps)
    {
        var dev = x - x.Mean(0, keepDim: true);
        var sq = dev * dev;
        var sum = scope == EecsSigmaScope.AllFeatures ? sq.Sum() : sq.Sum(0, keepDim: true);
        return dev / (sum + eps).Sqrt();
    }

    [Theory]
    [InlineData(EecsSigmaScope.AllFeatures, 5, 3)]
    [InlineData(EecsSigmaScope.PerFeature, 5, 3)]
    [InlineData(EecsSigmaScope.AllFeatures, 2, 3)]   // (n = 2 with one feature gives Y ≈ ±1/√2 whatever x is: a gradient of O(ε), nothing to check)
    [InlineData(EecsSigmaScope.PerFeature, 7, 4)]
    public void Training_backward_matches_finite_differences_and_autograd(EecsSigmaScope scope, int n, int d)
    {
        var x = Randn(1, n, d) * 1.5 + 0.3;
        var dout = Randn(2, n, d);
        var (y, cache) = Layers.EecsBatchNormForward(x, new EecsBatchNormState(d, scope: scope), train: true);
        var dx = Layers.EecsBatchNormBackward(dout, cache);
        AssertRel(NumericGradient.EvalArray(() => Layers.EecsBatchNormForward(x, new EecsBatchNormState(d, scope: scope), true).Out, x, dout),
            dx, FdTol, $"eecs batchnorm {scope} [{n}, {d}] dx vs FD", log);
        var auto = AutogradGrads(t => Reference(t[0], scope, 1e-5), dout, x);
        AssertRel(auto[0], dx, AutogradTol, $"eecs batchnorm {scope} [{n}, {d}] dx vs autograd", log);
        AssertRel(Reference(x, scope, 1e-5), y, 1e-13, $"eecs batchnorm {scope} forward vs composed ops", log);
    }

    [Theory]
    [InlineData(EecsSigmaScope.AllFeatures)]
    [InlineData(EecsSigmaScope.PerFeature)]
    public void Test_mode_is_affine_with_the_running_statistics(EecsSigmaScope scope)
    {
        var state = new EecsBatchNormState(3, scope: scope);
        Layers.EecsBatchNormForward(Randn(1, 6, 3), state, true);
        var x = Randn(2, 4, 3);
        var dout = Randn(3, 4, 3);
        var (_, cache) = Layers.EecsBatchNormForward(x, state, false);
        var dx = Layers.EecsBatchNormBackward(dout, cache);
        AssertRel(NumericGradient.EvalArray(() => Layers.EecsBatchNormForward(x, state, false).Out, x, dout), dx, FdTol, $"eecs batchnorm {scope} test-mode dx vs FD", log);
    }

    [Fact]
    public void Forward_by_hand_for_both_readings_of_sigma()
    {
        // X = [[1, 2], [3, 6]]: μ = [2, 4], X − μ = [[−1, −2], [1, 2]].
        // All features: σ = √(‖(−1, −2)‖² + ‖(1, 2)‖² + ε) = √(5 + 5 + ε) ≈ √10 → Y = (X − μ)/√10.
        // Per feature: σ = [√(1 + 1), √(4 + 4)] = [√2, √8] → Y = [[−1/√2, −2/√8], [1/√2, 2/√8]] = ±1/√2 everywhere.
        const double eps = 1e-12;
        var x = D([1, 2, 3, 6], 2, 2);
        var all = new EecsBatchNormState(2, scope: EecsSigmaScope.AllFeatures, eps: eps);
        var (ya, _) = Layers.EecsBatchNormForward(x, all, true);
        double r10 = Math.Sqrt(10);
        AssertValues([-1 / r10, -2 / r10, 1 / r10, 2 / r10], ya, 1e-11);
        double h = Math.Sqrt(0.5);
        var (yp, _) = Layers.EecsBatchNormForward(x, new EecsBatchNormState(2, scope: EecsSigmaScope.PerFeature, eps: eps), true);
        AssertValues([-h, -h, h, h], yp, 1e-11);
        // Running statistics (momentum 0.9, starting at mean 0 and S = 1): mean 0.1·[2, 4], S = 0.9 + 0.1·10 = 1.9.
        AssertValues([0.2, 0.4], all.RunningMean);
        AssertValues([1.9], all.RunningSumSq);
        // Unlike the usual batch norm (which divides by √(σ²) = √5 here), Y has squared norm Σ_j ‖Y_j‖² = 1.
        Assert.Equal(1.0, ya.ToDoubleArray().Sum(v => v * v), 10);
    }

    [Fact]
    public void Backward_of_the_usual_batchnorm_formula_is_not_the_eecs_gradient()
    {
        // The two layers differ only in σ's 1/n; their backwards differ in the last term (Σ vs mean): check that the
        // standard formula applied to the EECS layer is caught by finite differences.
        var x = Randn(4, 6, 1);
        var dout = Randn(5, 6, 1);
        var (y, cache) = Layers.EecsBatchNormForward(x, new EecsBatchNormState(1, scope: EecsSigmaScope.PerFeature), true);
        var g = dout.ToDoubleArray(); var ys = y.ToDoubleArray();
        double sumG = g.Sum(), sumGy = g.Zip(ys, (a, b) => a * b).Sum();
        var wrong = D(g.Select((gi, i) => (gi - sumG / 6 - ys[i] * sumGy / 6) / cache.Sigma[0]).ToArray(), 6, 1);
        var fd = NumericGradient.EvalArray(() => Layers.EecsBatchNormForward(x, new EecsBatchNormState(1, scope: EecsSigmaScope.PerFeature), true).Out, x, dout);
        Assert.True(NumericGradient.RelError(fd, wrong) > 1e-2);
        Assert.True(NumericGradient.RelError(fd, Layers.EecsBatchNormBackward(dout, cache)) < FdTol);
    }

    [Fact]
    public void Shape_errors()
    {
        Assert.Throws<ArgumentException>(() => Layers.EecsBatchNormForward(Randn(1, 4, 3), new EecsBatchNormState(2), true));
        Assert.Throws<ArgumentException>(() => Layers.EecsBatchNormForward(Randn(1, 1, 3), new EecsBatchNormState(3), true));
        Assert.Throws<ArgumentException>(() => Layers.EecsBatchNormForward(Randn(1, 2, 3, 4), new EecsBatchNormState(3), true));
    }
}
