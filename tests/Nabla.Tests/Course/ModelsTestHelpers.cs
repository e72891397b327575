using Nabla.Course;
using Xunit.Abstractions;

namespace Nabla.Tests.Course;

/// <summary>Checks shared by the model tests: every parameter's gradient from <c>Loss</c> against central finite
/// differences of the same <c>Loss</c> (float64), and float32 runs against float64 ones with the same weights.</summary>
public static class ModelsTestHelpers
{
    /// <summary>Asserts RelError(finite differences, Loss gradient) ≤ <paramref name="tol"/> for every parameter, except
    /// those in <paramref name="zeroGradient"/>: biases right before a batch norm, whose gradient is exactly 0 (the
    /// batch mean absorbs them), so only |gradient| and |finite difference| ≤ 1e-9 is meaningful there.</summary>
    public static double CheckGradients(ILossModel model, Tensor x, Tensor y, double tol, ITestOutputHelper log, string tag,
        double h = 1e-5, params string[] zeroGradient)
    {
        var (_, grads) = model.Loss(x, y);
        Assert.Equal(model.Params.Keys.OrderBy(k => k), grads.Keys.OrderBy(k => k));
        double worst = 0;
        foreach (var (name, p) in model.Params)
        {
            Assert.Equal(p.Shape.ToArray(), grads[name].Shape.ToArray());
            Assert.Equal(p.DType, grads[name].DType);
            var fd = NumericGradient.Eval(() => model.Loss(x, y).Loss, p, h);
            if (zeroGradient.Contains(name))
            {
                Assert.All(grads[name].ToDoubleArray(), v => Assert.True(Math.Abs(v) <= 1e-12, $"{tag} {name}: gradient {v} should be 0"));
                Assert.All(fd.ToDoubleArray(), v => Assert.True(Math.Abs(v) <= 1e-9, $"{tag} {name}: finite difference {v} should be ~0"));
                log.WriteLine($"{tag} {name}: zero gradient (batch norm follows), max |finite difference| {fd.ToDoubleArray().Max(Math.Abs):E1}");
                continue;
            }
            double e = NumericGradient.RelError(fd, grads[name]);
            log.WriteLine($"{tag} {name}: rel error {e:E2}");
            Assert.True(e <= tol, $"{tag} {name}: relative error {e:E3} > {tol:E1}");
            worst = Math.Max(worst, e);
        }
        return worst;
    }

    /// <summary>Copies float64 parameters into a float32 model of the same architecture, runs both, and compares
    /// scores, loss and gradients (float32 has ~7 significant digits).</summary>
    public static void Float32MatchesFloat64(ILossModel m64, ILossModel m32, Tensor x, Tensor y)
    {
        foreach (var (name, p) in m64.Params) m32.Params[name].CopyFrom_(p.To(DType.Float32));
        var s32 = m32.Scores(x.To(DType.Float32));
        Assert.Equal(DType.Float32, s32.DType);
        var s64 = m64.Scores(x);
        LayersTestHelpers.AssertValues(s64.ToDoubleArray(), s32, 1e-4, "float32 scores");
        var (l32, g32) = m32.Loss(x.To(DType.Float32), y);
        var (l64, g64) = m64.Loss(x, y);
        Assert.True(double.IsFinite(l32));
        Assert.True(Math.Abs(l32 - l64) <= 1e-4 * Math.Max(1, Math.Abs(l64)), $"float32 loss {l32} vs float64 {l64}");
        foreach (var (name, g) in g64)
        {
            Assert.Equal(DType.Float32, g32[name].DType);
            var a = g.ToDoubleArray(); var b = g32[name].ToDoubleArray();
            double scale = a.Max(Math.Abs);
            for (int i = 0; i < a.Length; i++)
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-3 * scale + 1e-6, $"float32 gradient {name}[{i}]: {b[i]} vs float64 {a[i]}");
        }
    }

    public static double SumSquares(Tensor t) => t.ToDoubleArray().Sum(v => v * v);
}
