using System.Globalization;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// Gradient descent and momentum on the one-dimensional f(x) = GELU(x) ≈ x·σ(1.702x), with the gradient from Nabla's
/// autograd (x.Gelu("sigmoid")) checked against the closed form f'(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x)).
/// Momentum is the homework's exponential average: v₀ = f'(x₀), then x ← x − ηv, v ← βv + (1 − β)f'(x).
/// </summary>
public sealed class OptimizerDescentLab : ILab
{
    public const double Slope = 1.702;

    /// <summary>A descent run: its label, method, start, step size, β (NaN for plain gradient descent).</summary>
    public sealed record Setting(string Label, double X0, double Eta, double Beta = double.NaN)
    {
        public bool IsMomentum => !double.IsNaN(Beta);
    }

    /// <summary>The iterates x₀..x_T with f(x_t) and f'(x_t) (autograd) at each.</summary>
    public sealed record Trace(Setting Setting, double[] X, double[] F, double[] Grad);

    public static readonly Setting[] Settings =
    [
        new("GD, x0 = 0, η = 0.1", 0, 0.1),
        new("GD, x0 = 0, η = 1", 0, 1),
        new("momentum, x0 = −3, η = 0.1, β = 0.9", -3, 0.1, 0.9),
        new("GD, x0 = −3, η = 0.1", -3, 0.1),
    ];

    public string Name => "optimizer-descent";
    public string Description => "gradient descent and momentum on GELU(x) ≈ x·σ(1.702x) with autograd gradients";

