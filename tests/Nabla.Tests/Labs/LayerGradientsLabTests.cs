using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class LayerGradientsLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-layer-gradients-").FullName;
    private static readonly LayerGradientsLab Lab = new();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Quick_run_agrees_four_ways_below_1e7_on_every_row_and_reports_every_audit_row()
    {
        var r = Lab.Run(new LabContext(_dir, Quick: true));
        var sectionMetrics = r.Metrics.Where(kv => kv.Key.StartsWith("max-rel-error.", StringComparison.Ordinal)).ToList();
        Assert.Equal(LayerGradientsLab.Builders.Select(b => "max-rel-error." + b.Key).Order(), sectionMetrics.Select(kv => kv.Key).Order());
        foreach (var (key, err) in sectionMetrics) Assert.True(err < 1e-7, $"{key} = {err}");   // a section's max is the max of its rows
        Assert.True(r.Metrics["max-rel-error"] < 1e-7);
        Assert.True(r.Metrics["gradients"] >= 45);

        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains($"All {r.Metrics["gradients"]} gradients of the {LayerGradientsLab.Builders.Count} sections agree four ways", md);
        foreach (var item in new[] { "AMMI A1 Q1", "IFT6135 Q1.1", "IFT6135 Q2.1", "IFT6135 Q2.2", "IFT6135 Q2.3", "IFT6135 Q2.4", "24789 HW1 T-P3(a)",
                     "24789 HW1 T-P3(b)", "EECS498 HW1 Q1.1 derive", "EECS498 HW1 Q1.2 derive", "EECS498 HW1 Q1.3 derive", "EECS498 HW1 Q1.4 derive",
                     "EECS498 HW1 Q1.5 derive", "Workbook Q4", "Workbook Q19" })
            Assert.Contains($"| {item} |", md);
        foreach (var formula in new[] { "∂L/∂W = X̃ᵀ · ∂L/∂Y", "y(1 − y)", "diag(S(x)) − S(x) S(x)ᵀ", "S ⊙ (g − ⟨g, S⟩)", "(o − y)W₂ᵀ", "∂L/∂X = ∂L/∂Y *full rot180(W)", "Σ_n X_{n,c} *filt ∂L/∂Y_{n,f}" })
            Assert.Contains(formula, md);
        Assert.StartsWith("# Layer gradients: the closed forms, checked four ways — smoke run", File.ReadLines(r.ReportPath).First());
    }

    [Fact]
    public void A_wrong_closed_form_sigma_prime_equal_sigma_shows_a_large_error_in_every_column()
    {
        var right = LayerGradientsLab.Sigmoid(Lab.Quick, new Generator(5)).Rows.Single();
        var wrong = LayerGradientsLab.Sigmoid(Lab.Quick, new Generator(5), derivativeFromOutput: y => y).Rows.Single();
        Assert.True(right.Max < 1e-7);
        Assert.True(wrong.ClosedVsLayer > 1e-2 && wrong.ClosedVsAutograd > 1e-2 && wrong.ClosedVsNumeric > 1e-2, wrong.ToString());
        Assert.Equal("disagree", LayerGradientsLab.Verdict(wrong.Max));
        // The three independent columns still agree with one another, so only the closed form is to blame.
        Assert.Contains("sigmoid ∂E/∂x", LayerGradientsLab.Headline([new GradientSection("sigmoid", "", "", "", "", [wrong])]));
    }

    [Fact]
    public void Full_convolution_without_the_180_degree_rotation_is_caught()
    {
        var rows = LayerGradientsLab.ConvStride1(Lab.Quick, new Generator(3), LayerGradientsLab.FullForm.UnrotatedCorrelation).Rows;
        Assert.True(rows[0].Max < 1e-7, "the seed's *full (which flips) matches");
        Assert.True(rows[1].ClosedVsLayer > 1e-2 && rows[1].ClosedVsNumeric > 1e-2, rows[1].ToString());
        Assert.Contains("no rotation", rows[1].Gradient);
    }

    [Fact]
    public void Full_and_filt_follow_the_seed_definitions_and_full_is_correlation_with_the_rotated_kernel()
    {
        double[,] a = { { 1, 2 }, { 3, 4 } }, b = { { 1, 0 }, { 0, 2 } };
        Assert.Equal(new double[,] { { 1, 2, 0 }, { 3, 6, 4 }, { 0, 6, 8 } }, ConvIdentities.Full(a, b));   // a_ij + 2·a_{i−1,j−1}
        double[,] big = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } };
        Assert.Equal(new double[,] { { 11, 14 }, { 20, 23 } }, ConvIdentities.Filt(big, b));                // a_ij + 2·a_{i+1,j+1}
        var g = new Generator(11);
        var p = new double[4, 5];
        var k = new double[3, 2];
        for (int i = 0; i < p.Length; i++) p[i / 5, i % 5] = g.NextGaussian();
        for (int i = 0; i < k.Length; i++) k[i / 2, i % 2] = g.NextGaussian();
        var full = ConvIdentities.Full(p, k);
        var viaRotation = ConvIdentities.Filt(ConvIdentities.ZeroPad(p, 2, 1), ConvIdentities.Rot180(k));
        Assert.Equal((6, 6), (full.GetLength(0), full.GetLength(1)));
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.Equal(full[i, j], viaRotation[i, j], 12);
        Assert.Equal(new double[,] { { 1, 0, 2 }, { 0, 0, 0 }, { 3, 0, 4 } }, ConvIdentities.Dilate(a, 2, 2));
    }

    [Fact]
    public void Central_difference_stencils_have_their_textbook_truncation_error()
    {
        // f = x³ at x = 2, f′ = 12: the two-point quotient is exactly 3x² + h², the five-point one exact for a cubic.
        double h = 1e-2;
        var x = new[] { 2.0 };
        double two = GradientComparison.Numeric(() => x[0] * x[0] * x[0], x, new FiniteDifference(h, DifferenceStencil.TwoPoint))[0];
        double five = GradientComparison.Numeric(() => x[0] * x[0] * x[0], x, new FiniteDifference(h, DifferenceStencil.FivePoint))[0];
        Assert.Equal(12 + h * h, two, 10);
        Assert.Equal(12, five, 10);
        Assert.Equal(2.0, x[0]);   // restored
        // Outputs that x does not touch contribute exactly zero.
        var v = new[] { 0.3, -1.2 };
        var g = GradientComparison.Numeric(() => [Math.Sin(v[0]), 5.0], v, [1.0, 1.0], new FiniteDifference(1e-3, DifferenceStencil.FivePoint));
        Assert.Equal(0.0, g[1]);
        Assert.Equal(Math.Cos(0.3), g[0], 11);
    }

    [Fact]
    public void Cs231n_two_point_stencil_also_agrees_on_a_few_sections()
    {
        var s = Lab.Quick with { Stencil = DifferenceStencil.TwoPoint, Step = 1e-5 };
        foreach (var key in new[] { "affine", "eecs-batchnorm", "conv-strided", "mlp-24789" })
        {
            var section = LayerGradientsLab.Builders.Single(b => b.Key == key).Build(s, new Generator(1));
            Assert.True(section.Max < 1e-6, $"{key}: {section.Max}");
        }
    }

    [Fact]
    public void Relu_kink_table_shows_no_derivative_at_zero_and_heaviside_elsewhere()
    {
        var points = LayerGradientsLab.ReluAtKink(1e-3);
        var zero = points.Single(p => p.X == 0);
        Assert.Equal((0.0, 1.0, 0.5, 0.0, 0.5), (zero.Left, zero.Right, zero.Central, zero.Autograd, zero.Heaviside));
        string said = LayerGradientsLab.KinkSentence(points);
        Assert.Contains("are 0 (left) and 1 (right), so ReLU has no derivative there", said);
        Assert.Contains("the central quotient 0.5 equals the seed's H(0) = ½", said);
        Assert.Contains("away from 0 every column equals H(x)", said);
        Assert.Contains("(0.25, 0.75) are neither slope", said);
        // The rule follows the numbers: a table whose quotient at 0 were symmetric would not claim a kink.
        var smooth = points.Select(p => p with { Left = 0.5, Right = 0.5, Central = 0.5 }).ToList();
        Assert.Contains("both one-sided quotients are 0.5", LayerGradientsLab.KinkSentence(smooth));
    }

    [Fact]
    public void Report_rules_follow_the_numbers()
    {
        Assert.Equal("agree", LayerGradientsLab.Verdict(3e-9));
        Assert.Equal("agree loosely", LayerGradientsLab.Verdict(2e-7));
        Assert.Equal("doubtful", LayerGradientsLab.Verdict(1e-3));
        Assert.Equal("disagree", LayerGradientsLab.Verdict(0.4));
        GradientRow Row(string name, double layer, double fd) => new(name, "[2]", layer, double.NaN, fd, Math.Max(layer, fd));
        var good = new GradientSection("a", "", "", "", "", [Row("g1", 1e-15, 1e-11), Row("g2", 0, 2e-10)]);
        var bad = new GradientSection("b", "", "", "", "", [Row("g3", 0.5, 0.5)]);
        Assert.StartsWith("All 2 gradients of the 1 sections agree four ways", LayerGradientsLab.Headline([good]));
        Assert.Contains("is 2e-10", LayerGradientsLab.Headline([good]));
        Assert.StartsWith("1 of 3 gradients differ", LayerGradientsLab.Headline([good, bad]));
        Assert.Contains("b g3 (0.5, disagree)", LayerGradientsLab.Headline([good, bad]));
        Assert.DoesNotContain("only the finite differences are off", LayerGradientsLab.Headline([good, bad]));
        var fdOnly = new GradientSection("c", "", "", "", "", [Row("g4", 1e-14, 2e-7)]);
        Assert.Contains("only the finite differences are off: the closed form, the layer and autograd agree to 1e-14", LayerGradientsLab.Headline([fdOnly]));
        Assert.Contains("the finite differences are the loosest column (2e-10)", LayerGradientsLab.LimitingColumn([good]));
        Assert.Contains("agree as closely as the exact computations", LayerGradientsLab.LimitingColumn([bad]));

        var timings = new[] { new VjpTiming(100, 100, 10, 1e-15), new VjpTiming(1000, 10_000, 100, 2e-15) };
        string vjp = LayerGradientsLab.VjpSentence(timings);
        Assert.Contains("grows like n^2 and the O(n) product's like n^1", vjp);
        Assert.Contains("100× faster than the dense one", vjp);
        Assert.Contains("not faster than", LayerGradientsLab.VjpSentence([new VjpTiming(10, 1, 2, 0), new VjpTiming(20, 1, 2, 0)]));
    }

    [Theory]
    [InlineData("kernel", "3", "setting 'kernel' needs 2 values")]
    [InlineData("net", "4,0,3", "setting 'net' needs values ≥ 1")]
    [InlineData("kernel", "9,2", "must fit in the image")]
    [InlineData("stencil", "three-point", "not one of two-point, five-point")]
    public void Malformed_sizes_are_errors_naming_the_setting(string key, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Lab.Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { [key] = value })));
        Assert.Contains(message, e.Message);
    }
}
