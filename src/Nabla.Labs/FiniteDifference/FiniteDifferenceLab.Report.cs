using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class FiniteDifferenceLab
{
    public override void Report(LabReport report, FiniteDifferenceSettings s, FiniteDifferenceLabResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var (r64, r32) = (r.Float64, r.Float32);
        var (e64, e32) = (r64.MaxError, r32.MaxError);
        int p = s.Weights;
        report.Paragraph($"""
            **Model and training.** MLP {string.Join("-", [784, .. s.Hidden, 10])} with ReLU, Glorot-uniform weights, trained
            {s.Epochs} epoch(s) with plain SGD (learning rate {s.LearningRate}, batch {s.BatchSize}) on {r.TrainCount:N0}
            standardised MNIST images: validation accuracy {100 * r.ValAccuracy:F2}%. The trained float32 parameters are then
            copied to a float64 twin of the network.
            **Check.** One training image, x = training example #{r.ExampleIndex} (label {r.Label}; {ExampleSays(r.SmoothInFit, s.SlopeFrom, r.Z0)}), loss
            L = {r64.Loss.ToString("G6", inv)}. θ_1 … θ_{p} are {p} weights of the first layer's W₁ [{s.Hidden[0]}, 784]: those of hidden
            unit 0 on the pixels j = {string.Join(", ", r.Pixels)} (row 0, columns j), chosen among the pixels that are
            foreground in this image so that their values are pairwise distinct and spread from the faintest to the brightest
            stroke: x_j = {string.Join(", ", r.PixelValues.Select(v => v.ToString("0.###", inv)))} after standardisation
            (background is {Background.ToString("0.####", inv)}). Since ∂L/∂W₁[0, j] = δ₀·x_j with δ₀ = ∂L/∂z₀, the {p} true gradients
            then differ. {LiteralSays(r.FirstPixelValues)} For each N, ε = 1/N and
            ∇_i^N = (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε, compared with the backprop gradient ∂L/∂θ_i of the same network.
            """);
        report.Paragraph($"Backprop gradients (float64): ∂L/∂θ_i = [{string.Join(", ", r64.Backprop.Select(g => g.ToString("G6", inv)))}]. " +
                         BackpropSays(r64.Backprop, r.PixelValues));
        report.Heading("Error against N");
        report.Table(["N", "ε = 1/N", "max_i error (float64)", "max_i error (float32)", "∇_1^N (float64; backprop " + r64.Backprop[0].ToString("G12", inv) + ")",
                "ReLUs switching within θ_i ± ε (summed over i)"],
            s.Ns.Select((n, k) => (IReadOnlyList<object>)[n, 1.0 / n, e64[k], e32[k], r64.Numeric[k][0].ToString("G12", inv), r.SwitchedRelus[k]]));
        var chart = new LineChart { Title = $"Central difference vs backprop: max error over {p} weights", XLabel = "N (ε = 1/N)", YLabel = "max_i |∇_i^N − ∂L/∂θ_i|", LogX = true, LogY = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        var nd = s.Ns.Select(n => (double)n).ToArray();
        chart.Add("float64", nd, e64).Add("float32", nd, e32);
        int anchor = Enumerable.Range(0, s.Ns.Length).MinBy(k => Math.Abs(Math.Log(s.Ns[k]) - Math.Log(s.SlopeTo)));
        chart.Add("∝ N⁻² (reference)", nd, nd.Select(n => e64[anchor] * Math.Pow(nd[anchor] / n, 2)).ToArray());
        chart.SavePng(report.PathOf("fd_error.png"));
        report.Figure("fd_error.png", $"max_i |∇_i^N − ∂L/∂θ_i| against N on log-log axes, float64 and float32, with a slope −2 reference line through the float64 point at N = {s.Ns[anchor]}.");

        report.Heading("Discussion");
        report.Paragraph(Discussion(s, r));
        if (s.SlopeFrom != 10 || s.SlopeTo != 100)   // the fit range before 2026-12: kept for comparison when both ends are measured
            if (s.Ns.Contains(10) && s.Ns.Contains(100)) report.Metric("slope_float64_N10_to_N100", LogLogSlope(s.Ns, e64, 10, 100));
        report.Metric("distinct_backprop_gradients", DistinctCount(r64.Backprop)).Metric("max_abs_pixel_value", r.PixelValues.Max(Math.Abs));
        report.Metric("val_accuracy", r.ValAccuracy).Metric("loss", r64.Loss).Metric("backprop_grad_0", r64.Backprop[0])
              .Metric($"slope_float64_N{s.SlopeFrom}_to_N{s.SlopeTo}", r.Slope).Metric("best_N_float64", s.Ns[Array.IndexOf(e64, e64.Min())]);
        for (int k = 0; k < s.Ns.Length; k++) report.Metric($"max_error_float64_N{s.Ns[k]}", e64[k]).Metric($"max_error_float32_N{s.Ns[k]}", e32[k]);
    }

    private static string F(double v) => LabReport.Format(v);

    private static string Discussion(FiniteDifferenceSettings s, FiniteDifferenceLabResult r)
    {
        int[] ns = s.Ns;
        double[] e64 = r.Float64.MaxError, e32 = r.Float32.MaxError;
        int k32 = Array.IndexOf(e32, e32.Min());
        double b = r.PixelValues.Max(Math.Abs);
        return string.Create(CultureInfo.InvariantCulture, $"""
            **Truncation regime.** Taylor's theorem gives L(θ ± ε) = L ± εL' + ε²L''/2 ± ε³L'''/6 + …, so the central
            difference is L' + ε²L'''/6 + O(ε⁴): the even terms cancel and the error falls like ε² = N⁻², a slope of −2
            on the log-log plot. The float64 curve has a fitted slope of {r.Slope:F2} between N = {s.SlopeFrom} and N = {s.SlopeTo}
            ({SlopeSays(r.Slope)}). The expansion needs L to be smooth on [θ − ε, θ + ε]: moving W₁[0, j] by ε moves z₀ by
            ε·x_j (|x_j| up to {b:0.###} here) and, through h₀, every second-layer pre-activation, and a ReLU whose input
            changes sign inside the interval is a kink where L has no derivative. {KinkSays(ns, r.SwitchedRelus, e64)}

            **Round-off regime.** Each evaluation of L carries a rounding error of order u·(size of the numbers summed:
            784-term dot products, logits), with u ≈ 1.1·10⁻¹⁶ in float64 and 6·10⁻⁸ in float32, and dividing the
            difference of two such values by 2ε amplifies it like 1/ε = N. The total error ≈ ε²|L'''|/6 + C·u/ε is
            smallest near ε ∝ u^(1/3) and grows beyond. The float32 error is smallest ({F(e32[k32])}) at N = {ns[k32]} and is
            {F(e32[^1])} at N = {ns[^1]}, where θ ± ε itself is also rounded to a 24-bit mantissa.{Flat32Says(ns, r.Float32.Numeric)}
            {RoundOff64Says(ns, e64)} {PrecisionSays(e64.Min(), e32.Min())}
            """);
    }

    /// <summary>How the example was chosen: whether some candidate kept every ReLU on one side within the fit's steps.</summary>
    public static string ExampleSays(bool smooth, int slopeFrom, double z0) => smooth
        ? $"of the first {Candidates} training images, those on which hidden unit 0 is active (z₀ > 0, so that the gradients below are not trivially zero) and in which no ReLU of the network switches on or off within the steps of the slope fit, ε ≤ 1/{slopeFrom}, the one with the largest z₀ = {z0.ToString("G4", CultureInfo.InvariantCulture)}"
        : $"of the first {Candidates} training images, those on which hidden unit 0 is active (z₀ > 0, so that the gradients below are not trivially zero), the one with the largest z₀ = {z0.ToString("G4", CultureInfo.InvariantCulture)}; in every candidate some ReLU switches within the steps of the slope fit (ε ≤ 1/{slopeFrom}), so the fit straddles kinks";

    /// <summary>What the assignment's literal θ_1:p (the first p weights of W₁ in row-major order, i.e. hidden unit 0 on
    /// pixels 0 … p−1) would have checked in this image: one gradient value when those pixels all have the same value.</summary>
    public static string LiteralSays(double[] firstPixelValues)
    {
        int p = firstPixelValues.Length;
        return DistinctCount(firstPixelValues) == 1
            ? string.Create(CultureInfo.InvariantCulture,
                $"(The assignment's literal θ_1:{p}, the first {p} weights of W₁ in row-major order, multiply pixels 0 … {p - 1}, which all have the value {firstPixelValues[0]:0.####} in this image, so their {p} true gradients would be one and the same number.)")
            : $"(The assignment's literal θ_1:{p}, the first {p} weights of W₁ in row-major order, multiply pixels 0 … {p - 1}, which take {DistinctCount(firstPixelValues)} different values in this image.)";
    }

    /// <summary>Number of pairwise distinct values (relative tolerance 10⁻¹²).</summary>
    public static int DistinctCount(double[] v)
    {
        var kept = new List<double>();
        foreach (double a in v)
            if (!kept.Any(k => Math.Abs(k - a) <= 1e-12 * Math.Max(Math.Abs(a), 1e-300))) kept.Add(a);
        return kept.Count;
    }

    /// <summary>The backprop gradients of hidden unit 0's weights are δ₀·x_j: whether they are pairwise distinct, and
    /// whether every ratio ∂L/∂θ_i / x_j is the same δ₀ (relative spread below 10⁻⁹).</summary>
    public static string BackpropSays(double[] backprop, double[] pixelValues)
    {
        int distinct = DistinctCount(backprop);
        var ratios = backprop.Zip(pixelValues, (g, x) => g / x).ToArray();
        double delta = ratios.Average(), spread = ratios.Max(q => Math.Abs(q - delta)) / Math.Max(Math.Abs(delta), 1e-300);
        string ratio = spread < 1e-9
            ? string.Create(CultureInfo.InvariantCulture, $"and each divided by its x_j gives the same δ₀ = {delta:G6}, as ∂L/∂W₁[0, j] = δ₀·x_j says")
            : string.Create(CultureInfo.InvariantCulture, $"but ∂L/∂θ_i / x_j is not one constant (relative spread {spread:G3}): these are not all weights of one unit");
        return distinct == backprop.Length
            ? $"They are {distinct} different values, {ratio}."
            : $"Only {distinct} of the {backprop.Length} values are different, {ratio}: pixels with equal values give equal gradients.";
    }

    /// <summary>Whether the fitted truncation slope is within 0.15 of the −2 that Taylor's theorem predicts.</summary>
    public static string SlopeSays(double slope) => Math.Abs(slope + 2) < 0.15
        ? "it follows the reference line"
        : "away from the −2 of the reference line: the fit range is not purely in the truncation regime";

    /// <summary>At which N a ReLU switches within θ_i ± ε (<paramref name="switched"/>[k] &gt; 0), and what the error does there.</summary>
    public static string KinkSays(int[] ns, int[] switched, double[] e64)
    {
        int[] kinked = ns.Where((n, k) => switched[k] > 0).ToArray();
        if (kinked.Length == 0)
            return $"No ReLU switches within θ_i ± ε at any N here, so every point lies on the smooth side; the error at N = {ns[0]} ({F(e64[0])}) still carries the higher-order terms of the expansion.";
        int last = Array.IndexOf(ns, kinked.Max());
        string head = $"Here some ReLU switches within the interval for N ≤ {kinked.Max()} (the table's last column): there the central difference straddles a kink";
        int next = Enumerable.Range(last + 1, ns.Length - last - 1).FirstOrDefault(k => switched[k] == 0, -1);
        if (next < 0) return head + ".";
        double law = e64[next] * Math.Pow((double)ns[next] / ns[last], 2);   // the ε² line through the first smooth point
        return law > 0 && e64[last] > 10 * law
            ? head + $", and the error at N = {ns[last]} ({F(e64[last])}) is {e64[last] / law:0}× what the ε² law through N = {ns[next]} predicts ({F(law)})."
            : head + $", yet the error at N = {ns[last]} ({F(e64[last])}) stays within 10× of the ε² law through N = {ns[next]} ({F(law)}).";
    }

    /// <summary>The N from which the float32 difference is exactly 0 for every weight (L(θ ± ε) round to the same float32).</summary>
    public static string Flat32Says(int[] ns, double[][] numeric32)
    {
        int[] zero = ns.Where((n, k) => numeric32[k].All(v => v == 0)).ToArray();
        return zero.Length > 0
            ? $" For N ≥ {zero.Min()} the float32 difference is exactly 0: L(θ + ε) and L(θ − ε) round to the same float32 number, so the error equals the gradient itself."
            : "";
    }

    /// <summary>Whether the float64 error reaches its minimum early enough (two or more Ns before the end) to show the
    /// round-off regime.</summary>
    public static string RoundOff64Says(int[] ns, double[] e64)
    {
        int k = Array.IndexOf(e64, e64.Min());
        return k <= ns.Length - 3
            ? $"In float64 the same happens much later: the error is smallest ({F(e64[k])}) at N = {ns[k]} and then grows again " +
              $"(fitted slope {LogLogSlope(ns, e64, ns[k], ns[^1]).ToString("F2", CultureInfo.InvariantCulture)}; about +1 is expected, round-off being erratic) up to " +
              $"{F(e64[^1])} at N = {ns[^1]}: the round-off regime is visible at the end of the range."
            : $"In float64 the error is still falling near N = {ns[^1]} ({F(e64[^1])}): the round-off regime lies beyond this range.";
    }

    /// <summary>Whether float64 gets at least a hundred times closer to backprop than float32 can.</summary>
    public static string PrecisionSays(double best64, double best32) => best64 * 100 < best32
        ? $"That is why the check is done in float64: its finite differences come within {F(best64)} of backprop, enough to validate the gradient to many digits, whereas in float32 they never get closer than {F(best32)}."
        : $"Here float64 ({F(best64)}) does not get much closer to backprop than float32 ({F(best32)}).";
}
