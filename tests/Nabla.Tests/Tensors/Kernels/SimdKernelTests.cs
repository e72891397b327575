using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>Every hand-written vector kernel against its scalar twin, for lengths 0 to past three Vector512
/// widths and 1000, at every vector width this machine runs (512, 256, 128 bits, forced through the width
/// parameter) and through the public dispatcher.</summary>
public class SimdKernelTests
{
    private static IEnumerable<int> Lengths<T>() => Enumerable.Range(0, 3 * Vector512<T>.Count + 6).Append(1000);

    /// <summary>Normal samples scaled to ±8, with exact zeros, kink points and saturating values mixed in.</summary>
    private static T[] Inputs<T>(int n, ulong seed) where T : IFloatingPointIeee754<T>
    {
        var g = new Generator(seed);
        var x = new T[n];
        T[] specials = [T.Zero, T.One, -T.One, T.CreateTruncating(30), T.CreateTruncating(-30), T.CreateTruncating(1e-3)];
        for (int i = 0; i < n; i++) x[i] = i % 7 == 3 ? specials[i % specials.Length] : T.CreateTruncating(4 * g.NextGaussian());
        return x;
    }

    private static void AssertNear<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double rel, string what) where T : IFloatingPointIeee754<T>
    {
        // Relative tolerance plus about one ulp of 1: vector exp/log may differ from the scalar ones by an ulp, and
        // formulas such as α(eˣ − 1) or σ + kxσ(1 − σ) turn that into an absolute, not relative, difference.
        double abs = typeof(T) == typeof(float) ? 2e-7 : 1e-15;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), a = double.CreateTruncating(actual[i]);
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            Assert.True(e == a || Math.Abs(e - a) <= rel * Math.Abs(e) + abs,
                $"{what}, n = {expected.Length}, element {i}: scalar {e:R}, vector {a:R}");
        }
    }

    private static double Tol<T>() => typeof(T) == typeof(float) ? 2e-6 : 1e-13;

    private static void Unary<T, TOp>(TOp op, string name) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdUnaryOperator<T>
    {
        foreach (int n in Lengths<T>())
        {
            var x = Inputs<T>(n, (ulong)n + 1);
            var want = new T[n];
            SimdUnary.ApplyScalar(op, x, want);
            var got = new T[n];
            foreach (var w in Vec.Supported<T>())
            {
                Array.Clear(got);
                SimdUnary.Apply(op, x, got, w);
                AssertNear<T>(want, got, Tol<T>(), $"{name} {w}");
            }
            SimdUnary.Apply(op, x, got);
            AssertNear<T>(want, got, Tol<T>(), name);
            var inPlace = (T[])x.Clone();
            SimdUnary.Apply(op, inPlace, inPlace);
            Assert.Equal(got, inPlace);
        }
    }

    private static void Binary<T, TOp>(TOp op, string name) where T : IFloatingPointIeee754<T> where TOp : struct, ISimdBinaryOperator<T>
    {
        foreach (int n in Lengths<T>())
        {
            var x = Inputs<T>(n, (ulong)n + 100);
            var y = Inputs<T>(n, (ulong)n + 200);
            if (n > 2) y[1] = x[1];   // a tie, for comparisons
            var want = new T[n];
            var got = new T[n];
            SimdBinary.ApplyScalar(op, x, y, want);
            foreach (var w in Vec.Supported<T>())
            {
                Array.Clear(got);
                SimdBinary.Apply(op, x, y, got, w);
                AssertNear<T>(want, got, Tol<T>(), $"{name} {w}");
            }
            SimdBinary.Apply(op, x, y, got);
            AssertNear<T>(want, got, Tol<T>(), name);

            T s = n > 0 ? x[0] : T.One;   // span∘scalar and scalar∘span
            SimdBinary.ApplyScalar(op, x, s, want);
            SimdBinary.Apply(op, x, s, got);
            AssertNear<T>(want, got, Tol<T>(), name + " span∘scalar");
            foreach (var w in Vec.Supported<T>())
            {
                Array.Clear(got);
                SimdBinary.Apply(op, x, s, got, w);
                AssertNear<T>(want, got, Tol<T>(), $"{name} span∘scalar {w}");
            }
            for (int i = 0; i < n; i++) want[i] = op.Invoke(s, x[i]);
            SimdBinary.Apply(op, s, x, got);
            AssertNear<T>(want, got, Tol<T>(), name + " scalar∘span");
            foreach (var w in Vec.Supported<T>())
            {
                Array.Clear(got);
                SimdBinary.Apply(op, s, x, got, w);
                AssertNear<T>(want, got, Tol<T>(), $"{name} scalar∘span {w}");
            }
        }
    }

    private static void AllUnary<T>() where T : IFloatingPointIeee754<T>
    {
        Unary<T, ReluOperator<T>>(new(), "Relu");
        Unary<T, LeakyReluOperator<T>>(new(T.CreateTruncating(0.2)), "LeakyRelu");
        Unary<T, EluOperator<T>>(new(T.CreateTruncating(0.7)), "Elu");
        Unary<T, SoftplusOperator<T>>(new(T.One, T.CreateTruncating(20)), "Softplus");
        Unary<T, SoftplusOperator<T>>(new(T.CreateTruncating(2), T.CreateTruncating(5)), "Softplus β=2 t=5");
        Unary<T, GeluSigmoidOperator<T>>(new(), "GeluSigmoid");
        Unary<T, GeluTanhOperator<T>>(new(), "GeluTanh");
        Unary<T, ClampOperator<T>>(new(-T.One, T.CreateTruncating(2)), "Clamp");
        Unary<T, ClampOperator<T>>(new(T.CreateTruncating(3), T.One), "Clamp lo > hi");
    }

    private static void AllBinary<T>() where T : IFloatingPointIeee754<T>
    {
        Binary<T, ReluBackwardOperator<T>>(new(), "ReluBackward");
        Binary<T, LeakyReluBackwardOperator<T>>(new(T.CreateTruncating(0.2)), "LeakyReluBackward");
        Binary<T, EluBackwardOperator<T>>(new(T.CreateTruncating(0.7)), "EluBackward");
        Binary<T, SoftplusBackwardOperator<T>>(new(T.CreateTruncating(2), T.CreateTruncating(5)), "SoftplusBackward");
        Binary<T, SigmoidBackwardOperator<T>>(new(), "SigmoidBackward");
        Binary<T, TanhBackwardOperator<T>>(new(), "TanhBackward");
        Binary<T, AbsBackwardOperator<T>>(new(), "AbsBackward");
        Binary<T, ClampBackwardOperator<T>>(new(-T.One, T.CreateTruncating(2)), "ClampBackward");
        Binary<T, GeluSigmoidBackwardOperator<T>>(new(), "GeluSigmoidBackward");
        Binary<T, GeluTanhBackwardOperator<T>>(new(), "GeluTanhBackward");
        Binary<T, EqualOperator<T>>(new(), "Eq");
        Binary<T, NotEqualOperator<T>>(new(), "Ne");
        Binary<T, GreaterThanOperator<T>>(new(), "Gt");
        Binary<T, GreaterThanOrEqualOperator<T>>(new(), "Ge");
        Binary<T, LessThanOperator<T>>(new(), "Lt");
        Binary<T, LessThanOrEqualOperator<T>>(new(), "Le");
    }

    [Fact] public void Unary_activation_kernels_match_scalar_float32() => AllUnary<float>();
    [Fact] public void Unary_activation_kernels_match_scalar_float64() => AllUnary<double>();
    [Fact] public void Binary_backward_and_comparison_kernels_match_scalar_float32() => AllBinary<float>();
    [Fact] public void Binary_backward_and_comparison_kernels_match_scalar_float64() => AllBinary<double>();

    [Fact]
    public void Erf_and_exact_gelu_kernels_match_scalar()
    {
        Unary<float, ErfOperator>(new(), "Erf");
        Unary<float, GeluErfOperator>(new(), "GeluErf");
        Binary<float, GeluErfBackwardOperator>(new(), "GeluErfBackward f32");
        Binary<double, GeluErfBackwardOperator>(new(), "GeluErfBackward f64");
    }

    [Fact]
    public void Comparisons_yield_exact_ones_and_zeros_with_ieee_nan_rules()
    {
        float[] x = [1, 2, float.NaN, 3, 0, -0f, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        float[] y = [2, 2, float.NaN, 1, -0f, 0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0];
        var d = new float[x.Length];
        SimdBinary.Apply(new GreaterThanOperator<float>(), x, y, d);
        Assert.Equal([0f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], d);
        SimdBinary.Apply(new EqualOperator<float>(), x, y, d);
        Assert.Equal([0f, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], d);
        SimdBinary.Apply(new NotEqualOperator<float>(), x, y, d);
        Assert.Equal([1f, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], d);
    }

    [Fact]
    public void Relu_propagates_nan_and_softplus_stays_finite_far_out()
    {
        double[] x = [double.NaN, -800, 800, -40, 1e-300];
        var d = new double[x.Length];
        SimdUnary.Apply(new ReluOperator<double>(), x, d);
        Assert.True(double.IsNaN(d[0]));
        SimdUnary.Apply(new SoftplusOperator<double>(1, 1000), x, d);   // threshold out of the way: the stable form alone
        Assert.Equal(0.0, d[1]);                         // e^−800 underflows
        Assert.Equal(800.0, d[2]);                       // no overflow
        Assert.Equal(Math.Exp(-40), d[3], 1e-30);        // log1p keeps the digits of e^−40 ≈ 4.2e−18
        Assert.Equal(Math.Log(2), d[4], 1e-15);
    }

    [Fact]
    public void Unary_driver_handles_strided_and_broadcast_layouts()
    {
        // A 3×5 view with strides (1, 3) over 15 values (a transpose) and a stride-0 broadcast row.
        var src = Inputs<double>(15, 9);
        var dst = new double[15];
        UnaryDriver.Run(new ExpOperator<double>(), src, 0, [1, 3], dst, [3, 5]);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
                Assert.Equal(Math.Exp(src[i + 3 * j]), dst[i * 5 + j], 1e-15 * Math.Max(1, dst[i * 5 + j]));
        UnaryDriver.Run(new SquareOperator<double>(), src, 2, [0, 1], dst, [3, 5]);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
                Assert.Equal(src[2 + j] * src[2 + j], dst[i * 5 + j]);
    }
}
