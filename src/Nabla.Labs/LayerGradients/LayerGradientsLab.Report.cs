using System.Globalization;

namespace Nabla.Labs;

public sealed partial class LayerGradientsLab
{
    /// <summary>The audit rows this lab answers (seed + item id as in the course audit) and the sections that answer them.</summary>
    internal static IReadOnlyList<(string Item, string What, string[] Sections)> Coverage { get; } =
    [
        ("AMMI A1 Q1", "∂E/∂x from ∂E/∂y for sigmoid, tanh, ReLU", ["sigmoid", "tanh", "relu"]),
        ("IFT6135 Q1.1", "ReLU′ = Heaviside step where it exists", ["relu"]),
        ("IFT6135 Q2.1", "dS_i/dx_j = S_i(δ_ij − S_j)", ["softmax-jacobian"]),
        ("IFT6135 Q2.2", "softmax Jacobian diag(S) − SSᵀ", ["softmax-jacobian"]),
        ("IFT6135 Q2.3", "Jacobian of the element-wise sigmoid", ["sigmoid-jacobian"]),
        ("IFT6135 Q2.4", "O(n) vector-Jacobian products", ["vjp"]),
        ("24789 HW1 T-P3(a)", "∂E/∂f₂ = o − y", ["mlp-24789", "softmax-loss"]),
        ("24789 HW1 T-P3(b)", "∂E/∂x by backpropagation", ["mlp-24789"]),
        ("EECS498 HW1 Q1.1 derive", "fully-connected layer", ["affine"]),
        ("EECS498 HW1 Q1.2 derive", "ReLU", ["relu"]),
        ("EECS498 HW1 Q1.3 derive", "dropout with a given mask", ["dropout"]),
        ("EECS498 HW1 Q1.4 derive", "batch norm with σ = √(Σ_j‖X_j − μ‖² + ε)", ["eecs-batchnorm", "batchnorm"]),
        ("EECS498 HW1 Q1.5 derive", "convolution: ∂L/∂X by *full, ∂L/∂W by *filt", ["conv", "conv-strided"]),
        ("Workbook Q4", "gradient of the log-likelihood loss", ["log-likelihood", "softmax-loss", "logistic-loss"]),
        ("Workbook Q19", "sparse autoencoder gradients (x ∈ ℝ³, h ∈ ℝ², W 2×3, V 3×2)", ["sparse-autoencoder"]),
    ];

    /// <summary>cs231n's reading of a relative error between two float64 gradients.</summary>
    internal static string Verdict(double err) =>
        double.IsNaN(err) ? "not computed" :
        err < 1e-7 ? "agree" :
        err < 1e-4 ? "agree loosely" :
        err < 1e-2 ? "doubtful" : "disagree";

    /// <summary>The headline sentence: all rows under 1e-7, or which ones are not.</summary>
    internal static string Headline(IReadOnlyList<GradientSection> sections)
    {
        var rows = sections.SelectMany(s => s.Rows.Select(r => (s.Key, Row: r))).ToList();
        double max = rows.Max(r => r.Row.Max);
        var bad = rows.Where(r => !(r.Row.Max < 1e-7)).ToList();
        if (bad.Count == 0)
            return $"All {rows.Count} gradients of the {sections.Count} sections agree four ways: the largest relative error over every pair of " +
                   $"columns is {F(max)}, below the 1e-7 at which cs231n calls a float64 gradient correct.";
        string list = $"{bad.Count} of {rows.Count} gradients differ by 1e-7 or more between some pair of columns (largest {F(max)}): " +
                      string.Join("; ", bad.Select(b => $"{b.Key} {b.Row.Gradient} ({F(b.Row.Max)}, {Verdict(b.Row.Max)})")) + ".";
        double exact = bad.SelectMany(b => new[] { b.Row.ClosedVsLayer, b.Row.ClosedVsAutograd }).Where(e => !double.IsNaN(e)).DefaultIfEmpty(0).Max();
        return exact < 1e-7
            ? list + $" On these rows only the finite differences are off: the closed form, the layer and autograd agree to {F(exact)}, and " +
                     "rel_error divides by |u_i| + |v_i|, which is small on an element whose gradient happens to be near 0."
            : list;
    }

    /// <summary>Whether the finite differences or the exact columns limit the agreement.</summary>
    internal static string LimitingColumn(IReadOnlyList<GradientSection> sections)
    {
        var rows = sections.SelectMany(s => s.Rows).ToList();
        double exact = rows.SelectMany(r => new[] { r.ClosedVsLayer, r.ClosedVsAutograd }).Where(e => !double.IsNaN(e)).DefaultIfEmpty(0).Max();
        double fd = rows.Max(r => r.ClosedVsNumeric);
        return fd > exact
            ? $"The three exact computations (closed form, explicit layer, autograd) agree to {F(exact)} at worst — round-off of a few operations; " +
              $"the finite differences are the loosest column ({F(fd)}), as a difference quotient carries truncation error (a power of h) and round-off error O(ε/h)."
            : $"The finite differences ({F(fd)} at worst) agree as closely as the exact computations ({F(exact)} at worst).";
    }

