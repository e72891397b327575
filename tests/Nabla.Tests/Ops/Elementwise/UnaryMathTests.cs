using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Ops.Elementwise;

public class UnaryMathTests
{
    private sealed record Case(Func<Tensor, Tensor> Op, Func<double, double> Reference, double Low, double High, bool AwayFromZero = false);

    // One row per op: the op, an independent scalar formula, and an input range where the op is smooth.
    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Exp"] = new(x => x.Exp(), Math.Exp, -3, 3),
        ["Log"] = new(x => x.Log(), Math.Log, 0.2, 4),
        ["Sqrt"] = new(x => x.Sqrt(), Math.Sqrt, 0.2, 4),
        ["Abs"] = new(x => x.Abs(), Math.Abs, -2, 2, AwayFromZero: true),
        ["Square"] = new(x => x.Square(), v => v * v, -2, 2),
        ["Reciprocal"] = new(x => x.Reciprocal(), v => 1 / v, 0.5, 2),
        ["Sin"] = new(x => x.Sin(), Math.Sin, -4, 4),
        ["Cos"] = new(x => x.Cos(), Math.Cos, -4, 4),
        ["Tanh"] = new(x => x.Tanh(), Math.Tanh, -3, 3),
        ["Sigmoid"] = new(x => x.Sigmoid(), v => 1 / (1 + Math.Exp(-v)), -5, 5),
        ["Erf"] = new(x => x.Erf(), SpecialFunctions.Erf, -2.5, 2.5),
        ["Pow2.5"] = new(x => x.Pow(2.5), v => Math.Pow(v, 2.5), 0.2, 3),
        ["Pow-1"] = new(x => x.Pow(-1.0), v => 1 / v, 0.5, 2),
        ["Pow3"] = new(x => x.Pow(3.0), v => v * v * v, -2, 2),
        ["Clamp"] = new(x => x.Clamp(-0.5, 0.7), v => Math.Min(Math.Max(v, -0.5), 0.7), -2, 2, AwayFromZero: true),
        ["ClampMin"] = new(x => x.Clamp(min: 0.3), v => Math.Max(v, 0.3), -2, 2, AwayFromZero: true),
        ["ClampMax"] = new(x => x.Clamp(max: -0.3), v => Math.Min(v, -0.3), -2, 2, AwayFromZero: true),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    /// <summary>Uniform inputs in the case's range; with AwayFromZero, values within 0.05 of a kink (0 or a clamp
    /// bound) are pushed off it so finite differences never straddle one.</summary>
    private static Tensor Input(Case c, ulong seed, DType dtype, params int[] shape)
    {
        var t = Tensor.Rand(shape, c.Low, c.High, DType.Float64, new Generator(seed));
        var v = t.AsSpan<double>();
        if (c.AwayFromZero)
            for (int i = 0; i < v.Length; i++)
                foreach (double kink in new[] { 0, -0.5, 0.7, 0.3, -0.3 })
                    if (Math.Abs(v[i] - kink) < 0.05) v[i] = kink + 0.1;
        return dtype == DType.Float64 ? t : t.To(dtype);
    }

    [Theory, MemberData(nameof(Names))]
    public void Forward_matches_the_scalar_formula_in_float64_and_float32(string name)
    {
        var c = Cases[name];
        var x = Input(c, 1, DType.Float64, 4, 37);
        var want = x.ToArray<double>().Select(c.Reference).ToArray();
        TestUtil.AssertClose(want, c.Op(x), 1e-13);
        var y32 = c.Op(x.To(DType.Float32));
        Assert.Equal(DType.Float32, y32.DType);
        TestUtil.AssertClose(want, y32, 2e-6);
    }

    [Theory, MemberData(nameof(Names))]
    public void Gradcheck_float64(string name)
    {
        var c = Cases[name];
        TestUtil.AssertGrad(t => c.Op(t[0]), Input(c, 2, DType.Float64, 3, 5).RequiresGrad_());
    }

