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
    public void LogLog_slope_of_an_inverse_square_law_is_minus_two()
    {
        int[] ns = FiniteDifferenceLab.Ns;
        var e = ns.Select(n => 3.0 / ((double)n * n)).ToArray();
        Assert.Equal(-2, FiniteDifferenceLab.LogLogSlope(ns, e, 10, 1000), 10);
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
        // Truncation error of a central difference is O(ε²): slope −2 against N on log-log axes.
        Assert.InRange(r.Metrics["slope_float64_N10_to_N100"], -2.3, -1.7);
    }
}
