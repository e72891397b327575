using Nabla.Labs;
using Nabla.Models;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class FiniteDifferenceLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-fd-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Probe_matches_the_closed_form_central_difference_of_exp()
    {
        // L = Σ exp(θ): ∂L/∂θ_i = e^θ_i and (e^(θ+ε) − e^(θ−ε)) / 2ε = e^θ·sinh(ε)/ε, so the error is
        // e^θ·(sinh(ε)/ε − 1) = e^θ·(ε²/6 + ε⁴/120 + …).
        double[] theta = [0.3, -1.2, 0.8];
        var p = Tensor.FromArray(theta, 3).RequiresGrad_();
        int[] ns = [1, 10, 100];
        var r = FiniteDifferenceProbe.Run(() => p.Exp().Sum(), p, 3, ns);
        Assert.Equal(theta.Sum(Math.Exp), r.Loss, 12);
        for (int i = 0; i < 3; i++) Assert.Equal(Math.Exp(theta[i]), r.Backprop[i], 12);
        for (int k = 0; k < ns.Length; k++)
        {
            double eps = 1.0 / ns[k];
            for (int i = 0; i < 3; i++) Assert.Equal(Math.Exp(theta[i]) * Math.Sinh(eps) / eps, r.Numeric[k][i], 10);
            Assert.Equal(Math.Exp(0.8) * (Math.Sinh(eps) / eps - 1), r.MaxError[k], 10);
        }
        Assert.Equal(theta, p.ToArray<double>());   // restored exactly
        Assert.Null(p.Grad);
    }

    [Fact]
    public void Probe_walks_the_first_elements_in_row_major_order()
    {
        // L = Σ_ij c_ij·W_ij has ∂L/∂W_ij = c_ij; central differences of a linear function are exact.
        var w = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).RequiresGrad_();
        var c = Tensor.FromArray(new double[,] { { 10, 20, 30 }, { 40, 50, 60 } });
        var r = FiniteDifferenceProbe.Run(() => (w * c).Sum(), w, 4, [1, 1000]);
        Assert.Equal(new[] { 10.0, 20, 30, 40 }, r.Backprop);
        foreach (var row in r.Numeric)
            for (int i = 0; i < 4; i++) Assert.Equal(r.Backprop[i], row[i], 9);
    }

    [Fact]
    public void Probe_checks_the_elements_at_the_given_positions()
    {
        // L = Σ_ij c_ij·W_ij: ∂L/∂W at flat positions 5, 0, 3 is c at (1, 2), (0, 0), (1, 0).
        var w = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).RequiresGrad_();
        var c = Tensor.FromArray(new double[,] { { 10, 20, 30 }, { 40, 50, 60 } });
        var r = FiniteDifferenceProbe.Run(() => (w * c).Sum(), w, [5, 0, 3], [1, 1000]);
        Assert.Equal(new[] { 60.0, 10, 40 }, r.Backprop);
        foreach (var row in r.Numeric)
            for (int i = 0; i < 3; i++) Assert.Equal(r.Backprop[i], row[i], 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => FiniteDifferenceProbe.Run(() => (w * c).Sum(), w, [6], [1]));
    }

    [Fact]
    public void Pixels_are_foreground_distinct_and_spread_from_faintest_to_brightest()
    {
        double bg = FiniteDifferenceLab.Background;
        // Foreground values 0.1 (twice), 0.5, 0.9, 1.3, 2.0 at pixels 2, 7, 3, 5, 6, 9; the rest background.
        double[] x = [bg, bg, 0.1, 0.5, bg, 0.9, 1.3, 0.1, bg, 2.0];
        // Five distinct values; three chosen at ranks 0, 2, 4: 0.1 (first at pixel 2), 0.9 (pixel 5), 2.0 (pixel 9).
        Assert.Equal([2, 5, 9], FiniteDifferenceLab.PickPixels(x, 3)!);
        Assert.Equal([2, 3, 5, 6, 9], FiniteDifferenceLab.PickPixels(x, 5)!);
        Assert.Equal([9], FiniteDifferenceLab.PickPixels(x, 1)!);
        Assert.Null(FiniteDifferenceLab.PickPixels(x, 6));
    }

    [Fact]
    public void LogLog_slope_of_an_inverse_square_law_is_minus_two()
    {
        int[] ns = new FiniteDifferenceLab().Full.Ns;
        var e = ns.Select(n => 3.0 / ((double)n * n)).ToArray();
        Assert.Equal(-2, FiniteDifferenceLab.LogLogSlope(ns, e, 10, 1000), 10);
    }

    [Fact]
    public void Example_rule_says_whether_the_fit_is_kink_free()
    {
        Assert.Contains("no ReLU of the network switches", FiniteDifferenceLab.ExampleSays(true, 50, 1.378));
        string kinked = FiniteDifferenceLab.ExampleSays(false, 50, 1.378);
        Assert.Contains("the fit straddles kinks", kinked);
        Assert.DoesNotContain("no ReLU of the network switches", kinked);
    }

    [Fact]
    public void Switched_relus_counts_units_that_change_state_within_the_step()
    {
        // 1-2-1 ReLU net: z₁ = w·x, z₂ = 1·x − 0.25 with x = 1 (unit 2 fixed), then a linear output. Perturbing
        // W₁[0, 0] = w = 0.1 by ±ε switches unit 1 exactly when ε > 0.1.
        var net = new Nabla.NN.Sequential(new Nabla.NN.Linear(1, 2, bias: true, DType.Float64), new Nabla.NN.ReLU(), new Nabla.NN.Linear(2, 1, dtype: DType.Float64));
        var l1 = (Nabla.NN.Linear)net[0];
        l1.Weight.CopyFrom_(Tensor.FromArray(new double[] { 0.1, 1 }, 2, 1));
        l1.Bias!.CopyFrom_(Tensor.FromArray(new double[] { 0, -0.25 }, 2));
        var x = Tensor.FromArray(new double[] { 1 }, 1, 1);
        Assert.Equal(1, FiniteDifferenceLab.SwitchedRelus(net, l1.Weight, x, [0], 0.2));
        Assert.Equal(0, FiniteDifferenceLab.SwitchedRelus(net, l1.Weight, x, [0], 0.05));
        Assert.Equal(0.1, l1.Weight.At(0, 0));   // restored
    }

    [Fact]
    public void Float64_twin_computes_the_same_logits()
    {
        var model = Mlp.Create(new MlpOptions(InputSize: 6, Hidden: [5, 4], Classes: 3), new Generator(3));
        var twin = FiniteDifferenceLab.ToFloat64(model);
        var x = Tensor.Randn([2, 6], generator: new Generator(4));
        var a = model.Invoke(x).ToDoubleArray();
        var b = twin.Invoke(x.To(DType.Float64));
        Assert.Equal(DType.Float64, b.DType);
        var bd = b.ToDoubleArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], bd[i], 5);
    }

    [RequiresDataFact]
    public void Quick_run_writes_the_report_and_small_steps_beat_large_ones()
    {
        var r = new FiniteDifferenceLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "fd_error.png" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        double e1 = r.Metrics["max_error_float64_N1"], e10000 = r.Metrics["max_error_float64_N10000"];
        Assert.True(e10000 < 1e-4 * e1, $"error at N=10000 ({e10000}) is not far below the error at N=1 ({e1})");
        // Truncation error of a central difference is O(ε²): slope −2 against N on log-log axes (over N = 50 … 1000, where
        // the steps no longer straddle ReLU kinks).
        Assert.InRange(r.Metrics["slope_float64_N50_to_N1000"], -2.3, -1.7);
        Assert.True(r.Metrics.ContainsKey("slope_float64_N10_to_N100"));
        // The ten true gradients differ (ten distinct pixel values times one δ₀).
        Assert.Equal(10, r.Metrics["distinct_backprop_gradients"]);
        Assert.Contains("They are 10 different values", File.ReadAllText(r.ReportPath));
    }

    [RequiresDataFact]
    public void Overrides_change_the_steps_and_the_weights_checked()
    {
        var r = new FiniteDifferenceLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["ns"] = "1,10,30,100,1000", ["weights"] = "3", ["slope-from"] = "30", ["slope-to"] = "1000", ["train-images"] = "500",
        }));
        Assert.True(r.Metrics.ContainsKey("max_error_float64_N30"));
        Assert.False(r.Metrics.ContainsKey("max_error_float64_N50"));
        Assert.InRange(r.Metrics["slope_float64_N30_to_N1000"], -2.3, -1.7);
        Assert.Contains("θ_1 … θ_3", File.ReadAllText(r.ReportPath));
    }

    [Fact]
    public void A_slope_range_without_two_Ns_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new FiniteDifferenceLab().Experiment(
            new FiniteDifferenceLab().Quick with { Ns = [1, 10, 1000], SlopeFrom = 10, SlopeTo = 100 }, new LabKit(new LabContext(_dir), "finite-difference")));
        Assert.Contains("at least two of the Ns", e.Message);
    }

    [Fact]
    public void Prose_rules_follow_the_numbers()
    {
        // δ₀ = 0.002: gradients δ₀·x_j for x = (0.5, 1, 2.5) are 0.001, 0.002, 0.005.
        string differ = FiniteDifferenceLab.BackpropSays([0.001, 0.002, 0.005], [0.5, 1, 2.5]);
        Assert.Contains("They are 3 different values", differ);
        Assert.Contains("the same δ₀ = 0.002", differ);
        string equal = FiniteDifferenceLab.BackpropSays([0.001, 0.001, 0.005], [0.5, 0.5, 2.5]);
        Assert.Contains("Only 2 of the 3 values are different", equal);
        Assert.Contains("not one constant", FiniteDifferenceLab.BackpropSays([0.001, 0.003, 0.005], [0.5, 1, 2.5]));
        Assert.Equal(2, FiniteDifferenceLab.DistinctCount([1, 1 + 1e-14, 2]));
        Assert.Contains("which all have the value -0.4242", FiniteDifferenceLab.LiteralSays([-0.4242, -0.4242, -0.4242]));
        Assert.Contains("take 2 different values", FiniteDifferenceLab.LiteralSays([-0.4242, 1.0, -0.4242]));
        Assert.Equal("it follows the reference line", FiniteDifferenceLab.SlopeSays(-2.01));
        Assert.Contains("away from the −2", FiniteDifferenceLab.SlopeSays(-1.5));
        int[] ns = [1, 5, 10, 100, 1000, 10000];
        double[] errors = [1e-3, 5e-4, 1e-8, 1e-10, 1e-12, 1e-13];
        Assert.Contains("for N ≤ 5 (the table's last column)", FiniteDifferenceLab.KinkSays(ns, [3, 1, 0, 0, 0, 0], errors));
        // The ε² line through N = 10 (1e-8) predicts 4e-8 at N = 5: 5e-4 is 12,500 times that.
        Assert.Contains("the error at N = 5 (5e-4) is 12500× what the ε² law through N = 10 predicts (4e-8)", FiniteDifferenceLab.KinkSays(ns, [3, 1, 0, 0, 0, 0], errors));
        Assert.Contains("stays within 10× of the ε² law", FiniteDifferenceLab.KinkSays(ns, [3, 1, 0, 0, 0, 0], [1e-3, 5e-8, 1e-8, 1e-10, 1e-12, 1e-13]));
        Assert.EndsWith("straddles a kink.", FiniteDifferenceLab.KinkSays(ns, [1, 1, 1, 1, 1, 1], errors));
        Assert.Contains("No ReLU switches", FiniteDifferenceLab.KinkSays(ns, [0, 0, 0, 0, 0, 0], errors));
        double[][] numeric = [[1.0], [1.0], [1.0], [0.0], [0.0], [0.0]];
        Assert.Contains("For N ≥ 100 the float32 difference is exactly 0", FiniteDifferenceLab.Flat32Says(ns, numeric));
        Assert.Equal("", FiniteDifferenceLab.Flat32Says(ns, [[1.0], [1.0], [1.0], [1.0], [1.0], [1.0]]));
        Assert.Contains("smallest (1e-13) at N = 100 and then grows again", FiniteDifferenceLab.RoundOff64Says(ns, [1e-3, 1e-8, 1e-9, 1e-13, 1e-12, 1e-11]));
        Assert.Contains("still falling", FiniteDifferenceLab.RoundOff64Says(ns, [1e-3, 1e-8, 1e-9, 1e-11, 1e-12, 1e-13]));
        Assert.Contains("That is why the check is done in float64", FiniteDifferenceLab.PrecisionSays(3.8e-13, 1.4e-7));
        Assert.Contains("does not get much closer", FiniteDifferenceLab.PrecisionSays(1e-8, 1.4e-7));
    }
}