    [Theory, MemberData(nameof(Names))]
    public void Transposed_inputs_give_the_same_values_and_gradients(string name)
    {
        var c = Cases[name];
        var x = Input(c, 3, DType.Float64, 6, 9);
        var xt = x.T;   // 9×6 view with strides (1, 9)
        Assert.False(xt.IsContiguous);
        Assert.Equal(c.Op(xt.Contiguous()).ToArray<double>(), c.Op(xt).ToArray<double>());
        TestUtil.AssertGrad(t => c.Op(t[0].T), Input(c, 4, DType.Float64, 4, 3).RequiresGrad_());
    }

    [Theory, MemberData(nameof(Names))]
    public void Int32_input_is_a_typed_error_naming_the_op(string name)
    {
        var e = Assert.Throws<DTypeMismatchException>(() => Cases[name].Op(Tensor.Zeros([3], DType.Int32)));
        Assert.Contains(name.StartsWith("Clamp") ? "Clamp" : name.StartsWith("Pow") ? "Pow" : name, e.Message);
        Assert.Contains("int32", e.Message);
    }

    [Fact]
    public void Special_points_follow_pytorch()
    {
        // Hand values: log 0 = −∞, √0 = 0, |−0| = 0, x⁰ = 1 (also at 0), 1/0 = ∞.
        var x = Tensor.FromArray([0.0, 4.0]);
        Assert.Equal([double.NegativeInfinity, Math.Log(4)], x.Log().ToArray<double>());
        Assert.Equal([0.0, 2.0], x.Sqrt().ToArray<double>());
        Assert.Equal([1.0, 1.0], x.Pow(0.0).ToArray<double>());
        Assert.Equal([double.PositiveInfinity, 0.25], x.Reciprocal().ToArray<double>());
        // d|x|/dx at 0 is 0, and d(x⁰)/dx is 0 everywhere (PyTorch: abs grad [−1, 0, 1]; pow(x, 0) grad [0, 0]).
        var v = Tensor.FromArray([-2.0, 0.0, 3.0]).RequiresGrad_();
        v.Abs().Sum().Backward();
        Assert.Equal([-1.0, 0.0, 1.0], v.Grad!.ToArray<double>());
        var w = Tensor.FromArray([0.0, 2.0]).RequiresGrad_();
        w.Pow(0.0).Sum().Backward();
        Assert.Equal([0.0, 0.0], w.Grad!.ToArray<double>());
    }

    [Fact]
    public void Clamp_gradient_passes_at_the_bounds_and_hi_wins_when_bounds_cross()
    {
        // PyTorch: torch.clamp(x, -1.5, 2.5) with x = [-3, -1.5, 0, 2.5, 30] has grad [0, 1, 1, 1, 0].
        var x = Tensor.FromArray([-3.0, -1.5, 0.0, 2.5, 30.0]).RequiresGrad_();
        x.Clamp(-1.5, 2.5).Sum().Backward();
        Assert.Equal([0.0, 1.0, 1.0, 1.0, 0.0], x.Grad!.ToArray<double>());
        Assert.Equal([1.0, 1.0], Tensor.FromArray([0.0, 5.0]).Clamp(3, 1).ToArray<double>());
        var e = Assert.Throws<ArgumentException>(() => x.Clamp());
        Assert.Contains("Clamp", e.Message);
    }

    [Fact]
    public void Saved_outputs_feed_backward_and_reuse_accumulates()
    {
        // exp, sigmoid, tanh, sqrt and reciprocal differentiate from their outputs; x is used twice.
        TestUtil.AssertGrad(t => t[0].Exp() * t[0].Sigmoid() + t[0].Tanh() * t[0].Sqrt() - t[0].Reciprocal(), TestUtil.UniformD(5, 0.3, 2, 2, 7));
    }

    [Fact]
    public void No_grad_records_nothing()
    {
        var x = TestUtil.RandD(6, 3);
        using (GradMode.NoGrad())
        {
            Assert.Null(x.Exp().GradFn);
            Assert.False(x.Sin().RequiresGrad);
        }
        Assert.Equal("ExpBackward", x.Exp().GradFn!.Name);
    }
}
