using Nabla.Course;
using Xunit.Abstractions;

namespace Nabla.Tests.Course;

/// <summary>Shared pieces of the explicit-layer tests: seeded float64 data, finite-difference and autograd references,
/// and relative-error assertions that log the error they saw.</summary>
public static class LayersTestHelpers
{
    /// <summary>The bar for explicit backward vs central finite differences in float64 (the brief's 1e-7).</summary>
    public const double FdTol = 1e-7;

    /// <summary>Explicit backward vs autograd of library ops: both are exact formulas, so only round-off separates them.</summary>
    public const double AutogradTol = 1e-10;

    public static Tensor Randn(ulong seed, params int[] shape) => Tensor.Randn(shape, dtype: DType.Float64, generator: new Generator(seed));

    public static Tensor D(double[] values, params int[] shape) => Tensor.FromArray(values, shape);

    public static Tensor Labels(params int[] values) => Tensor.FromArray(values, values.Length);

    /// <summary>The gradients autograd gives for Σ f(inputs) ⊙ dout, on private float64 copies of the inputs.</summary>
    public static Tensor[] AutogradGrads(Func<Tensor[], Tensor> f, Tensor dout, params Tensor[] inputs)
    {
        var xs = inputs.Select(t => t.Clone().Detach().RequiresGrad_()).ToArray();
        var y = f(xs);
        y.Backward(dout);
        return xs.Select(x => x.Grad ?? Tensor.ZerosLike(x)).ToArray();
    }

    /// <summary>Asserts RelError(expected, actual) ≤ tol and logs it.</summary>
    public static double AssertRel(Tensor expected, Tensor actual, double tol, string what, ITestOutputHelper? log = null)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape {ShapeUtil.Format(actual.Shape)} != {ShapeUtil.Format(expected.Shape)}");
        double e = NumericGradient.RelError(expected, actual);
        log?.WriteLine($"{what}: rel error {e:E2}");
        Assert.True(e <= tol, $"{what}: relative error {e:E3} > {tol:E1}");
        return e;
    }

    public static void AssertValues(double[] expected, Tensor actual, double tol = 1e-12, string what = "")
    {
        var a = actual.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"{what} element {i}: expected {expected[i]}, got {a[i]}");
    }
}
