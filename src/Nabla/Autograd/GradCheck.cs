using System.Globalization;
using System.Text;

namespace Nabla;

/// <summary>Tolerances and step of <see cref="GradCheck"/>. A gradient element passes when
/// |analytic − numeric| ≤ Atol + Rtol·|numeric|.</summary>
public sealed record GradCheckOptions(double Eps = 1e-6, double Atol = 1e-5, double Rtol = 1e-3, ulong Seed = 1234)
{
    public static GradCheckOptions Default { get; } = new();
}

/// <summary>Errors for one input: the largest absolute and relative differences and where the worst one sits.</summary>
public sealed record GradCheckInputResult(int Input, double MaxAbsError, double MaxRelError, int WorstIndex, double Analytic, double Numeric, bool Passed);

public sealed record GradCheckResult(IReadOnlyList<GradCheckInputResult> Inputs)
{
    public bool Passed => Inputs.All(r => r.Passed);

    public override string ToString()
    {
        var sb = new StringBuilder(Passed ? "gradcheck passed" : "gradcheck FAILED");
        foreach (var r in Inputs)
            sb.Append(CultureInfo.InvariantCulture,
                $"\n  input {r.Input}: max abs err {r.MaxAbsError:E3}, max rel err {r.MaxRelError:E3}, worst at element {r.WorstIndex} (analytic {r.Analytic:G6}, numeric {r.Numeric:G6}){(r.Passed ? "" : "  <-- FAIL")}");
        return sb.ToString();
    }
}

public sealed class GradCheckException(GradCheckResult result) : NablaException(result.ToString())
{
    public GradCheckResult Result { get; } = result;
}

/// <summary>
/// Compares the analytic gradients from <see cref="Engine.Backward"/> with central finite differences
/// (f(x+ε) − f(x−ε)) / 2ε in float64, for every element of every input that requires grad. The output is reduced
/// with a random upstream gradient v (L = Σ f(x)·v), so every output element is checked, not only their sum.
/// </summary>
public static class GradCheck
{
    public static GradCheckResult Check(Func<Tensor[], Tensor> f, Tensor[] inputs, GradCheckOptions? options = null)
    {
        var o = options ?? GradCheckOptions.Default;
        foreach (var t in inputs)
            if (t.RequiresGrad && t.DType != DType.Float64)
                throw new NablaException($"GradCheck: inputs that require grad must be float64, got {t.DType.Name()} of shape {ShapeUtil.Format(t.Shape)}");

        // Private copies so the caller's tensors are never perturbed.
        var xs = inputs.Select(t => t.DType.IsFloatingPoint() ? t.Detach().Clone_Raw().RequiresGrad_(t.RequiresGrad) : t).ToArray();

        var y = f(xs);
        if (!y.RequiresGrad) throw new NablaException("GradCheck: the function's output does not require grad (no input was used with RequiresGrad)");
        var v = Tensor.Randn(y.Shape.ToArray(), dtype: DType.Float64, generator: new Generator(o.Seed));
        y.Backward(v);
        var vs = v.ToArray<double>();

        var results = new List<GradCheckInputResult>();
        using var _ = GradMode.NoGrad();
        for (int i = 0; i < xs.Length; i++)
        {
            var x = xs[i];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad?.ToArray<double>() ?? new double[x.Numel];
            var data = x.AsSpan<double>().ToArray();
            double maxAbs = 0, maxRel = 0;
            int worst = 0;
            double worstA = 0, worstN = 0;
            bool ok = true;
            for (int j = 0; j < x.Numel; j++)
            {
                double saved = data[j];
                x.AsSpan<double>()[j] = saved + o.Eps;
                double fp = Dot(f(xs), vs);
                x.AsSpan<double>()[j] = saved - o.Eps;
                double fm = Dot(f(xs), vs);
                x.AsSpan<double>()[j] = saved;
                double numeric = (fp - fm) / (2 * o.Eps);
                double err = Math.Abs(analytic[j] - numeric);
                double rel = err / Math.Max(Math.Max(Math.Abs(analytic[j]), Math.Abs(numeric)), 1e-12);
                if (double.IsNaN(err)) { err = double.PositiveInfinity; rel = double.PositiveInfinity; }
                if (err > maxAbs) { maxAbs = err; worst = j; worstA = analytic[j]; worstN = numeric; }
                maxRel = Math.Max(maxRel, err == 0 ? 0 : rel);
                if (!(err <= o.Atol + o.Rtol * Math.Abs(numeric))) ok = false;
            }
            results.Add(new GradCheckInputResult(i, maxAbs, maxRel, worst, worstA, worstN, ok));
        }
        return new GradCheckResult(results);
    }

    /// <summary>Like <see cref="Check"/> but throws <see cref="GradCheckException"/> with the report on failure.</summary>
    public static GradCheckResult Assert(Func<Tensor[], Tensor> f, Tensor[] inputs, GradCheckOptions? options = null)
    {
        var r = Check(f, inputs, options);
        return r.Passed ? r : throw new GradCheckException(r);
    }

    private static double Dot(Tensor y, double[] v)
    {
        var ys = y.ToArray<double>();
        double s = 0;
        for (int i = 0; i < ys.Length; i++) s += ys[i] * v[i];
        return s;
    }
}
