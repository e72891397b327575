using Nabla.Course;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class NumericGradientTests
{
    [Fact]
    public void Eval_of_a_cubic_is_3x_squared_and_the_input_is_restored()
    {
        var x = D([1, -2, 0.5, 3], 2, 2);
        var before = x.ToDoubleArray();
        var g = NumericGradient.Eval(() => x.ToDoubleArray().Sum(v => v * v * v), x);
        // central differences of x³: 3x² + h² exactly, so the error is 1e-10 plus round-off
        AssertValues(before.Select(v => 3 * v * v).ToArray(), g, 1e-8);
        Assert.Equal(before, x.ToDoubleArray());
    }

    [Fact]
    public void EvalArray_weights_the_outputs_by_dout_and_EvalAll_covers_every_parameter()
    {
        // f(x) = 2x element-wise, dout = [1, 10]: ∂(Σ f ⊙ dout)/∂x = [2, 20].
        var x = D([0.3, 0.7], 2);
        AssertValues([2, 20], NumericGradient.EvalArray(() => x * 2.0, x, D([1, 10], 2)), 1e-9);
        var p = new Dictionary<string, Tensor> { ["a"] = D([1.5], 1), ["b"] = D([2, 3], 2) };
        // f = a · Σ b² → ∂f/∂a = 13, ∂f/∂b = 2a·b = [6, 9]
        var grads = NumericGradient.EvalAll(() => p["a"].Item() * p["b"].ToDoubleArray().Sum(v => v * v), p);
        AssertValues([13], grads["a"], 1e-8);
        AssertValues([6, 9], grads["b"], 1e-8);
    }

    [Fact]
    public void RelError_is_the_cs231n_formula()
    {
        // |a − b| / max(|a| + |b|, 1e-8): (1, 1.1) → 0.1/2.1; (0, 0) → 0; (0, 1e-9) → 1e-9/1e-8 = 0.1.
        Assert.Equal(0.1 / 2.1, NumericGradient.RelError(1, 1.1), 15);
        Assert.Equal(0, NumericGradient.RelError(0, 0));
        Assert.Equal(0.1, NumericGradient.RelError(0, 1e-9), 15);
        Assert.Equal(0.1 / 2.1, NumericGradient.RelError(D([1, 0], 2), D([1.1, 0], 2)), 15);
        Assert.Equal(double.PositiveInfinity, NumericGradient.RelError(D([double.NaN], 1), D([0], 1)));
        Assert.Throws<ArgumentException>(() => NumericGradient.RelError(D([1, 2], 2), D([1, 2], 1, 2)));
    }

    [Fact]
    public void A_deliberately_wrong_affine_backward_is_caught()
    {
        var (x, w, b) = (Randn(1, 4, 5), Randn(2, 5, 3), Randn(3, 3));
        var dout = Randn(4, 4, 3);
        var (_, cache) = Layers.AffineForward(x, w, b);
        var right = Layers.AffineBackward(dout, cache);
        var fdW = NumericGradient.EvalArray(() => Layers.AffineForward(x, w, b).Out, w, dout);
        var fdB = NumericGradient.EvalArray(() => Layers.AffineForward(x, w, b).Out, b, dout);
        Assert.True(NumericGradient.RelError(fdW, right.Dw) < FdTol);
        // Bug 1: dW = Xᵀ·dout / N (a stray mean over the batch)
        Assert.True(NumericGradient.RelError(fdW, right.Dw / 4.0) > 0.5);
        // Bug 2: db = dout of the first example only (forgot to sum over the batch)
        Assert.True(NumericGradient.RelError(fdB, dout.Select(0, 0)) > 1e-2);
    }

    [Fact]
    public void A_deliberately_wrong_batchnorm_backward_is_caught()
    {
        // Bug: treating μ and σ as constants in training mode (the test-mode formula dx = γ·dout/√(σ² + ε)).
        var (x, gamma, beta) = (Randn(1, 6, 3), Randn(2, 3), Randn(3, 3));
        var dout = Randn(4, 6, 3);
        var (_, cache) = Layers.BatchNormForward(x, gamma, beta, new BatchNormState(3), true);
        var fd = NumericGradient.EvalArray(() => Layers.BatchNormForward(x, gamma, beta, new BatchNormState(3), true).Out, x, dout);
        var wrong = Layers.BatchNormBackward(dout, cache with { Train = false }).Dx;
        Assert.True(NumericGradient.RelError(fd, wrong) > 1e-2);
        Assert.True(NumericGradient.RelError(fd, Layers.BatchNormBackward(dout, cache).Dx) < FdTol);
    }

    [Fact]
    public void A_deliberately_wrong_conv_backward_is_caught()
    {
        // Bug: ∂L/∂X computed with the kernel NOT rotated (dY *full W as a correlation instead of with rot180(W)).
        var (x, w, b) = (Randn(1, 1, 2, 5, 5), Randn(2, 3, 2, 3, 3), Randn(3, 3));
        var (y, cache) = Layers.ConvForward(x, w, b);
        var dout = Randn(4, y.Shape.ToArray());
        var wrongCache = cache with { W = w.Flip(2, 3) };
        var wrong = Layers.ConvBackward(dout, wrongCache).Dx;
        var fd = NumericGradient.EvalArray(() => Layers.ConvForward(x, w, b).Out, x, dout);
        Assert.True(NumericGradient.RelError(fd, wrong) > 1e-2);
        Assert.True(NumericGradient.RelError(fd, Layers.ConvBackward(dout, cache).Dx) < FdTol);
    }

    [Fact]
    public void Bad_inputs_throw()
    {
        Assert.Throws<ArgumentException>(() => NumericGradient.Eval(() => 0, Tensor.FromArray(new[] { 1, 2 })));
        Assert.Throws<ArgumentException>(() => NumericGradient.Eval(() => 0, Randn(1, 2, 3).T));
        Assert.Throws<ArgumentOutOfRangeException>(() => NumericGradient.Eval(() => 0, Randn(1, 2), h: 0));
        Assert.Throws<ArgumentException>(() => NumericGradient.EvalArray(() => Randn(1, 3), Randn(2, 2), Randn(3, 2)));
    }
}
