using System.Globalization;

namespace Nabla.Labs;

/// <summary>Steps and step sizes of the optimizer-descent lab.</summary>
public sealed record OptimizerDescentSettings
{
    [Setting("steps of the two runs from x0 = 0", Min = 1, Max = 100_000)] public int StepsFromZero { get; init; } = 20;
    [Setting("steps of the two runs from the far start (the flat region takes hundreds)", Min = 1, Max = 100_000)] public int StepsFromFar { get; init; }
    [Setting("the far start x0 (left of the minimiser, where f is almost flat)", Min = -50, Max = -0.8)] public double FarStart { get; init; } = -3;
    [Setting("the small step size η (GD from 0, GD and momentum from the far start)", Min = 0, Max = 10)] public double SmallEta { get; init; } = 0.1;
    [Setting("the large step size η of the second GD run from 0", Min = 0, Max = 10)] public double LargeEta { get; init; } = 1;
    [Setting("momentum's averaging weight β", Min = 0, Max = 0.999999)] public double Beta { get; init; } = 0.9;
}

/// <summary>Every iterate of the four runs, the minimiser and the largest autograd-vs-closed-form gradient difference.
/// The runs are, in order: GD from 0 with the small η, GD from 0 with the large η, momentum from the far start, GD from
/// the far start. <see cref="Adaptive"/> is Workbook Q10a: GD, AdaGrad and Adam from the far start with the small η.</summary>
public sealed record OptimizerDescentResult(double Minimiser, IReadOnlyList<OptimizerDescentLab.Trace> Traces, double MaxGradError,
    IReadOnlyList<AdaptiveTrace> Adaptive);

/// <summary>
/// Gradient descent and momentum on the one-dimensional f(x) = GELU(x) ≈ x·σ(1.702x), with the gradient from Nabla's
/// autograd (x.Gelu("sigmoid")) checked against the closed form f'(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x)).
/// Momentum is the homework's exponential average: v₀ = f'(x₀), then x ← x − ηv, v ← βv + (1 − β)f'(x). Workbook Q10a
/// adds GD, AdaGrad and Adam (the library's optimizers) side by side from the far start, same η and steps.
/// </summary>
public sealed partial class OptimizerDescentLab : Lab<OptimizerDescentSettings, OptimizerDescentResult>
{
    public const double Slope = 1.702;

    /// <summary>A descent run: its label, start, step size, β (NaN for plain gradient descent).</summary>
    public sealed record DescentRun(string Label, double X0, double Eta, double Beta = double.NaN)
    {
        public bool IsMomentum => !double.IsNaN(Beta);
    }

    /// <summary>The iterates x₀..x_T with f(x_t) and f'(x_t) (autograd) at each.</summary>
    public sealed record Trace(DescentRun Run, double[] X, double[] F, double[] Grad);

    public override string Name => "optimizer-descent";
    public override string Description => "gradient descent and momentum on GELU(x) ≈ x·σ(1.702x) with autograd gradients; GD vs AdaGrad vs Adam (Workbook Q10a)";
    public override string Title => "Gradient descent and momentum on GELU";

    public override OptimizerDescentSettings Quick => new() { StepsFromFar = 100 };
    public override OptimizerDescentSettings Full => new() { StepsFromFar = 600 };

    /// <summary>The four runs of the lab, in the order of <see cref="OptimizerDescentResult.Traces"/>.</summary>
    public static DescentRun[] Runs(OptimizerDescentSettings s)
    {
        string x0 = Num(s.FarStart).Replace("-", "−"), small = Num(s.SmallEta), large = Num(s.LargeEta);
        return
        [
            new($"GD, x0 = 0, η = {small}", 0, s.SmallEta),
            new($"GD, x0 = 0, η = {large}", 0, s.LargeEta),
            new($"momentum, x0 = {x0}, η = {small}, β = {Num(s.Beta)}", s.FarStart, s.SmallEta, s.Beta),
            new($"GD, x0 = {x0}, η = {small}", s.FarStart, s.SmallEta),
        ];
    }