    /// <summary>What the table of ReLU around its kink shows.</summary>
    internal static string KinkSentence(IReadOnlyList<KinkPoint> points)
    {
        var parts = new List<string>();
        var zero = points.FirstOrDefault(p => p.X == 0);
        if (zero is not null)
        {
            parts.Add(zero.Left != zero.Right
                ? $"At x = 0 the one-sided quotients are {F(zero.Left)} (left) and {F(zero.Right)} (right), so ReLU has no derivative there"
                : $"At x = 0 both one-sided quotients are {F(zero.Left)}");
            parts.Add($"autograd and the explicit layer return {F(zero.Autograd)} and {F(zero.Layer)} (the subgradient 0 that PyTorch also uses)");
            parts.Add(Near(zero.Central, zero.Heaviside)
                ? $"the central quotient {F(zero.Central)} equals the seed's H(0) = ½"
                : $"the central quotient is {F(zero.Central)}, not the seed's H(0) = ½");
        }
        var away = points.Where(p => Math.Abs(p.X) >= 0.5).ToList();
        if (away.Count > 0)
            parts.Add(away.All(p => new[] { p.Autograd, p.Layer, p.Left, p.Right, p.Central }.All(v => Near(v, p.Heaviside)))
                ? "away from 0 every column equals H(x), so ReLU′ = H wherever the derivative exists"
                : "away from 0 some column differs from H(x)");
        var near = points.Where(p => p.X != 0 && Math.Abs(p.X) < 0.5).ToList();
        if (near.Count > 0 && near.Any(p => !Near(p.Central, p.Heaviside)))
            parts.Add($"within one step of the kink (x = {string.Join(", ", near.Select(p => F(p.X)))}) the central quotients " +
                      $"({string.Join(", ", near.Select(p => F(p.Central)))}) are neither slope, " +
                      "which is why every input above is kept a kink gap away from every non-differentiable point");
        return parts.Count == 0 ? "" : char.ToUpperInvariant(parts[0][0]) + parts[0][1..] + (parts.Count > 1 ? "; " + string.Join("; ", parts.Skip(1)) : "") + ".";
    }

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-9;

    /// <summary>The growth exponents of the two softmax vector-Jacobian products and their speed ratio at the largest n.</summary>
    internal static string VjpSentence(IReadOnlyList<VjpTiming> t)
    {
        if (t.Count < 2) return "";
        var (a, b) = (t[0], t[^1]);
        double span = Math.Log((double)b.N / a.N);
        double denseExp = Math.Log(b.DenseMicroseconds / a.DenseMicroseconds) / span, fastExp = Math.Log(b.LinearMicroseconds / a.LinearMicroseconds) / span;
        double ratio = b.DenseMicroseconds / b.LinearMicroseconds, worst = t.Max(v => v.RelError);
        string speed = ratio > 1 ? $"{F(ratio)}× faster than" : $"not faster than ({F(ratio)}×)";
        return $"From n = {a.N} to n = {b.N} the dense product's time grows like n^{F(denseExp)} and the O(n) product's like n^{F(fastExp)}; " +
               $"at n = {b.N} the O(n) product is {speed} the dense one, and the two agree to {F(worst)} (relative error).";
    }

