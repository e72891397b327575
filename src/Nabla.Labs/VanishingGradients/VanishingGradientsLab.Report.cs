using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class VanishingGradientsLab
{
    public override void Report(LabReport report, VanishingGradientsSettings s, VanishingGradientsResult r)
    {
        int L = s.Depth;
        string sigmas = string.Join(", ", r.Sigmas.Select(Sigma));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Network: h_k = W·h_(k−1) for k = 1..{L}, width D = {s.Width}, no biases or nonlinearities, one weight
            matrix W = U·Σ·Vᵀ shared by every layer. U and V are random orthogonal matrices from modified Gram–Schmidt
            (run twice) on D×D standard-normal matrices drawn with seed {r.Seed}; max |QᵀQ − I| = {r.OrthogonalityError:0.#e+0}.
            Σ = σ·I with σ ∈ {"{"}{sigmas}{"}"}, so every singular value of W equals σ. The input h_0 is a standard-normal
            vector; the output y = h_{L} is scored by E = gᵀy with g a random unit vector, so ‖∂E/∂y‖ = 1. We run
            E.Backward() in float64 and read ∂E/∂h_k for every layer from the autograd engine (a zero leaf tensor p_k
            is added to each h_k; its gradient is ∂E/∂h_k, and ∂E/∂h_0 is the gradient of the input leaf).
            Closed form: ∂E/∂h_k = (Wᵀ)^({L}−k)·g and Wᵀ = σ·V·Uᵀ is σ times an orthogonal matrix, so
            ‖∂E/∂h_k‖ = σ^({L}−k) exactly, independent of U, V, h_0 and g.
            """));

        for (int i = 0; i < r.Sigmas.Count; i++)
        {
            string key = r.Sigmas[i].ToString(CultureInfo.InvariantCulture);
            report.Metric($"sigma_{key}_norm_h0", r.Norms[i][0]);
            report.Metric($"sigma_{key}_norm_h{L / 2}", r.Norms[i][L / 2]);
        }
        report.Metric("max_relative_error_vs_closed_form", r.MaxRelativeError);
        report.Metric("orthogonality_error", r.OrthogonalityError);

        string spreadLabel = $"σ ∈ [{Sigma(s.SpreadMin)}, {Sigma(s.SpreadMax)}]";
        report.Heading("Gradient norm per layer");
        report.Table(["layer k", $"{L} − k", .. r.Sigmas.SelectMany(x => new[] { $"σ = {Sigma(x)}: ‖∂E/∂h_k‖", "rel. error" }), $"{spreadLabel}: ‖∂E/∂h_k‖"],
            ShownLayers(L).Select(k => (IReadOnlyList<object>)
            [
                k, L - k,
                .. r.Sigmas.SelectMany((x, i) => new object[] { r.Norms[i][k], RelativeError(r.Norms[i][k], Math.Pow(x, L - k)) }),
                r.SpreadNorms[k],
            ]));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Largest relative difference from σ^({L}−k) over all {L + 1} layers and the {r.Sigmas.Count} cases: {r.MaxRelativeError:0.##e+0}."));

        var layers = Enumerable.Range(0, L + 1).Select(k => (double)k).ToArray();
        var chart = new LineChart { Title = $"‖∂E/∂h_k‖ through {L} linear layers (D = {s.Width})", XLabel = "layer k", YLabel = "‖∂E/∂h_k‖", LogY = true, LegendAlignment = ScottPlot.Alignment.UpperRight };
        foreach (int i in Enumerable.Range(0, r.Sigmas.Count).OrderByDescending(i => r.Sigmas[i]))
            chart.Add($"Σ = {Sigma(r.Sigmas[i])}I ({Regime(r.Norms[i][0])}: {Sigma(r.Sigmas[i])}^({L}−k))", layers, r.Norms[i]);
        chart.Add($"singular values spread over [{Sigma(s.SpreadMin)}, {Sigma(s.SpreadMax)}]", layers, r.SpreadNorms);
        chart.SavePng(report.PathOf("gradient_norms.png"));
        report.Figure("gradient_norms.png", $"Norm of the gradient reaching each layer (log scale); the output is layer {L}, where the norm is 1.");

        report.Heading("Discussion");
        report.Paragraph(string.Join(" ", new[]
        {
            $"Backpropagation multiplies the upstream gradient by Wᵀ once per layer. With every singular value equal to σ, each multiplication " +
            $"scales the norm by exactly σ, so after {L} layers the gradient at the input is σ^{L}:",
            string.Join("; ", r.Sigmas.Select((x, i) => RegimeVerdict(x, r.Norms[i][0], L))) + ".",
            ClosedFormVerdict(r.MaxRelativeError, L),
            "The straight lines on the log plot are the geometric law: slope log₁₀σ per layer.",
            SpreadVerdict(r.SpreadNorms[0], s.SpreadMin, s.SpreadMax, L),
            "The lesson for deep networks is that the depth acts as an exponent: keeping the per-layer Jacobian's singular values near 1 " +
            "(orthogonal or variance-preserving initialisation, normalisation layers, residual connections) is what lets a gradient reach the first layers intact.",
        }));
    }

    private static string Sigma(double x) => x == 0.5 ? "½" : x.ToString(CultureInfo.InvariantCulture);

    /// <summary>The layers listed in the table: L, L−1, L−5, L−10, L−20, L/2, L−30, L−40, 1, 0 (those in range).</summary>
    public static int[] ShownLayers(int depth) =>
        new[] { depth, depth - 1, depth - 5, depth - 10, depth - 20, depth / 2, depth - 30, depth - 40, 1, 0 }
            .Where(k => k >= 0 && k <= depth).Distinct().OrderDescending().ToArray();

    /// <summary>"vanishes", "explodes" or "is preserved", from the measured norm at the input (factor 10³ either way).</summary>
    public static string Regime(double normAtInput) =>
        normAtInput < 1e-3 ? "vanishes" : normAtInput > 1e3 ? "explodes" : Math.Abs(Math.Log10(normAtInput)) < 0.01 ? "preserved" : normAtInput < 1 ? "shrinks" : "grows";

    /// <summary>One σ case in words, from the measured norm at the input.</summary>
    public static string RegimeVerdict(double sigma, double normAtInput, int depth)
    {
        string at = string.Create(CultureInfo.InvariantCulture, $"σ = {Sigma(sigma)} gives ‖∂E/∂h_0‖ = {LabReport.Format(normAtInput)}");
        return Regime(normAtInput) switch
        {
            "vanishes" => at + " (vanishing: the first layers receive essentially no learning signal)",
            "explodes" => at + " (exploding: one step would destroy the weights)",
            "preserved" => at + $" (preserved at every depth{(sigma == 1 ? ": W is orthogonal" : "")})",
            "shrinks" => at + $" (it shrinks, but not yet to nothing over {depth} layers)",
            _ => at + $" (it grows, but not yet beyond use over {depth} layers)",
        };
    }

    /// <summary>Whether autograd reproduces σ^(L−k) to rounding (10⁻¹⁰ relative) or not.</summary>
    public static string ClosedFormVerdict(double worst, int depth) => worst < 1e-10
        ? string.Create(CultureInfo.InvariantCulture, $"Autograd reproduces σ^({depth}−k) to {worst:0.#e+0} relative error, float64 rounding accumulated over {depth} matrix products.")
        : string.Create(CultureInfo.InvariantCulture, $"Autograd differs from σ^({depth}−k) by up to {worst:0.#e+0} relative error, more than float64 rounding over {depth} products: the closed form is not reproduced.");

    /// <summary>Whether the spread case's input gradient lies between the bounds min^L and max^L.</summary>
    public static string SpreadVerdict(double normAtInput, double min, double max, int depth)
    {
        double lo = Math.Pow(min, depth), hi = Math.Pow(max, depth);
        string head = $"When the singular values are spread over [{Sigma(min)}, {Sigma(max)}] (last column) the norm depends on how the directions line up from layer to layer; " +
                      $"here it ends at ‖∂E/∂h_0‖ = {normAtInput.ToString("0.##e+0", CultureInfo.InvariantCulture)}";
        return normAtInput >= lo * (1 - 1e-9) && normAtInput <= hi * (1 + 1e-9)
            ? head + $", between the bounds {LabReport.Format(lo)} and {LabReport.Format(hi)}."
            : head + $", outside the bounds {LabReport.Format(lo)} and {LabReport.Format(hi)}, which no product of such matrices can do.";
    }
}
