using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersDropoutTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(0.3, true)]
    [InlineData(0.5, false)]
    [InlineData(0.0, true)]
    public void Backward_with_explicit_mask_matches_finite_differences_and_autograd(double p, bool inverted)
    {
        var x = Randn(1, 3, 7);
        var dout = Randn(2, 3, 7);
        var mask = DropoutOp.SampleMask([3, 7], 0.4, DType.Float64, new Generator(3));
        var (_, cache) = Layers.DropoutForward(x, mask, p, inverted);
        var dx = Layers.DropoutBackward(dout, cache);
        AssertRel(NumericGradient.EvalArray(() => Layers.DropoutForward(x, mask, p, inverted).Out, x, dout), dx, FdTol, $"dropout p={p} inverted={inverted} dx vs FD", log);
        // The library's explicit-mask dropout is the inverted one; the textbook one is x ⊙ m.
        var auto = inverted ? AutogradGrads(t => t[0].Dropout(mask, p), dout, x) : AutogradGrads(t => t[0] * mask, dout, x);
        AssertRel(auto[0], dx, AutogradTol, $"dropout p={p} inverted={inverted} dx vs autograd", log);
    }

    [Fact]
    public void Workbook_style_masks_by_hand()
    {
        // x = [1, 2, 3, 4], mask m = [1, 0, 1, 0], p = 1/2.
        var x = D([1, 2, 3, 4], 1, 4);
        var m = D([1, 0, 1, 0], 1, 4);
        var (inv, ic) = Layers.DropoutForward(x, m, 0.5);                    // x ⊙ m / (1 − p) = [2, 0, 6, 0]
        AssertValues([2, 0, 6, 0], inv);
        AssertValues([2, 0, 2, 0], Layers.DropoutBackward(Tensor.Ones([1, 4], DType.Float64), ic));   // m / (1 − p)
        var (txt, tc) = Layers.DropoutForward(x, m, 0.5, inverted: false);   // x ⊙ m = [1, 0, 3, 0]
        AssertValues([1, 0, 3, 0], txt);
        AssertValues([1, 0, 1, 0], Layers.DropoutBackward(Tensor.Ones([1, 4], DType.Float64), tc));   // m
        // Test mode: inverted is the identity; textbook scales by the keep probability 1 − p = 1/2.
        var (ti, tic) = Layers.DropoutForward(x, 0.5, train: false);
        AssertValues([1, 2, 3, 4], ti);
        AssertValues([1, 1, 1, 1], Layers.DropoutBackward(Tensor.Ones([1, 4], DType.Float64), tic));
        var (tt, ttc) = Layers.DropoutForward(x, 0.5, train: false, inverted: false);
        AssertValues([0.5, 1, 1.5, 2], tt);
        AssertValues([0.5, 0.5, 0.5, 0.5], Layers.DropoutBackward(Tensor.Ones([1, 4], DType.Float64), ttc));
    }

    [Fact]
    public void Sampled_mask_is_the_library_mask_of_the_same_generator_state_and_keeps_about_1_minus_p()
    {
        var x = Tensor.Ones([100, 100], DType.Float64);
        var (out_, cache) = Layers.DropoutForward(x, 0.3, train: true, new Generator(42));
        var expected = DropoutOp.SampleMask([100, 100], 0.3, DType.Float64, new Generator(42));
        AssertValues(expected.ToDoubleArray(), cache.Mask!);
        // kept fraction: 1 − p = 0.7 ± 4 standard deviations √(0.21/10⁴) ≈ 0.0046
        double kept = cache.Mask!.ToDoubleArray().Average();
        Assert.InRange(kept, 0.7 - 0.019, 0.7 + 0.019);
        // inverted scaling keeps the mean: E[y] = x = 1
        Assert.InRange(out_.ToDoubleArray().Average(), 1 - 0.03, 1 + 0.03);
        // same seed, same mask; another seed, another mask
        Assert.Equal(cache.Mask!.ToDoubleArray(), Layers.DropoutForward(x, 0.3, true, new Generator(42)).Cache.Mask!.ToDoubleArray());
        Assert.NotEqual(cache.Mask!.ToDoubleArray(), Layers.DropoutForward(x, 0.3, true, new Generator(43)).Cache.Mask!.ToDoubleArray());
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var x = Randn(1, 2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Layers.DropoutForward(x, 1.0, true));
        Assert.Throws<ArgumentException>(() => Layers.DropoutForward(x, D([1, 0, 1], 1, 3), 0.5));
        Assert.Throws<ArgumentException>(() => Layers.DropoutForward(x, D([1, 0, 2, 1, 1, 1], 2, 3), 0.5));
        var (_, c) = Layers.DropoutForward(x, D([1, 0, 1, 1, 1, 1], 2, 3), 0.5);
        Assert.Throws<ArgumentException>(() => Layers.DropoutBackward(Randn(2, 3, 2), c));
    }
}