    public override void Report(LabReport report, LayerGradientsSettings s, LayerGradientsResult r)
    {
        report.Paragraph(
            "For every explicit-backprop layer and loss of `Nabla.Course.Layers` (the EECS 498 / cs231n `layers.py`) and for the seeds' " +
            "small networks, this lab prints the gradient the assignments ask students to derive and evaluates it four ways in float64: " +
            "**(a)** the closed form, coded in the lab from the formula printed above its table; **(b)** the explicit layer's `Backward`; " +
            "**(c)** Nabla's autograd through the equivalent library op(s); **(d)** central finite differences " +
            $"{s.Fd.Formula} with h = {F(s.Step)} ({Stencil(s.Stencil)}), of the explicit layer's forward unless the section says otherwise. " +
            "Each error is cs231n's `rel_error`, max_i |u_i − v_i| / max(|u_i| + |v_i|, 1e-8); columns compare (a) with (b), (c), (d), " +
            "and the last column is the largest error over every pair of the columns that exist (– where a column does not exist). " +
            "Tensor-valued layers are reduced with a random upstream gradient ∂L/∂Y (L = Σ Y ⊙ ∂L/∂Y), so every output element is checked.");
        report.Paragraph(Headline(r.Sections) + " " + LimitingColumn(r.Sections));
        report.Table(["section", "answers", "gradients", "max rel. error", "reading"],
            r.Sections.Select(x => (IReadOnlyList<object>)[$"[{x.Key}](#{x.Key})", x.Items, x.Rows.Count, x.Max, Verdict(x.Max)]));
        report.Metric("max-rel-error", r.MaxError).Metric("gradients", r.RowCount).Metric("seconds", r.Seconds);
        foreach (var x in r.Sections) report.Metric($"max-rel-error.{x.Key}", x.Max);

        report.Heading("Audit rows covered");
        report.Table(["audit row", "item", "sections", "max rel. error"], Coverage.Select(c => (IReadOnlyList<object>)[
            c.Item, c.What, string.Join(", ", c.Sections), c.Sections.Select(k => r.Sections.FirstOrDefault(x => x.Key == k)?.Max ?? double.NaN).Max()]));

        foreach (var x in r.Sections)
        {
            report.Heading($"<a id=\"{x.Key}\"></a>{x.Title} ({x.Items})");
            report.Code(x.Formula);
            report.Paragraph("Inputs: " + x.Inputs + ".");
            report.Table(["gradient", "shape", "(a) vs (b) layer", "(a) vs (c) autograd", "(a) vs (d) finite diff.", "max over all pairs"],
                x.Rows.Select(row => (IReadOnlyList<object>)[row.Gradient, row.Shape, row.ClosedVsLayer, row.ClosedVsAutograd, row.ClosedVsNumeric, row.Max]));
            if (x.Key == "relu") ReportKink(report, r);
            if (x.Key == "vjp") ReportVjp(report, r);
        }
        report.Paragraph(
            $"Inputs are kept at least {F(r.KinkGap)} from every non-differentiable point (ReLU at 0, max-pool ties, hinge margins at 0, |h| at 0): " +
            "there the layer, the library and the closed form all use the subgradient of PyTorch, while a central difference straddling the " +
            "kink measures the average of the two slopes (see the ReLU table). Random inputs come from the run's seed, one generator stream per section. " +
            $"Run time {F(r.Seconds)} s.");
    }

    private static void ReportKink(LabReport report, LayerGradientsResult r)
    {
        report.Paragraph("ReLU at and around its kink (IFT6135 Q1.1: H(x) = 1 for x > 0, ½ at 0, 0 for x < 0), with the step h of the finite differences:");
        report.Table(["x", "H(x)", "autograd ReLU′", "layer ReLU′", "left (g(x) − g(x − h))/h", "right (g(x + h) − g(x))/h", "central"],
            r.ReluAtKink.Select(p => (IReadOnlyList<object>)[p.X, p.Heaviside, p.Autograd, p.Layer, p.Left, p.Right, p.Central]));
        report.Paragraph(KinkSentence(r.ReluAtKink));
    }

    private static void ReportVjp(LabReport report, LayerGradientsResult r)
    {
        report.Paragraph("The softmax vector-Jacobian product timed at larger n (best of 3 runs; the dense product allocates nothing inside the timing, " +
                         "it rebuilds diag(S) − SSᵀ in a reused buffer, n² multiply-adds, then multiplies; the O(n) product is one dot product and n products):");
        report.Table(["n", "dense (∂S/∂x)ᵀg, µs", "S ⊙ (g − ⟨g, S⟩), µs", "dense / O(n)", "rel. error"],
            r.VjpTimings.Select(t => (IReadOnlyList<object>)[t.N, t.DenseMicroseconds, t.LinearMicroseconds, t.DenseMicroseconds / t.LinearMicroseconds, t.RelError]));
        report.Paragraph(VjpSentence(r.VjpTimings));
    }

    private static string Stencil(DifferenceStencil k) => k == DifferenceStencil.FivePoint
        ? "the five-point central stencil: truncation error O(h⁴), so h can be large enough that round-off, O(ε·|f|/h), stays near 1e-13; " +
          "cs231n's two-point stencil (f(x + h) − f(x − h))/2h is `--set stencil=two-point --set step=1e-5`, whose O(h²) + O(ε/h) error reaches " +
          "~1e-7 relative on elements whose gradient happens to be near 0"
        : "cs231n's two-point stencil: truncation error O(h²), round-off O(ε·|f|/h), so about 1e-10 absolute at h = 1e-5 — up to ~1e-7 " +
          "relative on elements whose gradient happens to be near 0";

    private static string F(double v) => LabReport.Format(v);
}
