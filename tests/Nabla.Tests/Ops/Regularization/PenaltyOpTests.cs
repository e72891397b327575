namespace Nabla.Tests.Ops;

/// <summary>L1PenaltyOp (λ·Σ|w|, gradient λ·sign(w)) and L2PenaltyOp ((λ/2)·Σw², gradient λ·w).</summary>
public class PenaltyOpTests
{
    [Fact]
    public void L1_value_and_subgradient_by_hand()
    {
        var w1 = Tensor.FromArray([1.0, -2, 0]).RequiresGrad_();
        var w2 = Tensor.FromArray([0.5], 1, 1).RequiresGrad_();
        var p = Tensor.L1Penalty([w1, w2], 0.1);
        Assert.Equal(0.35, p.Item(), 12);               // 0.1·(1 + 2 + 0 + 0.5)
        p.Backward();
        Assert.Equal([0.1, -0.1, 0], w1.Grad!.ToArray<double>());   // sign(0) = 0
        Assert.Equal([0.1], w2.Grad!.ToArray<double>());
    }

    [Fact]
    public void L2_is_half_lambda_sum_of_squares_with_gradient_lambda_w()
    {
        var w1 = Tensor.FromArray([1.0, -2, 0]).RequiresGrad_();
        var w2 = Tensor.FromArray([0.5], 1, 1).RequiresGrad_();
        var p = Tensor.L2Penalty([w1, w2], 0.1);
        Assert.Equal(0.2625, p.Item(), 12);             // 0.05·(1 + 4 + 0 + 0.25)
        p.Backward();
        Assert.Equal([0.1, -0.2, 0], w1.Grad!.ToArray<double>());
        Assert.Equal([0.05], w2.Grad!.ToArray<double>(), new DoubleTolerance(1e-15));
    }

    [Fact]
    public void Gradcheck()
    {
        // Uniform in [0.2, 1] so no weight sits at the L1 kink.
        TestUtil.AssertGrad(t => Tensor.L1Penalty([t[0], t[1]], 0.3) * 2.0, TestUtil.UniformD(1, 0.2, 1, 3, 4), -TestUtil.UniformD(2, 0.2, 1, 5).Detach().RequiresGrad_());
        TestUtil.AssertGrad(t => Tensor.L2Penalty([t[0], t[1]], 0.3), TestUtil.RandD(3, 3, 4), TestUtil.RandD(4, 5));
    }

    [Fact]
    public void Errors()
    {
        Assert.Throws<ArgumentException>(() => Tensor.L2Penalty([], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.L1Penalty([Tensor.Ones(2)], -1));
        Assert.Throws<DTypeMismatchException>(() => Tensor.L1Penalty([Tensor.Ones(2), Tensor.Ones([2], DType.Float64)], 1));
    }

    private sealed class DoubleTolerance(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(double v) => 0;
    }
}
