using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class OptimizerDescentLab
{
    public override void Report(LabReport report, OptimizerDescentSettings s, OptimizerDescentResult r)
    {
        var t = r.Traces;
        double xMin = r.Minimiser;
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            We minimise f(x) = x·σ({Slope}x), the sigmoid approximation of GELU(x) = x·Φ(x). The gradient at every
            iterate comes from Nabla's autograd: x is a float64 leaf tensor, y = x.Gelu("sigmoid"), y.Backward(),
            f'(x) = x.Grad. It is checked against the closed form f'(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x)).
            Gradient descent: x ← x − η·f'(x). Momentum (the exponential-average form of the homework): v₀ = f'(x₀),
            then x ← x − η·v, v ← β·v + (1 − β)·f'(x). Runs: {string.Join("; ", t.Select(x => x.Run.Label))};
            {s.StepsFromZero} steps from 0, {s.StepsFromFar} from {s.FarStart}.
            """));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Where the minimum is: f'(x) = σ(z)(1 + z(1 − σ(z))) with z = 1.702x vanishes where 1 + z·σ(−z) = 0, i.e.
            z ≈ {xMin * Slope:0.0000}, x* ≈ {xMin:0.000000} (bisection on the closed form), with f(x*) ≈ {F(xMin):0.000000}.
            For x → −∞ both f and f' go to 0, so far left of x* the function is almost flat.
            """));
        report.Metric("max_grad_error_vs_closed_form", r.MaxGradError);
        report.Paragraph($"Autograd vs closed form: the largest |difference| of f'(x) over all {t.Sum(x => x.X.Length)} iterates is {AgreementText(r.MaxGradError)}.");

        foreach (var tr in t)
        {
            report.Heading(tr.Run.Label);
            int listed = Math.Min(20, tr.X.Length - 1);
            var rows = new List<IReadOnlyList<object>>();
            for (int i = 0; i <= listed; i++) rows.Add([i, tr.X[i], tr.F[i], tr.Grad[i]]);
            if (tr.X.Length - 1 > listed)
                for (int i = 50; i < tr.X.Length; i += 50) rows.Add([i, tr.X[i], tr.F[i], tr.Grad[i]]);
            report.Table(["step t", "x_t", "f(x_t)", "f'(x_t)"], rows);
            int near = FirstNear(tr.X, xMin, 1e-3);
            string key = MetricKey(tr.Run);
            report.Metric($"{key}_x_final", tr.X[^1]);
            report.Metric($"{key}_steps_to_within_1e-3", near >= 0 ? near : double.NaN);
        }
        for (int i = 1; i <= Math.Min(3, t[0].X.Length - 1); i++) report.Metric($"{MetricKey(t[0].Run)}_x{i}", t[0].X[i]);
        report.Metric("minimiser", xMin);

        // Figures: x_t and f(x_t) per step; short runs and long runs separately (different time scales).
        string far = FormattableString.Invariant($"{s.FarStart}").Replace("-", "−");
        Plot(report, "from_0", "from x0 = 0", [t[0], t[1]], xMin, ScottPlot.Alignment.UpperRight);
        Plot(report, "from_-3", $"from x0 = {far}", [t[2], t[3]], xMin, ScottPlot.Alignment.LowerRight);
        var curve = new LineChart { Title = "f(x) = x·σ(1.702x) with the iterates", XLabel = "x", YLabel = "f(x)", Markers = true, LegendAlignment = ScottPlot.Alignment.UpperLeft };
        double lo = Math.Min(-3.5, s.FarStart - 0.5);
        var grid = Enumerable.Range(0, 46).Select(i => lo + (1 - lo) * i / 45.0).ToArray();
        curve.Add("f(x)", grid, grid.Select(F).ToArray());
        foreach (var tr in t) curve.Add(tr.Run.Label, tr.X, tr.F);
        curve.SavePng(report.PathOf("function.png"));
        report.Heading("Figures");
        report.Figure("from_0_x.png", $"x_t from x0 = 0 for {t[0].Run.Label} and {t[1].Run.Label}, with the minimiser x*.");
        report.Figure("from_0_f.png", "f(x_t) from x0 = 0.");
        report.Figure("from_-3_x.png", $"x_t from x0 = {far}: {t[2].Run.Label} and {t[3].Run.Label}, crossing the flat region.");
        report.Figure("from_-3_f.png", $"f(x_t) from x0 = {far}.");
        report.Figure("function.png", FormattableString.Invariant($"The function (46 grid points on [{lo}, 1]) with every iterate drawn on it."));

        report.Heading("Discussion");
        double curvature = SecondDerivative(xMin);
        report.Paragraph(string.Join(" ", new[]
        {
            ShortRunVerdict(t[0], t[1], xMin),
            CurvatureVerdict(s.LargeEta, curvature),
            string.Create(CultureInfo.InvariantCulture,
                $"From x₀ = {far} the function is almost flat (f'({far}) = {t[3].Grad[0]:0.0000}), so both methods move by only η·|f'| ≈ {s.SmallEta * Math.Abs(t[3].Grad[0]):0.0000} per step at first."),
            "This momentum is an exponential average of the gradients with weight 1 − β: with a constant gradient v equals that gradient, so " +
            "unlike heavy-ball momentum (v ← βv + g, steps up to 1/(1 − β) times larger) it does not speed up the flat stretch.",
            LagVerdict(t[2], t[3]),
            FarVerdict(FirstNear(t[2].X, xMin, 1e-3), FirstNear(t[3].X, xMin, 1e-3), t[2].X.Max() - xMin, s.StepsFromFar),
        }));
        ReportAdaptive(report, s, r);
    }

    private static void ReportAdaptive(LabReport report, OptimizerDescentSettings s, OptimizerDescentResult r)
    {
        var a = r.Adaptive;
        string far = FormattableString.Invariant($"{s.FarStart}").Replace("-", "−");
        report.Heading("Workbook Q10a: GD, AdaGrad and Adam on the same problem");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            The same f, the same start x₀ = {far}, the same η = {s.SmallEta} and the same {s.StepsFromFar} steps for three of the
            library's optimizers on a float64 scalar parameter (gradients from autograd): `Sgd` (GD: x ← x − η·g),
            `AdaGrad` (s ← s + g², x ← x − η·g/(√s + ε), ε = {LabReport.Format(AdaGradEps)}) and `Adam`
            (m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), x ← x − η·m̂/(√v̂ + ε), β₁ = {AdamBeta1},
            β₂ = {AdamBeta2}, ε = {LabReport.Format(AdamEps)}). The fundamental difference: GD's step is proportional to the gradient;
            AdaGrad divides it by the root of the *sum* of all past squared gradients (per coordinate), so its rate adapts to the
            gradient's scale and then only decays; Adam divides a *moving average* of the gradient (momentum, m) by the root of a
            moving average of its square (v), both bias-corrected, so its step is about η whatever the gradient's scale and does not decay.
            """));
        var marks = new[] { 1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 400, 500, 600, 1000 }.Where(k => k <= s.StepsFromFar).Append(s.StepsFromFar).Distinct().ToList();
        report.Table(["step t", .. a.Select(x => $"x_t {x.Name}"), .. a.Select(x => $"distance to x* ({x.Name})")],
            marks.Select(k => (IReadOnlyList<object>)[k, .. a.Select(x => (object)x.X[k]), .. a.Select(x => (object)Math.Abs(x.X[k] - r.Minimiser))]));
        var adam = a.Single(x => x.Name == "Adam");
        var ada = a.Single(x => x.Name == "AdaGrad");
        report.Paragraph("Adam's moment estimates and AdaGrad's accumulator over the first steps (g_t = f'(x_{t−1})):");
        report.Table(["t", "g_t", "Adam m_t", "Adam v_t", "m̂_t", "v̂_t", "Adam step η·m̂/(√v̂ + ε)", "AdaGrad Σg²", "AdaGrad step η·g/(√Σg² + ε)"],
            Enumerable.Range(0, Math.Min(5, adam.Steps.Count)).Select(i =>
            {
                var w = adam.Steps[i];
                var v = ada.Steps[i];
                return (IReadOnlyList<object>)[w.T, w.Grad, w.M, w.V, w.MHat, w.VHat, adam.X[i] - adam.X[i + 1], v.V, ada.X[i] - ada.X[i + 1]];
            }));
        report.Paragraph(AdaptiveVerdict(a, r.Minimiser, s.SmallEta));
        var chart = new LineChart { Title = $"GD, AdaGrad and Adam from x0 = {far}", XLabel = "step t", YLabel = "x_t", Height = 400, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var x in a) chart.Add(x.Name, Enumerable.Range(0, x.X.Length).Select(i => (double)i).ToArray(), x.X);
        chart.Add("x* (minimiser)", [0, s.StepsFromFar], [r.Minimiser, r.Minimiser]);
        chart.SavePng(report.PathOf("q10a_optimizers.png"));
        report.Figure("q10a_optimizers.png", "x_t of GD, AdaGrad and Adam from the far start, same η and steps, with x*.");
        foreach (var x in a)
        {
            int near = FirstNear(x.X, r.Minimiser, 1e-3);
            report.Metric($"q10a_{x.Name.ToLowerInvariant()}_x_final", x.X[^1]);
            report.Metric($"q10a_{x.Name.ToLowerInvariant()}_first_step", Math.Abs(x.X[1] - x.X[0]));
            report.Metric($"q10a_{x.Name.ToLowerInvariant()}_steps_to_within_1e-3", near >= 0 ? near : double.NaN);
        }
    }

    /// <summary>How the autograd gradients compare with the closed form.</summary>
    public static string AgreementText(double maxErr) => maxErr == 0 ? "0: bit-identical (GeluOp's backward evaluates the same formula)"
        : maxErr < 1e-12 ? LabReport.Format(maxErr) + ": agreement to rounding"
        : LabReport.Format(maxErr) + ": more than rounding, so autograd and the closed form disagree";

    /// <summary>The two runs from 0: first step, whether each gets within 10⁻³ of x*, and whether the large step overshoots.</summary>
    public static string ShortRunVerdict(Trace small, Trace large, double xMin)
    {
        string S(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        string Eta(Trace t) => LabReport.Format(t.Run.Eta);
        int n = small.X.Length - 1, nearSmall = FirstNear(small.X, xMin, 1e-3), nearLarge = FirstNear(large.X, xMin, 1e-3);
        string first = $"From x₀ = 0 the slope is f'(0) = ½, so the first step is −η/2: x₁ = {S(small.X[1])} with η = {Eta(small)} and {S(large.X[1])} with η = {Eta(large)}.";
        string sm = nearSmall >= 0
            ? $"With η = {Eta(small)} the iterates are within 10⁻³ of x* ≈ {S(xMin)} after {nearSmall} steps"
            : $"With η = {Eta(small)} the iterates creep left (x_{n} = {S(small.X[^1])}, not yet within 10⁻³ of x* ≈ {S(xMin)}) because f' shrinks as x approaches the minimum";
        string lg = nearLarge >= 0 ? $"with η = {Eta(large)} they are within 10⁻³ after {nearLarge} steps" : $"with η = {Eta(large)} they are not within 10⁻³ after {large.X.Length - 1} steps";
        string over = large.X.Min() >= xMin ? " and never overshoot" : " and overshoot x*";
        return $"{first} {sm}; {lg}{over}.";
    }

    /// <summary>GD near x*: η·f''(x*) below 1 approaches monotonically, between 1 and 2 oscillates in, from 2 diverges.</summary>
    public static string CurvatureVerdict(double eta, double curvature)
    {
        double k = eta * curvature;
        string numbers = string.Create(CultureInfo.InvariantCulture, $"f''(x*) ≈ {curvature:0.000}, so for η = {LabReport.Format(eta)} the product η·f'' ≈ {k:0.00}");
        string bound = string.Create(CultureInfo.InvariantCulture, $"2/f'' ≈ {2 / curvature:0.0}");
        return k < 1 ? $"Near the minimum {numbers} is below 1: every step moves x only part of the way to x* (η is still below the {bound} at which GD would diverge)."
             : k < 2 ? $"Near the minimum {numbers}, between 1 and 2: each step overshoots x* and the iterates oscillate around it while converging (η is below {bound})."
             : $"Near the minimum {numbers} is at least 2: the step is above {bound}, so GD cannot settle at x* and moves away from it.";
    }

    /// <summary>Momentum against GD from the far start at the same step (50, or the last): behind (lags) or ahead.</summary>
    public static string LagVerdict(Trace momentum, Trace gd)
    {
        int k = Math.Min(50, Math.Min(momentum.X.Length, gd.X.Length) - 1);
        string at = string.Create(CultureInfo.InvariantCulture, $"(x_{k} = {momentum.X[k]:0.0000} against {gd.X[k]:0.0000} for GD)");
        return momentum.X[k] < gd.X[k]
            ? $"It even lags slightly while |f'| grows {at}, because v remembers the smaller gradients of the past."
            : $"Here it is not behind GD while |f'| grows {at}.";
    }

    /// <summary>Which run from the far start gets within 10⁻³ of x* first, and whether momentum overshoots.</summary>
    public static string FarVerdict(int momentumNear, int gdNear, double overshoot, int steps)
    {
        if (momentumNear < 0 && gdNear < 0) return $"Neither run from the far start is within 10⁻³ of x* after {steps} steps.";
        string over = overshoot > 0
            ? $", at the price of a slight overshoot (max x_t − x* = {overshoot.ToString("0.0e+0", CultureInfo.InvariantCulture)}) before it settles"
            : ", without overshooting";
        string gd = gdNear >= 0 ? gdNear.ToString(CultureInfo.InvariantCulture) : $"more than {steps}";
        if (momentumNear >= 0 && (gdNear < 0 || momentumNear < gdNear))
            return $"Momentum is within 10⁻³ of x* after {momentumNear} steps against {gd} for GD, because near the minimum the average carries it " +
                   $"through the region where f' becomes small{over}.";
        string m = momentumNear >= 0 ? momentumNear.ToString(CultureInfo.InvariantCulture) : $"more than {steps}";
        return $"GD is within 10⁻³ of x* after {gd} steps, momentum after {m}: the average does not pay off here.";
    }

    private static string MetricKey(DescentRun s) =>
        (s.IsMomentum ? "momentum" : "gd") + $"_x0_{(s.X0 < 0 ? "m" : "")}{Math.Abs(s.X0).ToString(CultureInfo.InvariantCulture)}_eta_{s.Eta.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Writes {stem}_x.png (x_t per step) and {stem}_f.png (f(x_t) per step) for some traces.</summary>
    private static void Plot(LabReport report, string stem, string title, IReadOnlyList<Trace> traces, double xMin, ScottPlot.Alignment xLegend)
    {
        var xs = new LineChart { Title = $"x_t {title}", XLabel = "step t", YLabel = "x_t", Height = 400, LegendAlignment = xLegend };
        var fs = new LineChart { Title = $"f(x_t) {title}", XLabel = "step t", YLabel = "f(x_t)", Height = 400 };
        int n = traces.Max(t => t.X.Length);
        foreach (var t in traces)
        {
            var steps = Enumerable.Range(0, t.X.Length).Select(i => (double)i).ToArray();
            xs.Add(t.Run.Label, steps, t.X);
            fs.Add(t.Run.Label, steps, t.F);
        }
        xs.Add("x* (minimiser)", [0, n - 1], [xMin, xMin]);
        fs.Add("f(x*)", [0, n - 1], [F(xMin), F(xMin)]);
        xs.SavePng(report.PathOf(stem + "_x.png"));
        fs.SavePng(report.PathOf(stem + "_f.png"));
    }
}
