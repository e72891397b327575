using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class VanishingGradientsLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-vanish-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const int Width = 16;

    [Fact]
    public void QuickRunWritesTheReportAndMatchesTheClosedForm()
    {
        string dir = _dir;
        {
            var r = new VanishingGradientsLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "gradient_norms.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            Assert.True(r.Metrics["max_relative_error_vs_closed_form"] < 1e-4);
            Assert.Equal(Math.Pow(0.5, 50), r.Metrics["sigma_0.5_norm_h0"], Math.Pow(0.5, 50) * 1e-4);
            Assert.Equal(Math.Pow(2, 50), r.Metrics["sigma_2_norm_h0"], Math.Pow(2, 50) * 1e-4);
            Assert.Equal(1, r.Metrics["sigma_1_norm_h25"], 1e-4);
            string md = File.ReadAllText(r.ReportPath);
            Assert.Contains("| 1 | 49 |", md);                       // AMMI A1 Q2.3/Q2.4 ask for layer 1
            Assert.Contains("(vanishing: the first layers", md);
            Assert.Contains("(exploding: one step", md);
            Assert.Contains("between the bounds", md);
        }
    }

    [Fact]
    public void OverridesChangeDepthWidthAndCases()
    {
        var r = new VanishingGradientsLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["depth"] = "10", ["width"] = "4", ["sigmas"] = "0.9,3", ["spread-min"] = "0.25", ["spread-max"] = "1",
        }));
        Assert.Equal(Math.Pow(0.9, 10), r.Metrics["sigma_0.9_norm_h0"], Math.Pow(0.9, 10) * 1e-10);
        Assert.Equal(Math.Pow(3, 5), r.Metrics["sigma_3_norm_h5"], Math.Pow(3, 5) * 1e-10);
        Assert.False(r.Metrics.ContainsKey("sigma_2_norm_h0"));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("width D = 4", md);
        Assert.Contains("σ ∈ [0.25, 1]: ‖∂E/∂h_k‖", md);
        Assert.Contains("(it shrinks, but not yet to nothing over 10 layers)", md);
        var e = Assert.Throws<ArgumentException>(() => new VanishingGradientsLab().Run(new LabContext(_dir,
            Overrides: new Dictionary<string, string> { ["spread-min"] = "2", ["spread-max"] = "1" })));
        Assert.Contains("spread-max", e.Message);
    }

    [Fact]
    public void RulesFollowTheMeasuredNorms()
    {
        Assert.Equal([50, 49, 45, 40, 30, 25, 20, 10, 1, 0], VanishingGradientsLab.ShownLayers(50));
        Assert.Equal([3, 2, 1, 0], VanishingGradientsLab.ShownLayers(3));
        Assert.Contains("vanishing", VanishingGradientsLab.RegimeVerdict(0.5, Math.Pow(0.5, 50), 50));
        Assert.Contains("exploding", VanishingGradientsLab.RegimeVerdict(2, Math.Pow(2, 50), 50));
        Assert.Contains("preserved at every depth: W is orthogonal", VanishingGradientsLab.RegimeVerdict(1, 1.0000001, 50));
        Assert.Contains("it shrinks", VanishingGradientsLab.RegimeVerdict(0.9, 0.35, 10));
        Assert.Contains("it grows", VanishingGradientsLab.RegimeVerdict(1.1, 2.6, 10));
        Assert.Contains("float64 rounding accumulated", VanishingGradientsLab.ClosedFormVerdict(1e-14, 50));
        Assert.Contains("not reproduced", VanishingGradientsLab.ClosedFormVerdict(1e-3, 50));
        Assert.Contains("between the bounds", VanishingGradientsLab.SpreadVerdict(1e-3, 0.5, 2, 50));
        Assert.Contains("outside the bounds", VanishingGradientsLab.SpreadVerdict(1e-20, 0.5, 2, 50));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void EveryLayersGradientNormIsSigmaToTheRemainingDepth(double sigma)
    {
        var gen = new Generator(11);
        int d = Width;
        var w = VanishingGradientsLab.Weight(VanishingGradientsLab.RandomOrthogonal(d, gen), VanishingGradientsLab.RandomOrthogonal(d, gen),
            Enumerable.Repeat(sigma, d).ToArray());
        var g = Tensor.Zeros([1, d], DType.Float64);
        g.SetAt(1, 0, 3);                                      // unit upstream gradient e_3
        var norms = VanishingGradientsLab.GradientNorms(w, Tensor.Randn([1, d], 0, 1, DType.Float64, gen), g, depth: 50);
        Assert.Equal(51, norms.Length);
        for (int k = 0; k <= 50; k++)
        {
            double expected = Math.Pow(sigma, 50 - k);
            Assert.True(Math.Abs(norms[k] - expected) <= 1e-4 * expected, $"layer {k}: {norms[k]} vs {expected}");
        }
    }

    [Fact]
    public void GradientNormsOfAHandBuiltNetwork()
    {
        // W = diag(2, ½), g = (0.6, 0.8): ∂E/∂h_(L−n) = (Wᵀ)^n g = (0.6·2^n, 0.8·2^−n).
        var w = Tensor.FromArray(new double[] { 2, 0, 0, 0.5 }, 2, 2);
        var g = Tensor.FromArray(new double[] { 0.6, 0.8 }, 1, 2);
        var norms = VanishingGradientsLab.GradientNorms(w, Tensor.FromArray(new double[] { 1, -1 }, 1, 2), g, depth: 3);
        for (int n = 0; n <= 3; n++)
            Assert.Equal(Math.Sqrt(Math.Pow(0.6 * Math.Pow(2, n), 2) + Math.Pow(0.8 * Math.Pow(2, -n), 2)), norms[3 - n], 1e-14);
    }

    [Fact]
    public void RandomOrthogonalIsOrthogonalAndSeeded()
    {
        var q = VanishingGradientsLab.RandomOrthogonal(16, new Generator(4));
        Assert.True(VanishingGradientsLab.OrthogonalityError(q) < 1e-13);
        Assert.Equal(q.ToDoubleArray(), VanishingGradientsLab.RandomOrthogonal(16, new Generator(4)).ToDoubleArray());
        Assert.NotEqual(q.ToDoubleArray(), VanishingGradientsLab.RandomOrthogonal(16, new Generator(5)).ToDoubleArray());
    }

    [Fact]
    public void WeightHasTheRequestedSingularValues()
    {
        // WᵀW = V·Σ²·Vᵀ, so for Σ = σI it is σ²·I.
        var gen = new Generator(2);
        var w = VanishingGradientsLab.Weight(VanishingGradientsLab.RandomOrthogonal(8, gen), VanishingGradientsLab.RandomOrthogonal(8, gen), Enumerable.Repeat(0.5, 8).ToArray());
        var wtw = w.Transpose(0, 1).MatMul(w).ToDoubleArray();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) Assert.Equal(i == j ? 0.25 : 0, wtw[i * 8 + j], 1e-14);
    }
}
