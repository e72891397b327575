namespace Nabla.Tests.Ops;

public class DropoutOpTests
{
    [Fact]
    public void Mask_is_reproducible_from_a_seed_and_follows_the_documented_draw()
    {
        var x = Tensor.Ones([50], DType.Float64);
        var a = x.Dropout(0.3, training: true, generator: new Generator(42)).ToArray<double>();
        var b = x.Dropout(0.3, training: true, generator: new Generator(42)).ToArray<double>();
        Assert.Equal(a, b);
        // The documented draw: the j-th NextUInt64() gives u = low32/2³² to element 2j and high32/2³² to 2j + 1;
        // kept (u ≥ p) values are scaled by 1/(1 − p).
        var g = new Generator(42);
        for (int j = 0; j < 25; j++)
        {
            ulong r = g.NextUInt64();
            Assert.Equal((uint)r / 4294967296.0 >= 0.3 ? 1 / 0.7 : 0.0, a[2 * j], 15);
            Assert.Equal((r >> 32) / 4294967296.0 >= 0.3 ? 1 / 0.7 : 0.0, a[2 * j + 1], 15);
        }
        Assert.Equal(a.Select(v => v == 0 ? 0.0 : 1.0), DropoutOp.SampleMask([50], 0.3, DType.Float64, new Generator(42)).ToArray<double>());
        Assert.NotEqual(a, x.Dropout(0.3, training: true, generator: new Generator(43)).ToArray<double>());
    }

    [Fact]
    public void Keeps_about_one_minus_p_and_preserves_the_mean()
    {
        var y = Tensor.Ones([200_000]).Dropout(0.25, training: true, generator: new Generator(7)).ToArray<float>();
        double kept = y.Count(v => v != 0) / (double)y.Length;
        Assert.True(Math.Abs(kept - 0.75) < 0.005, $"kept fraction {kept}");
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1 / 0.75f, v));
        Assert.True(Math.Abs(y.Average() - 1) < 0.01, $"mean {y.Average()}");
    }

    [Fact]
    public void Eval_mode_and_p_zero_are_the_identity()
    {
        var x = TestUtil.RandD(1, 3, 4);
        Assert.Same(x, x.Dropout(0.5, training: false));
        Assert.Same(x, x.Dropout(0.0, training: true));
    }

    [Fact]
    public void Explicit_mask_reproduces_a_textbook_example()
    {
        // x = [1, 2, 3, 4], keep mask [1, 0, 1, 0], p = 0.5 → x·m/(1 − p) = [2, 0, 6, 0].
        var y = Tensor.FromArray([1.0, 2, 3, 4]).Dropout(Tensor.FromArray([1, 0, 1, 0]), 0.5);
        Assert.Equal([2.0, 0, 6, 0], y.ToArray<double>());
        // A broadcast mask [1, 3] drops the same column in every row.
        var z = Tensor.Ones([2, 3]).Dropout(Tensor.FromArray([1f, 0f, 1f], 1, 3), 0.2);
        Assert.Equal([1.25f, 0, 1.25f, 1.25f, 0, 1.25f], z.ToArray<float>());
    }

    [Fact]
    public void Gradcheck_with_sampled_and_explicit_masks()
    {
        TestUtil.AssertGrad(t => t[0].Dropout(0.4, training: true, generator: new Generator(5)), TestUtil.RandD(1, 4, 6));
        var m = Tensor.FromArray([1.0, 0, 0, 1, 1, 0], 2, 3);
        TestUtil.AssertGrad(t => t[0].Dropout(m, 0.5), TestUtil.RandD(2, 2, 3));
    }

    [Fact]
    public void Bad_arguments_are_errors()
    {
        var x = Tensor.Ones(4);
        Assert.Contains("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => x.Dropout(1.0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Dropout(-0.1));
        Assert.Contains("0 and 1", Assert.Throws<ArgumentException>(() => x.Dropout(Tensor.FromArray([1f, 2f, 0f, 1f]), 0.5)).Message);
        Assert.Throws<ShapeMismatchException>(() => x.Dropout(Tensor.Ones(3), 0.5));
    }
}
