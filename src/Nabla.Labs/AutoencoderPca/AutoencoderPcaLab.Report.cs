using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class AutoencoderPcaLab
{
    public override void Report(LabReport report, AutoencoderPcaSettings s, AutoencoderPcaResult r)
    {
        report.Paragraph($"""
            Workbook Q18e: *What is the similarity between an autoencoder and PCA? How are the two different? What constraint
            would you apply to an autoencoder to make it similar to PCA?* **Data.** MNIST pixels scaled to [0, 1] and centred by
            their training mean μ ({r.TrainCount:N0} training and {r.TestCount:N0} test images, D = {r.Dimensions}). **PCA** is
            computed here: the covariance C = (X − μ)ᵀ(X − μ)/(N − 1) in float64 and its full eigen-decomposition (Householder
            tridiagonalisation + implicit QL, {r.PcaSeconds:F1} s); total variance {F(r.TotalVariance)}, λ₁ = {F(r.Eigenvalues[0])}.
            **Linear autoencoders** x̂ = W_dec(W_enc x + b_enc) + b_dec, no non-linearity, trained on the mean squared error by
            Adam (learning rate {s.LearningRate} annealed to 0 by a cosine, batch {s.BatchSize}, {s.Epochs} epochs) through the library's `Trainer`, in
            two forms: *untied* (W_enc and W_dec free) and *tied* (W_dec = W_encᵀ). Errors are per image, Σ_d (x̂_d − x_d)², averaged
            over the images.
            """);
        report.Paragraph("""
            **The constraint.** With a linear encoder and decoder, the squared error and centred data, the best rank-k
            reconstruction of the training set is the projection onto the span of the top k principal components U_k
            (Eckart–Young), and every minimum of the autoencoder's loss is such a projection (Baldi & Hornik 1989: no other local
            minima, only saddle points): W_dec spans U_k and W_enc is its pseudo-inverse. The autoencoder learns the *subspace*, not
            the components: replacing W_dec by W_dec·A and W_enc by A⁻¹·W_enc (any invertible k×k A; an orthogonal A when the
            weights are tied) gives the same x̂ and the same loss, so nothing in the loss picks the principal directions or their
            order. **The differences.** PCA is a closed-form eigen-problem that also returns ordered, orthonormal components and
            their variances; the autoencoder is fitted by gradient descent, converges slowly along directions whose variances are
            close, and, given non-linear layers, can represent curved manifolds that no linear projection reaches.
            """);

        report.Heading("PCA");
        report.Table(["k", "share of the variance", "training error = (N−1)/N·Σ_{i>k} λ_i", "training error, measured", "test error", "λ_k/λ_{k+1}"],
            r.Runs.Select(x => (IReadOnlyList<object>)[x.K, Pct(x.ExplainedVariance), x.PcaTrainFromEigenvalues, x.PcaTrainError, x.PcaTestError, x.EigenGap]));
        report.Paragraph(EigenCheckSays(r.Runs.Max(x => Math.Abs(x.PcaTrainError / x.PcaTrainFromEigenvalues - 1))));

        report.Heading("Linear autoencoders against PCA");
        report.Table(["k", "weights", "AE training error (excess over PCA's optimum)", "AE test error", "PCA test error",
                "largest / mean principal angle", "mean best |cos| of a column with a component", "max |cos| between columns",
                "column norms", "run"],
            r.Runs.SelectMany(x => new[] { x.Untied, x.Tied }.Select(a => (IReadOnlyList<object>)[x.K, a.Tied ? "tied" : "untied",
                $"{F(a.TrainError)} ({Excess(a.TrainError, x.PcaTrainError)})", a.TestError, x.PcaTestError,
                $"{Deg(a.AnglesDegrees[^1])} / {Deg(a.AnglesDegrees.Average())}", a.BestMatchCos.Average(), a.MaxColumnCos,
                $"{N4(a.MinColumnNorm)}–{N4(a.MaxColumnNorm)}", a.Outcome])));
        report.Paragraph("""
            *Principal angles* θ_1 ≤ … ≤ θ_k between span(decoder columns) and span(U_k): both bases orthonormalised by Gram–Schmidt
            (Q₁, Q₂), cos θ_i the singular values of Q₁ᵀQ₂ (0° for all i: the same subspace). *Best |cos|*: for each decoder column,
            its largest |cosine| with one of the top-k components (1 would mean the column *is* a component).
            """);

        var angles = new LineChart { Title = "Principal angles between the autoencoder's decoder and the PCA subspace", XLabel = "index i", YLabel = "θ_i (degrees)", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.UpperLeft };
        foreach (var x in r.Runs)
            foreach (var a in new[] { x.Untied, x.Tied })
                angles.Add($"k = {x.K}, {(a.Tied ? "tied" : "untied")}", a.AnglesDegrees);
        angles.SavePng(report.PathOf("principal_angles.png"));
        report.Figure("principal_angles.png", "Principal angles (ascending) for every code size and weight form.");

        var excess = new LineChart { Title = "Training error of the autoencoders relative to PCA's optimum", XLabel = "epoch", YLabel = "AE error / PCA error − 1 (log scale)", LogY = true, IntegerXTicks = true };
        foreach (var x in r.Runs)
            foreach (var a in new[] { x.Untied, x.Tied })
                excess.Add($"k = {x.K}, {(a.Tied ? "tied" : "untied")}", a.TrainLoss.Select(v => v / x.PcaTrainError - 1).ToArray());
        excess.SavePng(report.PathOf("excess_error.png"));
        report.Figure("excess_error.png", "Mean training loss of each epoch (with the weights moving during the epoch) over PCA's training error, minus 1.");

        var im = r.Images;
        int m = im.Pca.Length;
        var rows = im.Pca.Concat(im.Untied).Concat(im.Tied).Concat(im.Rotated).ToList();
        var captions = Enumerable.Range(1, m).Select(i => $"PCA u{i}").Concat(Enumerable.Range(1, m).Select(i => $"untied {i}"))
            .Concat(Enumerable.Range(1, m).Select(i => $"tied {i}")).Concat(Enumerable.Range(1, m).Select(i => $"rotated {i}")).ToList();
        ImageGrid.SavePng(report.PathOf("components.png"), rows, 1, 28, 28, new ImageGridOptions
        {
            Columns = m, CellSize = 80, Captions = captions, Scaling = ImageScaling.PerImage,
            Title = $"k = {im.K}: PCA components, decoder columns (untied, tied), untied after the k×k eigen-decomposition",
        });
        report.Figure("components.png", $"""
            Rows from the top: the first {m} principal components; the first {m} decoder columns of the untied and of the tied
            autoencoder with k = {im.K}; the untied autoencoder's directions after the k×k eigen-decomposition of its codes (sign
            matched to the component). Each image stretched to its own range (black = most negative).
            """);

        report.Heading("Discussion");
        foreach (var x in r.Runs)
        {
            int shown = Math.Min(x.K, s.ShownComponents);
            report.Paragraph($"""
                **k = {x.K}.** {SubspaceSays(x.Untied.AnglesDegrees[^1], x.Tied.AnglesDegrees[^1], x.Untied.AnglesDegrees.Average(), x.Tied.AnglesDegrees.Average(), r.Eigenvalues[x.K - 1], r.Eigenvalues[x.K], x.K)}
                {ErrorSays(x.Untied.TestError, x.Tied.TestError, x.PcaTestError)}
                {ComponentsSays(x.Untied.BestMatchCos.Average(), x.Untied.MaxColumnCos, x.Untied.AnglesDegrees.Average())}
                {TiedSays(x.Tied.MaxColumnCos, x.Tied.MinColumnNorm, x.Tied.MaxColumnNorm, x.Tied.BestMatchCos.Average())}
                {RitzSays(x.Untied.RotatedCos.Take(shown).ToArray(), r.Eigenvalues.Take(shown + 1).ToArray(), x.Untied.AnglesDegrees.Average())}
                """);
        }
        foreach (var x in r.Runs)
        {
            report.Metric($"k{x.K}_pca_test_error", x.PcaTestError).Metric($"k{x.K}_untied_test_error", x.Untied.TestError)
                  .Metric($"k{x.K}_tied_test_error", x.Tied.TestError).Metric($"k{x.K}_untied_max_angle_deg", x.Untied.AnglesDegrees[^1])
                  .Metric($"k{x.K}_tied_max_angle_deg", x.Tied.AnglesDegrees[^1]).Metric($"k{x.K}_untied_mean_best_cos", x.Untied.BestMatchCos.Average());
        }
        report.Paragraph($"Wall time: {r.Seconds:F0} s.");
    }

    // ---------------------------------------------------------------- rules: each sentence chosen by the numbers

    /// <summary>Whether the directly measured PCA training errors equal the eigenvalue formula (relative 1e-6: float64
    /// round-off of the covariance and the projection).</summary>
    public static string EigenCheckSays(double worstRelative) => worstRelative <= 1e-6
        ? $"The measured training errors equal (N − 1)/N·Σ_{{i>k}} λ_i to {F(worstRelative)} relative: the eigen-decomposition checks out (Eckart–Young: that sum is the smallest training error of any rank-k linear reconstruction)."
        : $"The measured training errors differ from (N − 1)/N·Σ_{{i>k}} λ_i by up to {F(worstRelative)} relative: the eigen-decomposition is not accurate.";

    /// <summary>Whether the autoencoders span the PCA subspace: largest angle ≤ 5° (same subspace); otherwise, when the mean
    /// angles are ≤ 5°, most of it with one loosely pinned direction — named with its error cost sin²θ·(λ_k − λ_{k+1}) when
    /// λ_k/λ_{k+1} &lt; 1.5; else (a mean angle above 5°) not converged.</summary>
    public static string SubspaceSays(double untiedMax, double tiedMax, double untiedMean, double tiedMean, double lambdaK, double lambdaNext, int k)
    {
        double worst = Math.Max(untiedMax, tiedMax);
        string both = $"(largest principal angle {Deg(untiedMax)} untied, {Deg(tiedMax)} tied; mean {Deg(untiedMean)} and {Deg(tiedMean)})";
        if (worst <= 5) return $"Both autoencoders span the top-{k} PCA subspace {both}: the linear autoencoder has found PCA's subspace.";
        double gap = lambdaK / lambdaNext;
        double sin = Math.Sin(worst * Math.PI / 180);
        string loose = gap < 1.5
            ? $" The variances λ_{k} and λ_{k + 1} are close (λ_{k}/λ_{k + 1} = {F(gap)}): tilting u_{k} by θ toward u_{k + 1} costs only " +
              $"sin²θ·(λ_{k} − λ_{k + 1}) = {F(sin * sin * (lambdaK - lambdaNext))} of error per image at θ = {Deg(worst)}, so the loss barely pins that direction and gradient descent settles it slowly."
            : "";
        if (Math.Max(untiedMean, tiedMean) <= 5)
            return $"The autoencoders span most of the top-{k} PCA subspace, but not all of it {both}.{loose}";
        return $"At least one autoencoder is far from the top-{k} PCA subspace {both}: it has not converged in these epochs.";
    }

    /// <summary>The autoencoders' test errors against PCA's (within 1 % counts as equal).</summary>
    public static string ErrorSays(double untied, double tied, double pca)
    {
        string Rel(double e) => Signed(e / pca - 1);
        bool equal = Math.Abs(untied / pca - 1) <= 0.01 && Math.Abs(tied / pca - 1) <= 0.01;
        return equal
            ? $"On the test images they reconstruct as well as PCA: {F(untied)} (untied) and {F(tied)} (tied) against {F(pca)}, within 1 % ({Rel(untied)}, {Rel(tied)})."
            : $"On the test images the errors are {F(untied)} (untied, {Rel(untied)}) and {F(tied)} (tied, {Rel(tied)}) against PCA's {F(pca)}.";
    }

    /// <summary>Whether the untied decoder's columns are the components themselves (mean best |cos| ≥ 0.99) or mixtures; when
    /// its subspace is not PCA's (mean principal angle above 5°) the columns cannot be components, and that is the reason given.</summary>
    public static string ComponentsSays(double meanBestCos, double maxColumnCos, double meanAngle)
    {
        if (meanBestCos >= 0.99) return $"The untied decoder's columns line up with individual components (mean best |cos| {F(meanBestCos)}).";
        if (meanAngle > 5)
            return $"The untied decoder's columns are not the components (mean best |cos| {F(meanBestCos)}), but here that says little: its subspace is not yet PCA's (mean angle {Deg(meanAngle)}).";
        string orthogonal = maxColumnCos > 0.05
            ? $"and they are not even orthogonal to each other (largest |cos| between two columns {F(maxColumnCos)})"
            : $"although they happen to be nearly orthogonal (largest |cos| between two columns {F(maxColumnCos)})";
        return $"But the untied decoder's columns are not the components: each is a mixture (mean best |cos| with any single component {F(meanBestCos)}), " +
               $"{orthogonal}: the loss cannot tell W_dec from W_dec·A.";
    }

    /// <summary>Whether the tied decoder's columns are orthonormal (|cos| ≤ 0.05 between columns, norms within 5 % of 1)
    /// and whether that made them the components (mean best |cos| ≥ 0.99).</summary>
    public static string TiedSays(double maxColumnCos, double minNorm, double maxNorm, double meanBestCos)
    {
        bool orthonormal = maxColumnCos <= 0.05 && minNorm >= 0.95 && maxNorm <= 1.05;
        string head = orthonormal
            ? $"Tying the weights makes the decoder's columns orthonormal (largest |cos| between columns {F(maxColumnCos)}, norms {N4(minNorm)}–{N4(maxNorm)}): at the optimum W·Wᵀ = I."
            : $"The tied decoder's columns are not orthonormal yet (largest |cos| between columns {F(maxColumnCos)}, norms {N4(minNorm)}–{N4(maxNorm)}).";
        string tail = meanBestCos >= 0.99
            ? $" Its columns also line up with individual components (mean best |cos| {F(meanBestCos)})."
            : $" Still they are a rotation of the components, not the components (mean best |cos| {F(meanBestCos)}): any orthogonal A leaves the tied loss unchanged too.";
        return head + tail;
    }

    /// <summary>How many of the first directions the k×k eigen-decomposition of the untied codes recovers (|cos| ≥ 0.99 with
    /// the matching component), naming the first one it misses and the eigenvalue ratios behind it, or the subspace when its
    /// mean principal angle is above 5°.</summary>
    public static string RitzSays(double[] rotatedCos, double[] eigenvalues, double meanAngle)
    {
        int m = rotatedCos.Length;
        int good = rotatedCos.Count(c => c >= 0.99);
        string cosines = string.Join(", ", rotatedCos.Select(c => c.ToString("0.0000", CultureInfo.InvariantCulture)));
        if (good == m)
            return $"A k×k eigen-decomposition of the codes' covariance inside the autoencoder's subspace turns its basis into the components: |cos(r_i, u_i)| = {cosines} for the first {m}. So the autoencoder plus one small PCA gives PCA.";
        int first = Array.FindIndex(rotatedCos, c => c < 0.99);
        string why = meanAngle > 5
            ? $": it can do no better than the subspace it is given, which is not yet PCA's (mean angle {Deg(meanAngle)})"
            : first + 1 < eigenvalues.Length && first > 0
            ? $"; direction {first + 1} has λ_{first + 1}/λ_{first} = {F(eigenvalues[first] / eigenvalues[first - 1])} and λ_{first + 1}/λ_{first + 2} = {F(eigenvalues[first] / eigenvalues[first + 1])}: close eigenvalues make the direction ill-determined, and any error in the subspace mixes them"
            : "";
        return $"A k×k eigen-decomposition of the codes' covariance inside the autoencoder's subspace recovers {good} of the first {m} components to |cos| ≥ 0.99 (|cos(r_i, u_i)| = {cosines}){why}.";
    }

    private static string Excess(double ae, double pca) => Signed(ae / pca - 1);

    /// <summary>A relative difference as a signed percentage with two decimals ("+0.00%" when it rounds to zero).</summary>
    public static string Signed(double relative)
    {
        double v = Math.Round(100 * relative, 2);
        return (v >= 0 ? "+" : "-") + Math.Abs(v).ToString("0.00", CultureInfo.InvariantCulture) + "%";
    }

    private static string N4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Deg(double degrees) => degrees.ToString(degrees < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + "°";

    private static string Pct(double a) => string.Create(CultureInfo.InvariantCulture, $"{100 * a:F2}%");

    private static string F(double v) => LabReport.Format(v);
}