    public override OptimizerDescentResult Experiment(OptimizerDescentSettings s, LabKit kit)
    {
        double xMin = Minimiser();
        var traces = Runs(s).Select(r => Descend(r, r.X0 == 0 ? s.StepsFromZero : s.StepsFromFar)).ToList();
        foreach (var t in traces)
        {
            int near = FirstNear(t.X, xMin, 1e-3);
            kit.Out.WriteLine($"  {t.Run.Label}: x_{t.X.Length - 1} = {t.X[^1]:0.000000}, f = {t.F[^1]:0.000000}, |x − x*| < 1e-3 from step {(near >= 0 ? near : "–")}");
        }
        double maxErr = traces.SelectMany(t => t.X.Select((x, i) => Math.Abs(t.Grad[i] - ClosedFormGrad(x)))).Max();
        var adaptive = CompareAdaptive(s.FarStart, s.SmallEta, s.StepsFromFar);
        foreach (var a in adaptive)
            kit.Out.WriteLine($"  Q10a {a.Name}, x0 = {s.FarStart}, η = {s.SmallEta}: x_{a.Steps.Count} = {a.Steps[^1].X:0.000000}");
        return new OptimizerDescentResult(xMin, traces, maxErr, adaptive);
    }

    /// <summary>Runs <paramref name="s"/> for <paramref name="steps"/> steps with autograd gradients.</summary>
    public static Trace Descend(DescentRun s, int steps)
    {
        var x = new double[steps + 1];
        var f = new double[steps + 1];
        var g = new double[steps + 1];
        x[0] = s.X0;
        (f[0], g[0]) = Evaluate(x[0]);
        double v = g[0];                                   // v₀ = f'(x₀)
        for (int t = 1; t <= steps; t++)
        {
            x[t] = x[t - 1] - s.Eta * (s.IsMomentum ? v : g[t - 1]);
            (f[t], g[t]) = Evaluate(x[t]);
            if (s.IsMomentum) v = s.Beta * v + (1 - s.Beta) * g[t];
        }
        return new Trace(s, x, f, g);
    }

    /// <summary>f(x) and f'(x) through Nabla: a float64 leaf, Gelu("sigmoid"), Backward.</summary>
    public static (double F, double Grad) Evaluate(double x)
    {
        var xt = Tensor.Scalar(x, DType.Float64).RequiresGrad_();
        var y = xt.Gelu(GeluApproximation.Sigmoid);
        y.Backward();
        return (y.Item(), xt.Grad!.Item());
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static double F(double x) => x * Sigmoid(Slope * x);

    /// <summary>f'(x) = σ(ax) + ax·σ(ax)(1 − σ(ax)), a = 1.702.</summary>
    public static double ClosedFormGrad(double x)
    {
        double s = Sigmoid(Slope * x);
        return s + Slope * x * s * (1 - s);
    }

    /// <summary>f''(x) = aσ(1 − σ)(2 + ax(1 − 2σ)), σ = σ(ax).</summary>
    public static double SecondDerivative(double x)
    {
        double s = Sigmoid(Slope * x);
        return Slope * s * (1 - s) * (2 + Slope * x * (1 - 2 * s));
    }

    /// <summary>The root of f' in [−2, 0] by bisection (f'(−2) &lt; 0 &lt; f'(0)).</summary>
    public static double Minimiser()
    {
        double lo = -2, hi = 0;
        for (int i = 0; i < 100; i++)
        {
            double mid = (lo + hi) / 2;
            if (ClosedFormGrad(mid) < 0) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /// <summary>The first step whose iterate is within <paramref name="tol"/> of <paramref name="target"/> (−1 if none).</summary>
    public static int FirstNear(double[] x, double target, double tol)
    {
        for (int i = 0; i < x.Length; i++)
            if (Math.Abs(x[i] - target) < tol) return i;
        return -1;
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