    public LabResult Run(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        int shortSteps = 20;                           // iterations listed and plotted for the x0 = 0 runs
        int longSteps = ctx.Quick ? 100 : 600;         // from x0 = −3 the flat region takes hundreds of steps
        var report = new LabReport(Name, "Gradient descent and momentum on GELU");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            We minimise f(x) = x·σ({Slope}x), the sigmoid approximation of GELU(x) = x·Φ(x). The gradient at every
            iterate comes from Nabla's autograd: x is a float64 leaf tensor, y = x.Gelu("sigmoid"), y.Backward(),
            f'(x) = x.Grad. It is checked against the closed form f'(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x)).
            Gradient descent: x ← x − η·f'(x). Momentum (the exponential-average form of the homework): v₀ = f'(x₀),
            then x ← x − η·v, v ← β·v + (1 − β)·f'(x). Runs: GD from x₀ = 0 with η = 0.1 and with η = 1, momentum from
            x₀ = −3 with η = 0.1, β = 0.9, and GD from x₀ = −3 with η = 0.1 for comparison; {shortSteps} steps from 0,
            {longSteps} from −3.
            """));

        double xMin = Minimiser();
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Where the minimum is: f'(x) = σ(z)(1 + z(1 − σ(z))) with z = 1.702x vanishes where 1 + z·σ(−z) = 0, i.e.
            z ≈ {xMin * Slope:0.0000}, x* ≈ {xMin:0.000000} (bisection on the closed form), with f(x*) ≈ {F(xMin):0.000000}.
            For x → −∞ both f and f' go to 0, so far left of x* the function is almost flat.
            """));

        var traces = Settings.Select(s => Descend(s, s.X0 == 0 ? shortSteps : longSteps)).ToList();
        double maxErr = traces.SelectMany(t => t.X.Select((x, i) => Math.Abs(t.Grad[i] - ClosedFormGrad(x)))).Max();
        report.Metric("max_grad_error_vs_closed_form", maxErr);
        string agreement = maxErr == 0 ? "0: bit-identical (GeluOp's backward evaluates the same formula)"
            : maxErr.ToString("0.##e+0", CultureInfo.InvariantCulture);
        report.Paragraph($"Autograd vs closed form: the largest |difference| of f'(x) over all {traces.Sum(t => t.X.Length)} iterates is {agreement}.");

        foreach (var t in traces)
        {
            report.Heading(t.Setting.Label);
            int listed = Math.Min(20, t.X.Length - 1);
            var rows = new List<IReadOnlyList<object>>();
            for (int i = 0; i <= listed; i++) rows.Add([i, t.X[i], t.F[i], t.Grad[i]]);
            if (t.X.Length - 1 > listed)
                for (int i = 50; i < t.X.Length; i += 50) rows.Add([i, t.X[i], t.F[i], t.Grad[i]]);
            report.Table(["step t", "x_t", "f(x_t)", "f'(x_t)"], rows);
            int near = FirstNear(t.X, xMin, 1e-3);
            string key = MetricKey(t.Setting);
            report.Metric($"{key}_x_final", t.X[^1]);
            report.Metric($"{key}_steps_to_within_1e-3", near >= 0 ? near : double.NaN);
            ctx.Out.WriteLine($"  {t.Setting.Label}: x_{t.X.Length - 1} = {t.X[^1]:0.000000}, f = {t.F[^1]:0.000000}, |x − x*| < 1e-3 from step {(near >= 0 ? near : "–")}");
        }
        var first = traces[0];
        for (int i = 1; i <= 3; i++) report.Metric($"gd_x0_0_eta_0.1_x{i}", first.X[i]);
        report.Metric("minimiser", xMin);

        // Figures: x_t and f(x_t) per step; short runs and long runs separately (different time scales).
        Plot(ctx, "from_0", "from x0 = 0", traces.Take(2).ToList(), xMin, ScottPlot.Alignment.UpperRight);
        Plot(ctx, "from_-3", "from x0 = −3", traces.Skip(2).ToList(), xMin, ScottPlot.Alignment.LowerRight);
        var curve = new LineChart { Title = "f(x) = x·σ(1.702x) with the iterates", XLabel = "x", YLabel = "f(x)", Markers = true, LegendAlignment = ScottPlot.Alignment.UpperLeft };
        var grid = Enumerable.Range(0, 46).Select(i => -3.5 + 4.5 * i / 45.0).ToArray();
        curve.Add("f(x)", grid, grid.Select(F).ToArray());
        foreach (var t in traces) curve.Add(t.Setting.Label, t.X, t.F);
        curve.SavePng(ctx.PathOf("function.png"));
        report.Heading("Figures");
        report.Figure("from_0_x.png", FormattableString.Invariant($"x_t from x0 = 0: η = 0.1 creeps towards x*, η = 1 is within 10⁻³ of it after {FirstNear(traces[1].X, xMin, 1e-3)} steps."));
        report.Figure("from_0_f.png", "f(x_t) from x0 = 0.");
        report.Figure("from_-3_x.png", "x_t from x0 = −3: momentum (β = 0.9) and plain GD, η = 0.1, crossing the flat region.");
        report.Figure("from_-3_f.png", "f(x_t) from x0 = −3.");
        report.Figure("function.png", "The function (46 grid points on [−3.5, 1]) with every iterate drawn on it.");

        report.Heading("Discussion");
        report.Paragraph(Discussion(traces, xMin));
        return report.Save(ctx);
    }

    private static string Discussion(List<Trace> t, double xMin)
    {
        int Near(int k) => FirstNear(t[k].X, xMin, 1e-3);
        string S(int n) => n >= 0 ? n.ToString(CultureInfo.InvariantCulture) : "more than " + (t[0].X.Length - 1);
        double overshoot = t[2].X.Max() - xMin;
        return string.Create(CultureInfo.InvariantCulture, $"""
            From x₀ = 0 the slope is f'(0) = ½, so the first step is −η/2: x₁ = −0.05 with η = 0.1 and −0.5 with η = 1.
            With η = 0.1 the iterates creep left (x₂₀ = {t[0].X[^1]:0.0000}) because f' shrinks as x approaches the
            minimum; with η = 1 they are within 10⁻³ of x* ≈ {xMin:0.0000} after {S(Near(1))} steps and {(t[1].X.Min() >= xMin ? "never overshoot" : "overshoot once")}:
            f''(x*) ≈ {SecondDerivative(xMin):0.000}, so η·f'' ≈ {SecondDerivative(xMin):0.00} < 1 and every step
            moves x only part of the way to x* (η = 1 is still below the 2/f'' ≈ {2 / SecondDerivative(xMin):0.0} at
            which GD would diverge). From x₀ = −3 the function is almost flat (f'(−3) = {t[3].Grad[0]:0.0000}), so both
            methods move by only η·|f'| ≈ {0.1 * Math.Abs(t[3].Grad[0]):0.0000} per step at first. This momentum is an exponential average of the gradients
            with weight 1 − β: with a constant gradient v equals that gradient, so unlike heavy-ball momentum
            (v ← βv + g, steps up to 1/(1 − β) times larger) it does not speed up the flat stretch; it even lags
            slightly while |f'| grows, because v remembers the smaller gradients of the past. It is within 10⁻³ of x*
            after {S(Near(2))} steps against {S(Near(3))} for GD, because near the minimum the average carries it
            through the region where f' becomes small, at the price of a slight overshoot (max x_t − x* =
            {overshoot:0.0e+0}) before it settles.
            """);
    }

    /// <summary>Runs a setting for <paramref name="steps"/> steps with autograd gradients.</summary>
    public static Trace Descend(Setting s, int steps)
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
        var y = xt.Gelu("sigmoid");
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

    private static int FirstNear(double[] x, double target, double tol)
    {
        for (int i = 0; i < x.Length; i++)
            if (Math.Abs(x[i] - target) < tol) return i;
        return -1;
    }

    private static string MetricKey(Setting s) =>
        (s.IsMomentum ? "momentum" : "gd") + $"_x0_{(s.X0 < 0 ? "m" : "")}{Math.Abs(s.X0).ToString(CultureInfo.InvariantCulture)}_eta_{s.Eta.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Writes {stem}_x.png (x_t per step) and {stem}_f.png (f(x_t) per step) for some traces.</summary>
    private static void Plot(LabContext ctx, string stem, string title, List<Trace> traces, double xMin, ScottPlot.Alignment xLegend)
    {
        var xs = new LineChart { Title = $"x_t {title}", XLabel = "step t", YLabel = "x_t", Height = 400, LegendAlignment = xLegend };
        var fs = new LineChart { Title = $"f(x_t) {title}", XLabel = "step t", YLabel = "f(x_t)", Height = 400 };
        int n = traces.Max(t => t.X.Length);
        foreach (var t in traces)
        {
            var steps = Enumerable.Range(0, t.X.Length).Select(i => (double)i).ToArray();
            xs.Add(t.Setting.Label, steps, t.X);
            fs.Add(t.Setting.Label, steps, t.F);
        }
        xs.Add("x* (minimiser)", [0, n - 1], [xMin, xMin]);
        fs.Add("f(x*)", [0, n - 1], [F(xMin), F(xMin)]);
        xs.SavePng(ctx.PathOf(stem + "_x.png"));
        fs.SavePng(ctx.PathOf(stem + "_f.png"));
    }
}
