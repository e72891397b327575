using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class TheoryChecksLab
{
    /// <summary>Tolerance for "agrees to rounding" in float64 (values of order 1, sums of up to ~10⁵ terms).</summary>
    public const double Rounding = 1e-12;

    private static string F(double v) => LabReport.Format(v);

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A table whose text cells may contain '|' (absolute values): escaped so Markdown keeps the columns.</summary>
    internal static void Table(LabReport report, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object>> rows) =>
        report.Table(headers.Select(Escape).ToList(), rows.Select(r => (IReadOnlyList<object>)r.Select(c => c is string t ? Escape(t) : c).ToList()));

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    public override void Report(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        report.Paragraph("""
            Each section takes one theory question of IFT6135-H2019 Assignment 1 (seed 001), 24789 HW1 theory P4d (seed 002)
            or Hildesheim Workbook Q5b (seed 004) and shows its statement with numbers: the library computes (float64 tensors,
            autograd for derivatives, the library's modules and optimizer), and plain double arithmetic in the lab gives the
            value the statement predicts. The sentences under each table are chosen by rules on the numbers.
            """);
        ReportHeaviside(report, s, r);
        ReportSoftmax(report, s, r);
        ReportNetworks(report, s, r);
        ReportInterpolation(report, s, r);
        ReportPoolingAndLoss(report, s, r);
        ReportRegressionVsClassification(report, s, r);
        ReportBiasDropout(report, s, r);
        ReportMinimax(report, s, r);
    }

    private static void ReportHeaviside(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var q = r.Relu;
        report.Heading("IFT6135 Q1.1–1.2: ReLU′ = H, ReLU(x) = x·H(x) = ∫_{−∞}^x H");
        report.Paragraph(I($"""
            Grid: {q.GridPoints} points on [−{F(s.GridHalfWidth)}, {F(s.GridHalfWidth)}] (spacing h = {F(q.Spacing)}, x = 0 on the grid),
            H(0) = ½ as in the seed. ReLU and its derivative come from the library (x.Relu(), then Backward of the sum: x.Grad = ReLU′(x));
            x·H(x) and the running trapezoid ∫_(−L)^x H (= ∫_(−∞)^x H, since H = 0 left of −L) are plain arithmetic.
            """));
        Table(report, ["x", "ReLU(x) (library)", "x·H(x)", "∫_{−∞}^x H (trapezoid)", "ReLU′(x) (autograd)", "H(x)"],
            q.Rows.Select(w => (IReadOnlyList<object>)[w.X, w.Relu, w.XTimesH, w.IntegralOfH, w.AutogradSlope, w.H]));
        report.Paragraph(TheoryChecksSays.Agreement("ReLU(x) and x·H(x)", q.MaxErrorXTimesH, 0) + ". " +
                         TheoryChecksSays.TrapezoidError(q.MaxErrorIntegral, q.IntegralErrorAtZero, q.Spacing) + " " +
                         TheoryChecksSays.SlopeVsH(q.SlopeMismatchXs, q.MaxSlopeErrorAwayFromZero));
        new LineChart { Title = "ReLU, ∫H and ReLU′ (autograd)", XLabel = "x", YLabel = "value", LegendAlignment = ScottPlot.Alignment.UpperLeft, Markers = false }
            .Add("ReLU(x) (library)", q.PlotX, q.PlotRelu)
            .Add("∫ H from −∞ to x (trapezoid)", q.PlotX, q.PlotIntegral)
            .Add("ReLU′(x) (autograd) = H(x) for x ≠ 0", q.PlotX, q.PlotSlope)
            .SavePng(report.PathOf("relu_heaviside.png"));
        report.Figure("relu_heaviside.png", "ReLU from the library, the running integral of H (on top of it) and autograd's ReLU′, which is the step H.");
        report.Metric("relu_max_error_x_times_h", q.MaxErrorXTimesH);
        report.Metric("relu_max_error_integral_of_h", q.MaxErrorIntegral);

        report.Heading("IFT6135 Q1.3: σ(kx) → H as k grows");
        Table(report, ["k", I($"max |σ(kx) − H(x)| on |x| ≥ {F(s.Delta)}"), "σ(−k·x_δ) = 1/(1 + e^{k·x_δ})", "max over the whole grid", "|σ(0) − H(0)|"],
            r.SigmoidSteps.Select(w => (IReadOnlyList<object>)[w.K, w.MaxErrorOutsideDelta, w.ClosedForm, w.MaxErrorWholeGrid, w.AtZero]));
        report.Paragraph("x_δ is the grid point closest to δ from outside, where σ(kx) is farthest from H on |x| ≥ δ (by symmetry, σ(−kx) = 1 − σ(kx), the same on both sides). " +
                         TheoryChecksSays.SigmoidLimit(r.SigmoidSteps, s.Delta));
        var chart = new LineChart { Title = "σ(kx) and the Heaviside step", XLabel = "x", YLabel = "value", LegendAlignment = ScottPlot.Alignment.UpperLeft, Markers = false };
        chart.Add("H(x)", r.SigmoidPlotX, r.SigmoidPlotX.Select(HeavisideChecks.H).ToArray());
        for (int i = 0; i < r.SigmoidCurves.Length; i++) chart.Add(I($"σ({F(s.Steepness[i])}x)"), r.SigmoidPlotX, r.SigmoidCurves[i]);
        chart.SavePng(report.PathOf("sigmoid_to_step.png"));
        report.Figure("sigmoid_to_step.png", "σ(kx) on [−1, 1] for each k, with H.");
        report.Metric("sigmoid_step_error_outside_delta_largest_k", r.SigmoidSteps[^1].MaxErrorOutsideDelta);

        report.Heading("IFT6135 Q1.4: the distributional derivative H′[φ] = −∫Hφ′ = φ(0)");
        report.Paragraph("""
            Test functions: bumps φ(x) = exp(−1/(1 − u²)), u = (x − a)/w, for |u| < 1 and 0 elsewhere — infinitely differentiable with
            compact support [a − w, a + w]. φ is built from library tensor ops and φ′ comes from autograd; the integrals are trapezoid
            sums on the grid. The last rows pair the first bump with smooth F, for which −∫Fφ′ = ∫F′φ by integration by parts
            (φ vanishes at ±A); that identity is why −∫Fφ′ is taken as the definition of F′[φ] when F has no derivative.
            """);
        Table(report, ["F", "bump centre a", "half-width w", "−∫F φ′ (quadrature)", "should equal", "value", "|difference|"],
            r.Distribution.Select(w => (IReadOnlyList<object>)[w.F, w.Centre, w.HalfWidth, w.MinusIntegralFPhiPrime, w.ExpectedIs, w.Expected,
                Math.Abs(w.MinusIntegralFPhiPrime - w.Expected)]));
        double tol = Math.Max(1e-8, 50 * r.Relu.Spacing * r.Relu.Spacing);
        report.Paragraph(TheoryChecksSays.Distributional(r.Distribution, tol) +
                         I($" (Tolerance 50h² = {F(tol)}, h the grid spacing: the trapezoid rule's error is O(h²) for these smooth integrands.)"));
        report.Metric("delta_max_error", r.Distribution.Where(w => w.F == "H").Max(w => Math.Abs(w.MinusIntegralFPhiPrime - w.Expected)));
    }

    private static void ReportSoftmax(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var j = r.Jacobian;
        report.Heading("IFT6135 Q2.1–2.3: the softmax and sigmoid Jacobians");
        report.Paragraph(I($"""
            At a random x ∈ ℝ^{j.N} (x = [{string.Join(", ", j.X.Select(F))}]), the formula ∂S_i/∂x_j = S_i(δ_ij − S_j), i.e.
            J = diag(S) − SSᵀ, against the Jacobian from autograd (row i = x.Grad after Backward of S(x)_i). The formula's matrix:
            """));
        int show = Math.Min(j.N, 6);
        Table(report, ["i \\ j", .. Enumerable.Range(1, show).Select(c => c.ToString(CultureInfo.InvariantCulture))],
            Enumerable.Range(0, show).Select(a => (IReadOnlyList<object>)[(a + 1).ToString(CultureInfo.InvariantCulture), .. Enumerable.Range(0, show).Select(b => (object)j.Formula[a, b])]));
        report.Paragraph(TheoryChecksSays.Agreement("diag(S) − SSᵀ and the autograd Jacobian", j.MaxSoftmaxError, Rounding) + ". " +
                         TheoryChecksSays.Agreement("The sigmoid's autograd Jacobian and diag(σ(x) ⊙ (1 − σ(x)))", j.MaxSigmoidError, Rounding) +
                         I($"; its largest off-diagonal entry is {F(j.MaxSigmoidOffDiagonal)} (σ acts element-wise)."));
        report.Metric("softmax_jacobian_max_error", j.MaxSoftmaxError);

        report.Heading("IFT6135 Q2.4: (∂S/∂x)ᵀg in O(n) instead of O(n²)");
        report.Paragraph("""
            Three ways to get ∇ₓL = (∂S/∂x)ᵀ∇_S L for a random g = ∇_S L: build J = diag(S) − SSᵀ and multiply (O(n²) memory and
            work), the O(n) form S ⊙ (g − ⟨g, S⟩) (since Jᵀg = diag(S)g − S(Sᵀg)), both in plain double loops, and the library's
            softmax backward (autograd). Times are medians of repeated measurements on a shared machine; the operation counts are exact.
            For the sigmoid the Jacobian is diagonal, so Jᵀg = σ(1 − σ) ⊙ g is O(n) directly.
            """);
        Table(report, ["n", "explicit J, then Jᵀg (s)", "S ⊙ (g − ⟨g, S⟩) (s)", "library backward (s)", "ops explicit (2n²)", "ops O(n) form (3n)", "max |difference|"],
            r.Vjp.Select(w => (IReadOnlyList<object>)[w.N, w.ExplicitSeconds, w.LinearSeconds, w.AutogradSeconds, w.ExplicitOps, w.LinearOps, w.MaxDifference]));
        double vjpErr = r.Vjp.Max(w => w.MaxDifference);
        report.Paragraph(TheoryChecksSays.Agreement("The three products", vjpErr, Rounding) + ". " +
                         I($"From n = {Math.Min(32, r.Vjp[^1].N)} up, the explicit product's time {TheoryChecksSays.Growth(r.ExplicitExponent)}; the O(n) form's time {TheoryChecksSays.Growth(r.LinearExponent)}."));
        new LineChart { Title = "Time of (∂S/∂x)ᵀg", XLabel = "n", YLabel = "seconds per product", LogX = true, LogY = true, LegendAlignment = ScottPlot.Alignment.UpperLeft }
            .Add("explicit Jacobian (O(n²))", r.Vjp.Select(w => (double)w.N).ToList(), r.Vjp.Select(w => w.ExplicitSeconds).ToList())
            .Add("S ⊙ (g − ⟨g, S⟩) (O(n))", r.Vjp.Select(w => (double)w.N).ToList(), r.Vjp.Select(w => w.LinearSeconds).ToList())
            .Add("library softmax backward", r.Vjp.Select(w => (double)w.N).ToList(), r.Vjp.Select(w => w.AutogradSeconds).ToList())
            .SavePng(report.PathOf("vjp_time.png"));
        report.Figure("vjp_time.png", "Median time per vector-Jacobian product against n (log-log; slope 2 = quadratic, slope 1 = linear).");
        report.Metric("vjp_explicit_exponent", r.ExplicitExponent);
        report.Metric("vjp_linear_exponent", r.LinearExponent);

        report.Heading("IFT6135 Q3.1: S(x + c) = S(x)");
        report.Paragraph(I($"x = [{string.Join(", ", r.SoftmaxX.Select(F))}]. S(x + c) = e^c e^{{x_i}} / (e^c Σ e^{{x_j}}) = S(x); the library's softmax (which subtracts max x first, relying on exactly this) against the naive e^{{x_i + c}}/Σe^{{x_j + c}} in double:"));
        Table(report, ["c", "max |S(x + c) − S(x)| (library)", "naive formula at x + c"],
            r.Shifts.Select(w => (IReadOnlyList<object>)[w.C, w.MaxDifference, w.NaiveOverflows ? "overflows (e^{x+c} = ∞ or 0/0)" : "finite"]));
        double shiftErr = r.Shifts.Max(w => w.MaxDifference);
        int overflows = r.Shifts.Count(w => w.NaiveOverflows);
        report.Paragraph(TheoryChecksSays.Agreement("S(x + c) and S(x)", shiftErr, Rounding) +
                         (overflows > 0 ? I($" for every c; the naive formula breaks down for {overflows} of the {r.Shifts.Count} shifts, which is why implementations use the invariance to subtract max x.") : " for every c."));

        report.Heading("IFT6135 Q3.2: S(cx) as c → 0 and c → ∞");
        Table(report, ["c", "S(cx)", "max |S − 1/n|", "max |S − one-hot(argmax x)|"],
            r.Scales.Select(w => (IReadOnlyList<object>)[w.C, "[" + string.Join(", ", w.S.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))) + "]", w.MaxFromUniform, w.MaxFromOneHot]));
        report.Paragraph(TheoryChecksSays.ScaleLimits(r.Scales, r.SoftmaxX.Length));
        var sc = new LineChart { Title = "Entries of S(cx)", XLabel = "c", YLabel = "S(cx)_i", LogX = true, Markers = false, LegendAlignment = ScottPlot.Alignment.UpperLeft };
        for (int i = 0; i < r.SoftmaxX.Length; i++)
            sc.Add(I($"i = {i + 1} (x_i = {F(r.SoftmaxX[i])})"), r.ScaleCurve.Select(w => w.C).ToList(), r.ScaleCurve.Select(w => w.S[i]).ToList());
        sc.SavePng(report.PathOf("softmax_scale.png"));
        report.Figure("softmax_scale.png", "Each entry of S(cx) for c from 10⁻³ to 10³: all start at 1/n, the largest x_i takes everything.");

        report.Heading("IFT6135 Q3.3–3.4: two classes = sigmoid; K classes need K − 1 numbers");
        var rp = r.Reparam;
        report.Paragraph(I($"""
            Over {rp.Samples} random x (entries N(0, 3²)): S(x) = [e^(x₁), e^(x₂)]/(e^(x₁) + e^(x₂)) = [σ(z), 1 − σ(z)] with z = x₁ − x₂
            (divide by e^(x₁)), and S(x) = S(x − x₁) = S([0, x₂ − x₁, …, x_K − x₁]) by Q3.1 with c = −x₁. Library softmax against library sigmoid:
            """));
        Table(report, ["check", "max |difference|"],
            [["K = 2: S(x) vs [σ(x₁ − x₂), 1 − σ(x₁ − x₂)]", rp.MaxTwoClassError],
             .. rp.KMinusOne.Select(k => (IReadOnlyList<object>)[I($"K = {k.K}: S(x) vs S([0, x₂ − x₁, …])"), k.MaxError])]);
        double reErr = Math.Max(rp.MaxTwoClassError, rp.KMinusOne.Max(k => k.MaxError));
        report.Paragraph(TheoryChecksSays.Agreement("Both reparameterisations and softmax", reErr, Rounding) + ".");
        report.Metric("softmax_reparam_max_error", reErr);
    }

    private static void ReportNetworks(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var e = r.Equivalence;
        report.Heading("IFT6135 Q4: a sigmoid network equals a tanh network with Θ′(Θ)");
        report.Paragraph(I($"""
            σ(a) = (1 + tanh(a/2))/2, so y(x, Θ, σ)_k = Σ_j (ω⁽²⁾_kj/2)·tanh(Σ_i (ω⁽¹⁾_ji/2)x_i + ω⁽¹⁾_j0/2) + ω⁽²⁾_k0 + ½Σ_j ω⁽²⁾_kj.
            Hence Θ′: ω̃⁽¹⁾ = ω⁽¹⁾/2 (weights and biases), ω̃⁽²⁾_kj = ω⁽²⁾_kj/2 for j ≥ 1, ω̃⁽²⁾_k0 = ω⁽²⁾_k0 + ½Σ_j ω⁽²⁾_kj.
            Θ is drawn from N(0, 1) (D = {e.D}, M = {e.M}, K = {e.K}); both networks are evaluated with the library (Linear → Sigmoid/Tanh →
            Linear) on {e.Inputs} random inputs x ~ N(0, 2²). Output unit 1's second-layer parameters:
            """));
        var t = e.Theta;
        var p = e.ThetaPrime;
        Table(report, ["parameter", "Θ", "Θ′"],
            [.. Enumerable.Range(0, Math.Min(t.M, 6)).Select(jj => (IReadOnlyList<object>)[I($"ω⁽²⁾_1,{jj + 1}"), t.W2[jj], p.W2[jj]]),
             ["ω⁽²⁾_1,0 (bias)", t.B2[0], p.B2[0]],
             ["ω⁽¹⁾_1,1", t.W1[0], p.W1[0]],
             ["ω⁽¹⁾_1,0 (bias)", t.B1[0], p.B1[0]]]);
        Table(report, ["comparison", "max |difference| over all outputs"],
            [["y(x, Θ, σ) vs y(x, Θ′, tanh)", e.MaxDifference], ["control: y(x, Θ, σ) vs y(x, Θ, tanh) (Θ not transformed)", e.MaxDifferenceUntransformed],
             ["scale: max |y(x, Θ, σ)|", e.MaxOutput]]);
        report.Paragraph(TheoryChecksSays.Agreement("The sigmoid network and the tanh network with Θ′", e.MaxDifference, Rounding * Math.Max(1, e.MaxOutput)) +
                         (e.MaxDifferenceUntransformed > 100 * Math.Max(e.MaxDifference, 1e-15) ? I($"; without the transformation they differ by up to {F(e.MaxDifferenceUntransformed)}, so Θ′ is what makes them equal.") : "."));
        report.Metric("sigmoid_tanh_max_difference", e.MaxDifference);
    }

    private static void ReportInterpolation(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var pr = r.Problem;
        report.Heading("IFT6135 Q5: interpolating N points exactly with N − 1 hidden units");
        report.Paragraph(I($"""
            Q5.1: y(x) = W⁽²⁾ φ(W⁽¹⁾x + b⁽¹⁾) + b⁽²⁾ with W⁽¹⁾ ∈ ℝ^((N−1)×n), b⁽¹⁾ ∈ ℝ^(N−1), W⁽²⁾ ∈ ℝ^(m×(N−1)), b⁽²⁾ ∈ ℝ^m.
            Q5.2: with every row of W⁽¹⁾ equal to w, y(x⁽ⁱ⁾) = f(x⁽ⁱ⁾) for all i reads M·W̃⁽²⁾ = F with M_ij = φ(wᵀx⁽ⁱ⁾ + b⁽¹⁾_j) for
            j ≤ N − 1 and M_iN = 1 (the column that multiplies b⁽²⁾).
            Here: N = {pr.N} random points in ℝ^{pr.InputDim} (N(0, 1)), f_k(x) = sin(2x₁ + k) + ½x²_(k mod n + 1) for k = 0..{pr.OutputDim - 1}, u a random
            unit vector, points ordered by decreasing p_i = uᵀx⁽ⁱ⁾ (smallest gap {F(pr.MinGap)}).
            Q5.3 (ReLU): w = u, b⁽¹⁾_j = −wᵀx⁽ʲ⁾ + ε with ε = half the smallest gap ({F(r.ReluInterpolation.Epsilon)}): M_ij = ReLU(p_i − p_j + ε) is 0 for
            i > j (p_i ≤ p_j − gap) and ε on the diagonal, so M is upper triangular and invertible; back substitution gives W̃⁽²⁾.
            Q5.4 (sigmoid): w = λu, b⁽¹⁾_j = −λuᵀx⁽ʲ⁾, M_ij = σ(λ(p_i − p_j)) → 0 below the diagonal, ½ on it, 1 above as λ → ∞; M is solved as a
            full system (Gaussian elimination). Each solution is loaded into a library network (Linear → ReLU/Sigmoid → Linear) and evaluated at the N points.
            """));
        var runs = new List<InterpolationRun> { r.ReluInterpolation, r.ReluPerUnitInterpolation };
        runs.AddRange(r.SigmoidInterpolations);
        Table(report, ["φ", "λ", "max |M_ij|, i > j", "min |M_ii|", "max |MW̃ − F|", "max |y(x⁽ⁱ⁾) − f(x⁽ⁱ⁾)| (library net)", "max |W̃|"],
            runs.Select(w => (IReadOnlyList<object>)[w.Activation, double.IsNaN(w.Lambda) ? "–" : F(w.Lambda), w.MaxBelowDiagonal, w.MinAbsDiagonal, w.MaxResidual, w.MaxInterpolationError, w.MaxAbsOutputWeight]));
        const double tolTri = 1e-6, tolFit = 1e-8;
        double fMax = 0;
        for (int i = 0; i < pr.N; i++) for (int k = 0; k < pr.OutputDim; k++) fMax = Math.Max(fMax, Math.Abs(pr.F[i, k]));
        var last = r.SigmoidInterpolations.Count > 0 ? r.SigmoidInterpolations[^1] : null;
        report.Paragraph(I($"""
            The last row of the ReLU pair is a variant: each unit gets its own ε_j = p_j − p_(j+1), so its kink sits exactly on the next point
            down; M stays upper triangular (diagonal ε_j) and the network becomes the piecewise-linear interpolant. With one ε every unit switches on
            just before its own point, so each segment must climb from the previous segment's line to f_j within ε, and the coefficients grow
            roughly like the product of the ratios gap_j/ε — fine for a few points, explosive for many.
            """));
        var sentences = new List<string>
        {
            "ReLU, one ε: " + TheoryChecksSays.Triangular(r.ReluInterpolation.MaxBelowDiagonal, r.ReluInterpolation.MinAbsDiagonal, tolTri),
            "ReLU, ε_j: " + TheoryChecksSays.Triangular(r.ReluPerUnitInterpolation.MaxBelowDiagonal, r.ReluPerUnitInterpolation.MinAbsDiagonal, tolTri),
        };
        if (last is not null)
            sentences.Add(I($"sigmoid: the largest entry below the diagonal {Says.Trend(r.SigmoidInterpolations.Select(w => w.MaxBelowDiagonal).ToList())} as λ grows from {F(r.SigmoidInterpolations[0].Lambda)} to {F(last.Lambda)}, and at λ = {F(last.Lambda)} ") +
                          TheoryChecksSays.Triangular(last.MaxBelowDiagonal, last.MinAbsDiagonal, tolTri) + " (the limit's diagonal is σ(0) = ½)");
        sentences.AddRange(runs.Select(w => TheoryChecksSays.Interpolates(w, fMax, tolFit)));
        report.Paragraph(string.Join(". ", sentences) + ".");
        int show = Math.Min(pr.N, 6);
        string corner = pr.N > show ? I($" (top-left {show}×{show} corner of the {pr.N}×{pr.N} matrix)") : "";
        foreach (var run in last is null ? [r.ReluInterpolation] : new[] { r.ReluInterpolation, last })
        {
            report.Paragraph(I($"M for {run.Activation}{(double.IsNaN(run.Lambda) ? "" : $", λ = {F(run.Lambda)}")}{corner}:"));
            Table(report, ["i \\ j", .. Enumerable.Range(1, show).Select(c => c == pr.N ? "N (bias)" : c.ToString(CultureInfo.InvariantCulture))],
                Enumerable.Range(0, show).Select(a => (IReadOnlyList<object>)[(a + 1).ToString(CultureInfo.InvariantCulture), .. Enumerable.Range(0, show).Select(b => (object)run.M[a, b])]));
        }
        var pts = (Enumerable.Range(0, pr.N).Select(i => pr.P[i]).Reverse().ToList(), Enumerable.Range(0, pr.N).Select(i => pr.F[i, 0]).Reverse().ToList());
        var good = runs.Where(w => w.MaxInterpolationError <= tolFit).ToList();
        var chart = new LineChart { Title = "Interpolants along x = t·u (first output)", XLabel = "t = uᵀx", YLabel = "y₁" };
        foreach (var run in good) chart.Add(run.Activation + (double.IsNaN(run.Lambda) ? "" : I($", λ = {F(run.Lambda)}")), run.CurveT, run.CurveY);
        chart.Add("samples (t = p_i, f₁(x⁽ⁱ⁾)), joined", pts.Item1, pts.Item2);
        chart.SavePng(report.PathOf("interpolation.png"));
        report.Figure("interpolation.png", I($"The first output of every network that interpolates to within {F(tolFit)} ({good.Count} of {runs.Count}), as a function of t = uᵀx — every hidden unit sees only wᵀx, so this curve is the whole function of x. Largest |y₁| on the plotted range: {string.Join("; ", good.Select(w => $"{w.Activation}{(double.IsNaN(w.Lambda) ? "" : $" λ = {F(w.Lambda)}")}: {F(w.CurveY.Max(Math.Abs))}"))}; max |f₁(x⁽ⁱ⁾)| = {F(Enumerable.Range(0, pr.N).Max(i => Math.Abs(pr.F[i, 0])))}."));
        report.Metric("interpolation_relu_max_error", r.ReluInterpolation.MaxInterpolationError);
        report.Metric("interpolation_relu_per_unit_max_error", r.ReluPerUnitInterpolation.MaxInterpolationError);
        if (last is not null)
        {
            report.Metric("interpolation_sigmoid_max_error", r.SigmoidInterpolations.Max(w => w.MaxInterpolationError));
            report.Metric("interpolation_sigmoid_below_diagonal_largest_lambda", last.MaxBelowDiagonal);
        }
    }

    private static void ReportPoolingAndLoss(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var p = r.PoolingAsConv;
        report.Heading("24789 P4d: average pooling is a convolution");
        report.Paragraph(I($"""
            2×2 average pooling with stride 2 is a 2×2 convolution with every weight ¼, stride 2, no padding, applied to each channel
            separately. On a random input of shape [{string.Join(", ", p.Shape)}] (output [{string.Join(", ", p.OutputShape)}]), the library's AvgPool2d(2)
            against (a) Conv2d(1, 1, 2, stride 2, no bias) with weights ¼ on every channel (input reshaped to [N·C, 1, H, W]) and
            (b) one Conv2d(C, C, 2, stride 2) whose weight is ¼ where input channel = output channel and 0 elsewhere.
            The gradients are those of the input for the same random upstream gradient.
            """));
        Table(report, ["comparison", "max |forward difference|", "max |input-gradient difference|"],
            [["AvgPool2d(2) vs (a) per-channel Conv2d, weights ¼", p.MaxForwardPerChannel, p.MaxGradPerChannel],
             ["AvgPool2d(2) vs (b) Conv2d(C → C), ¼ on the channel diagonal", p.MaxForwardFull, p.MaxGradFull]]);
        double poolErr = new[] { p.MaxForwardPerChannel, p.MaxForwardFull, p.MaxGradPerChannel, p.MaxGradFull }.Max();
        report.Paragraph(TheoryChecksSays.Agreement("Pooling and both convolutions (outputs and gradients)", poolErr, Rounding) + ".");
        report.Metric("avgpool_as_conv_max_difference", poolErr);

        report.Heading("Workbook Q5b: training on L = ŷ − y or L = y − ŷ");
        report.Paragraph(I($"""
            The Q5 network's figure is not in the seed text, so this uses the 2-2-1 network of the worked-exercises lab's Q5a:
            ŷ = out(v·ReLU(Wx) + c) with W = [[{F(PoolingAndLossChecks.W1[0])}, {F(PoolingAndLossChecks.W1[1])}], [{F(PoolingAndLossChecks.W1[2])}, {F(PoolingAndLossChecks.W1[3])}]],
            v = [{F(PoolingAndLossChecks.V[0])}, {F(PoolingAndLossChecks.V[1])}], no hidden biases, an output bias c starting at 0, x = (2, 4), y = 2.5 (the seed's sample), and out = identity or ReLU
            (the seed says every node is a ReLU). Plain SGD from the library, learning rate {F(s.LossLearningRate)}, {s.LossSteps} steps on each signed loss.
            """));
        var marks = new[] { 0, 1, 2, 5, 10, 20, 40, 60, 100, 200, 500, 1000 }.Where(k => k <= s.LossSteps).Append(s.LossSteps).Distinct().ToList();
        Table(report, ["step", .. r.SignedLosses.Select(w => $"ŷ: {w.Loss}, {w.Output} output")],
            marks.Select(k => (IReadOnlyList<object>)[k, .. r.SignedLosses.Select(w => (object)w.YHat[k])]));
        foreach (var run in r.SignedLosses) report.Paragraph(TheoryChecksSays.SignedLoss(run, s.LossLearningRate));
        report.Paragraph("""
            Neither signed loss measures a distance between ŷ and y: its gradient with respect to ŷ is the constant ±1, whatever ŷ is, so
            gradient descent keeps pushing ŷ the same way and never settles at y. A loss that is minimised at ŷ = y (the squared or
            absolute error) is needed; y being positive changes nothing.
            """);
        var steps = Enumerable.Range(0, s.LossSteps + 1).Select(k => (double)k).ToList();
        var down = new LineChart { Title = "ŷ while minimising L = ŷ − y", XLabel = "step", YLabel = "ŷ", Markers = false };
        var up = new LineChart { Title = "ŷ while minimising L = y − ŷ", XLabel = "step", YLabel = "ŷ (log scale)", LogY = true, Markers = false, LegendAlignment = ScottPlot.Alignment.UpperLeft };
        foreach (var run in r.SignedLosses) (run.Loss.StartsWith("L = ŷ", StringComparison.Ordinal) ? down : up).Add($"{run.Output} output", steps, run.YHat);
        down.SavePng(report.PathOf("loss_yhat_minus_y.png"));
        up.SavePng(report.PathOf("loss_y_minus_yhat.png"));
        report.Figure("loss_yhat_minus_y.png", "ŷ per step on L = ŷ − y, with a linear and with a ReLU output unit.");
        report.Figure("loss_y_minus_yhat.png", "ŷ per step on L = y − ŷ (log scale).");
        foreach (var run in r.SignedLosses)
            report.Metric($"signed_loss_{(run.Loss.StartsWith("L = ŷ", StringComparison.Ordinal) ? "yhat_minus_y" : "y_minus_yhat")}_{run.Output.ToLowerInvariant()}_final_yhat", run.YHat[^1]);
    }

    private static void ReportRegressionVsClassification(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var q = r.RegressionVsClassification;
        TaskFit reg = q.Regression, cls = q.Classification;
        report.Heading("Workbook Q1a: regression vs classification");
        report.Paragraph(I($"""
            The same data fitted twice. Three Gaussian blobs in the plane (standard deviation {F(RegressionVsClassification.Spread)}), labelled
            0, 1, 2 with centres ({F(q.Centres[0][0])}, {F(q.Centres[0][1])}), ({F(q.Centres[1][0])}, {F(q.Centres[1][1])}) and ({F(q.Centres[2][0])}, {F(q.Centres[2][1])}):
            blobs 0 and 2 touch, blob 1 is far from both. {q.TrainPoints} training and {q.TestPoints} test points. Both networks are
            2-{q.Hidden}-tanh with the same initial hidden weights, trained by full-batch Adam (learning rate {F(q.LearningRate)}, {q.Steps} steps).
            **Regression**: one linear output ŷ ∈ ℝ, loss MSE (ŷ − y)² on the class index, prediction round(ŷ) clipped to the classes 0–2.
            **Classification**: three outputs turned into probabilities by softmax, loss cross-entropy −log p_y, prediction argmax_c p_c.
            Regression predicts a *quantity* (a number on a continuum, scored by its distance to the target); classification predicts
            a *category* (a distribution over unordered classes, scored by the probability given to the right one).
            """));
        string sumCell(TaskFit t) => double.IsNaN(t.MaxSumError) ? "— (one number, no constraint)" : F(t.MaxSumError);
        string nearCell(TaskFit t) => double.IsNaN(t.NearIntegerFraction) ? "— (outputs are probabilities)" : I($"{100 * t.NearIntegerFraction:F1}%");
        Table(report, ["", "regression (linear output, MSE)", "classification (softmax, cross-entropy)"],
        [
            ["outputs per point", reg.Outputs, cls.Outputs],
            ["final training loss", I($"{F(reg.FinalLoss)} (MSE)"), I($"{F(cls.FinalLoss)} (cross-entropy)")],
            ["range of the test outputs", I($"ŷ ∈ [{F(reg.MinOutput)}, {F(reg.MaxOutput)}]"), I($"p ∈ [{F(cls.MinOutput)}, {F(cls.MaxOutput)}]")],
            ["test outputs within 0.1 of an integer", nearCell(reg), nearCell(cls)],
            ["max |Σ_c p_c − 1| on the test points", sumCell(reg), sumCell(cls)],
            ["test MSE against the class index (classification: of Σ_c c·p_c)", reg.TestMse, cls.TestMse],
            ["training accuracy", I($"{100 * reg.TrainAccuracy:F1}%"), I($"{100 * cls.TrainAccuracy:F1}%")],
            ["test accuracy", I($"{100 * reg.TestAccuracy:F1}%"), I($"{100 * cls.TestAccuracy:F1}%")],
            [I($"output at the probe ({F(q.ProbePoint[0])}, {F(q.ProbePoint[1])})"), I($"ŷ = {F(reg.Probe[0])}"), I($"p = ({string.Join(", ", cls.Probe.Select(F))})")],
            ["class predicted at the probe", reg.ProbeClass, cls.ProbeClass],
        ]);
        report.Paragraph(RegressionVsClassification.ProbeSays(reg, cls) + " " + TheoryChecksSays.Q1aAccuracy(reg.TestAccuracy, cls.TestAccuracy) + """
             The natural measure differs too: a regression is judged by an error (MSE, RMSE — how far off the number is), a classifier by
            accuracy or cross-entropy (right or wrong, and how confident); and MSE on indices charges predicting 2 for a true 0 four times
            what it charges for predicting 1, an order the labels do not have, while cross-entropy treats every wrong class alike.
            """);
        report.Metric("q1a_regression_test_accuracy", reg.TestAccuracy).Metric("q1a_classification_test_accuracy", cls.TestAccuracy)
              .Metric("q1a_regression_probe_yhat", reg.Probe[0]).Metric("q1a_classification_probe_p1", cls.Probe[1])
              .Metric("q1a_regression_probe_class", reg.ProbeClass).Metric("q1a_classification_probe_class", cls.ProbeClass)
              .Metric("q1a_classification_max_sum_error", cls.MaxSumError).Metric("q1a_regression_test_mse", reg.TestMse);
    }

    private static void ReportBiasDropout(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        var c = r.BiasDropout;
        report.Heading("Workbook Q8c: why dropout is not used on bias nodes");
        report.Paragraph(I($"""
            A bias is the weight of a node whose input is the constant 1. Treat that node like any other unit and drop it: with inverted
            dropout (p = {F(c.P)}) the term t becomes t·m/(1 − p), m ~ Bernoulli(1 − p), and the expected squared loss gains
            t²·p/(1 − p). For an input x_i that is w_i²·x_i²·p/(1 − p), a data-dependent, ridge-like penalty on relying on a feature that
            may be missing; for the bias node it is b²·p/(1 − p), a pull of the offset toward 0. Measured on ŷ = w·x + b fitted to
            y = {F(c.Slope)}x + {F(c.Offset)} + {F(c.Noise)}·ε, x ~ N(0, 1) centred ({c.Points} training and {c.Points} test points, ȳ = {F(c.MeanY)}),
            by the library's autograd and full-batch SGD (learning rate {F(c.LearningRate)}, {c.Steps} steps, a fresh mask per point and
            step, w and b averaged over the second half). *Predicted* is the minimiser of the expected loss: b* = ȳ/(1 + p/(1 − p)) = ȳ·(1 − p)
            when the bias is dropped, w* = ŵ_LS·(1 − p) when x is dropped (x centred, so the two decouple). Test points are predicted
            without masks (inverted dropout needs no rescaling).
            """));
        Table(report, ["dropout on", "w", "predicted w", "b", "predicted b", "test mean(y − ŷ)", "test MSE"],
            c.Runs.Select(w => (IReadOnlyList<object>)[w.Dropped, w.W, w.PredictedW, w.B, w.PredictedB, w.TestOffset, w.TestMse]));
        report.Paragraph(BiasDropout.Says(c));
        var bias = c.Runs.Single(w => w.Dropped == "bias");
        var none = c.Runs.Single(w => w.Dropped == "none");
        report.Metric("q8c_bias_dropped_b", bias.B).Metric("q8c_bias_dropped_predicted_b", bias.PredictedB).Metric("q8c_no_dropout_b", none.B)
              .Metric("q8c_bias_dropped_test_mse", bias.TestMse).Metric("q8c_no_dropout_test_mse", none.TestMse)
              .Metric("q8c_bias_dropped_test_offset", bias.TestOffset);
    }

    private static void ReportMinimax(LabReport report, TheoryChecksSettings s, TheoryChecksResult r)
    {
        report.Heading("Workbook Q20a: two minimax problems outside deep learning and games");
        report.Paragraph(I($"""
            A minimax problem asks for the decision whose worst case is best: min over x of max over cases. Two from other
            fields, each solved here with the library's autograd by subgradient descent on the inner maximum ({s.Q20aSteps}
            steps, step 0.5/√t, the best iterate kept; the gradient of a max is that of the case attaining it, so each step
            moves against the current worst case): (1) numerical analysis — Chebyshev approximation, the line a·x + b with the
            smallest largest error to x² on 101 points of [0, 1] (known by equioscillation: x − 1/8, largest error 1/8);
            (2) facility location — the 1-center problem, the site with the smallest largest distance to 43 customers, the
            corners of the right triangle (0, 0), (4, 0), (0, 3) and 40 random points inside it (known: the circle through
            the corners, centre (2, 1.5), radius 2.5). Beside each, the usual mean-based choice: the least-squares line, the
            centroid.
            """));
        string V(double[] v) => "(" + string.Join(", ", v.Select(F)) + ")";
        Table(report, ["problem", "found by descent", "its worst case", "known minimax answer", "its worst case", "mean-based choice", "its worst case"],
            r.Minimax.Select(m => (IReadOnlyList<object>)[m.Problem, V(m.Found), m.FoundWorst, V(m.Known), m.KnownWorst, V(m.Usual), m.UsualWorst]));
        report.Paragraph(MinimaxExamples.Says(r.Minimax));
        foreach (var (m, key) in r.Minimax.Zip(new[] { "chebyshev", "one_center" }))
            report.Metric($"q20a_{key}_found_worst", m.FoundWorst).Metric($"q20a_{key}_known_worst", m.KnownWorst).Metric($"q20a_{key}_usual_worst", m.UsualWorst);
    }
}
