namespace Nabla.Tests;

/// <summary>Shared helpers: random float64 inputs, gradient-check assertions, approximate comparisons.</summary>
public static class TestUtil
{
    /// <summary>A float64 tensor of normal samples (seeded), requiring grad.</summary>
    public static Tensor RandD(ulong seed, params int[] shape) =>
        Tensor.Randn(shape, dtype: DType.Float64, generator: new Generator(seed)).RequiresGrad_();

    /// <summary>A float64 tensor of uniform samples in [low, high), requiring grad.</summary>
    public static Tensor UniformD(ulong seed, double low, double high, params int[] shape) =>
        Tensor.Rand(shape, low, high, DType.Float64, new Generator(seed)).RequiresGrad_();

    /// <summary>Asserts that <paramref name="f"/>'s analytic gradients match finite differences.</summary>
    public static void AssertGrad(Func<Tensor[], Tensor> f, params Tensor[] inputs) => AssertGrad(f, null, inputs);

    public static void AssertGrad(Func<Tensor[], Tensor> f, GradCheckOptions? options, params Tensor[] inputs)
    {
        var r = GradCheck.Check(f, inputs, options);
        Assert.True(r.Passed, r.ToString());
    }

    public static void AssertClose(double[] expected, Tensor actual, double tol = 1e-5)
    {
        var a = actual.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, actual {a[i]}");
    }

    public static void AssertShape(Tensor t, params int[] shape) =>
        Assert.True(t.Shape.SequenceEqual(shape), $"shape {ShapeUtil.Format(t.Shape)} != {ShapeUtil.Format(shape)}");
}
