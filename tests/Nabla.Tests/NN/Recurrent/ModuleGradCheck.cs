using Nabla.NN;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>Central finite differences over every element of every parameter of a float64 module, against the
/// gradients autograd leaves in <c>.Grad</c> (GradCheck perturbs private copies of its inputs, so it cannot reach
/// parameters a module holds).</summary>
internal static class ModuleGradCheck
{
    /// <summary>Checks ∂(Σ f()·v)/∂θ for a fixed random v, every θ of <paramref name="module"/>.</summary>
    public static void AssertParameterGrads(Module module, Func<Tensor> f, double eps = 1e-6, double atol = 1e-7, double rtol = 1e-5)
    {
        var ps = module.Parameters().ToArray();
        Assert.All(ps, p => Assert.Equal(DType.Float64, p.DType));
        foreach (var p in ps) p.Grad = null;
        var y = f();
        var v = Tensor.Randn(y.Shape.ToArray(), dtype: DType.Float64, generator: new Generator(99));
        (y * v).Sum().Backward();
        using var _ = GradMode.NoGrad();
        double Loss() => (f() * v).Sum().Item();
        for (int k = 0; k < ps.Length; k++)
        {
            var analytic = ps[k].Grad!.ToDoubleArray();
            for (int j = 0; j < ps[k].Numel; j++)
            {
                var data = ps[k].AsSpan<double>();
                double saved = data[j];
                data[j] = saved + eps;
                double fp = Loss();
                ps[k].AsSpan<double>()[j] = saved - eps;
                double fm = Loss();
                ps[k].AsSpan<double>()[j] = saved;
                double numeric = (fp - fm) / (2 * eps);
                Assert.True(Math.Abs(analytic[j] - numeric) <= atol + rtol * Math.Abs(numeric),
                    $"parameter {k} ({ShapeUtil.Format(ps[k].Shape)}) element {j}: analytic {analytic[j]}, numeric {numeric}");
            }
        }
    }
}
