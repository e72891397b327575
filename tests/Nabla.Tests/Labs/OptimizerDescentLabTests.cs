using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class OptimizerDescentLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-descent-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // Independent closed form (not the lab's): f'(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x)).
    private static double Df(double x)
    {
        double s = 1 / (1 + Math.Exp(-1.702 * x));
        return s + 1.702 * x * s * (1 - s);
    }

    [Fact]
    public void QuickRunWritesTheReport()
    {
        string dir = _dir;
        {
            var r = new OptimizerDescentLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "from_0_x.png", "from_0_f.png", "from_-3_x.png", "from_-3_f.png", "function.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            // x1 = 0 − 0.1·f'(0) = −0.05, then by hand from the closed form (mpmath, 30 digits).
            Assert.Equal(-0.05, r.Metrics["gd_x0_0_eta_0.1_x1"], 1e-15);
            Assert.Equal(-0.095750130218519259, r.Metrics["gd_x0_0_eta_0.1_x2"], 1e-14);
            Assert.Equal(-0.13763771842581058, r.Metrics["gd_x0_0_eta_0.1_x3"], 1e-14);
            Assert.True(r.Metrics["max_grad_error_vs_closed_form"] < 1e-12);
            Assert.Equal(-0.75115425544128895, r.Metrics["minimiser"], 1e-12);
            string md = File.ReadAllText(r.ReportPath);
            Assert.Contains("| step t | x_t | f(x_t) | f'(x_t) |", md);
            // 100 quick steps from −3 do not reach x*: the report must say so rather than claim a step count.
            Assert.True(double.IsNaN(r.Metrics["momentum_x0_m3_eta_0.1_steps_to_within_1e-3"]));
            Assert.Contains("Neither run from the far start is within 10⁻³ of x* after 100 steps", md);
            // Workbook Q10a: same η and steps from −3; GD crawls (first step η·|f'(−3)| ≈ 0.0025), the adaptive ones step η.
            Assert.True(File.Exists(Path.Combine(dir, "q10a_optimizers.png")));
            Assert.Equal(0.1, r.Metrics["q10a_adam_first_step"], 1e-6);
            Assert.True(r.Metrics["q10a_gd_first_step"] < 0.003);
            Assert.True(r.Metrics["q10a_adam_steps_to_within_1e-3"] < 100);
            Assert.True(Math.Abs(r.Metrics["q10a_adagrad_x_final"] - -0.7512) < Math.Abs(r.Metrics["q10a_gd_x_final"] - -0.7512));
            Assert.Contains("## Workbook Q10a: GD, AdaGrad and Adam on the same problem", md);
        }
    }

    [Fact]
    public void OverridesChangeTheRunsAndTheirMetricKeys()
    {
        var r = new OptimizerDescentLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["steps-from-zero"] = "5", ["steps-from-far"] = "30", ["far-start"] = "-2", ["small-eta"] = "0.2", ["large-eta"] = "0.5", ["beta"] = "0.5",
        }));
        // x1 = 0 − 0.2·f'(0) = −0.1; the far runs start at −2 and take 30 steps.
        Assert.Equal(-0.1, r.Metrics["gd_x0_0_eta_0.2_x1"], 1e-15);
        Assert.True(r.Metrics.ContainsKey("gd_x0_0_eta_0.5_x_final"));
        var far = OptimizerDescentLab.Descend(new OptimizerDescentLab.DescentRun("m", -2, 0.2, 0.5), 30);
        Assert.Equal(far.X[^1], r.Metrics["momentum_x0_m2_eta_0.2_x_final"], 1e-15);
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("## momentum, x0 = −2, η = 0.2, β = 0.5", md);
        Assert.Contains("5 steps from 0, 30 from -2", md);
    }

    private static OptimizerDescentLab.Trace Trace(double eta, params double[] x) =>
        new(new OptimizerDescentLab.DescentRun("t", x[0], eta), x, new double[x.Length], new double[x.Length]);

    [Fact]
    public void AgreementAndCurvatureRulesFollowTheNumbers()
    {
        Assert.Contains("bit-identical", OptimizerDescentLab.AgreementText(0));
        Assert.Contains("agreement to rounding", OptimizerDescentLab.AgreementText(1e-16));
        Assert.Contains("disagree", OptimizerDescentLab.AgreementText(1e-6));
        Assert.Contains("is below 1: every step moves x only part of the way", OptimizerDescentLab.CurvatureVerdict(1, 0.5));
        Assert.Contains("oscillate around it", OptimizerDescentLab.CurvatureVerdict(3, 0.5));
        Assert.Contains("cannot settle", OptimizerDescentLab.CurvatureVerdict(5, 0.5));
    }

    [Fact]
    public void ShortRunVerdictFollowsTheIterates()
    {
        const double xMin = -0.75;
        var creep = Trace(0.1, 0, -0.05, -0.1);
        var monotone = Trace(1, 0, -0.5, -0.7495);
        var over = Trace(1, 0, -0.8, -0.7505);
        Assert.Contains("creep left (x_2 = -0.1000", OptimizerDescentLab.ShortRunVerdict(creep, monotone, xMin));
        Assert.Contains("within 10⁻³ after 2 steps and never overshoot", OptimizerDescentLab.ShortRunVerdict(creep, monotone, xMin));
        Assert.Contains("and overshoot x*", OptimizerDescentLab.ShortRunVerdict(creep, over, xMin));
        Assert.Contains("with η = 0.1 the iterates are within 10⁻³ of x*", OptimizerDescentLab.ShortRunVerdict(monotone with { Run = creep.Run }, over, xMin).ToLowerInvariant());
        Assert.Contains("not within 10⁻³ after 2 steps", OptimizerDescentLab.ShortRunVerdict(creep, creep, xMin));
    }

    [Fact]
    public void FarStartRulesFollowTheIterates()
    {
        Assert.Contains("lags slightly", OptimizerDescentLab.LagVerdict(Trace(0.1, -3, -2.99), Trace(0.1, -3, -2.98)));
        Assert.Contains("not behind GD", OptimizerDescentLab.LagVerdict(Trace(0.1, -3, -2.97), Trace(0.1, -3, -2.98)));
        Assert.Contains("after 300 steps against 450 for GD", OptimizerDescentLab.FarVerdict(300, 450, 1e-3, 600));
        Assert.Contains("slight overshoot", OptimizerDescentLab.FarVerdict(300, 450, 1e-3, 600));
        Assert.Contains("without overshooting", OptimizerDescentLab.FarVerdict(300, -1, -1e-3, 600));
        Assert.Contains("against more than 600 for GD", OptimizerDescentLab.FarVerdict(300, -1, -1e-3, 600));
        Assert.Contains("GD is within 10⁻³ of x* after 200 steps, momentum after 300", OptimizerDescentLab.FarVerdict(300, 200, 0, 600));
        Assert.Contains("Neither", OptimizerDescentLab.FarVerdict(-1, -1, 0, 100));
    }

    [Fact]
    public void GradientDescentIteratesFollowTheClosedForm()
    {
        var t = OptimizerDescentLab.Descend(new OptimizerDescentLab.DescentRun("gd", 0, 0.1), 5);
        Assert.Equal(0.5, t.Grad[0], 1e-15);                   // f'(0) = σ(0) = ½
        Assert.Equal(-0.05, t.X[1], 1e-15);
        double[] byHand = [0, -0.05, -0.095750130218519259, -0.13763771842581058, -0.17603100290320668, -0.21127189504303674];
        for (int i = 0; i <= 5; i++) Assert.Equal(byHand[i], t.X[i], 1e-14);
        double x = 0;                                          // the same recursion with the test's own derivative
        for (int i = 1; i <= 5; i++) { x -= 0.1 * Df(x); Assert.Equal(x, t.X[i], 1e-14); }
    }

    [Fact]
    public void MomentumStartsWithTheGradientAndAveragesIt()
    {
        var t = OptimizerDescentLab.Descend(new OptimizerDescentLab.DescentRun("m", -3, 0.1, 0.9), 3);
        // v0 = f'(−3); x1 = x0 − ηv0; v1 = 0.9v0 + 0.1f'(x1); x2 = x1 − ηv1 ... (mpmath, 30 digits)
        Assert.Equal(-2.9975451676094348, t.X[1], 1e-14);
        Assert.Equal(-2.9950895725723317, t.X[2], 1e-14);
        Assert.Equal(-2.9926325262180355, t.X[3], 1e-14);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.75)]
    [InlineData(0.0)]
    [InlineData(1.3)]
    public void AutogradMatchesTheClosedFormDerivative(double x)
    {
        var (f, g) = OptimizerDescentLab.Evaluate(x);
        Assert.Equal(x / (1 + Math.Exp(-1.702 * x)), f, 1e-14);
        Assert.Equal(Df(x), g, 1e-14);
    }

    [Fact]
    public void LargerStepReachesTheMinimumFromZero()
    {
        var t = OptimizerDescentLab.Descend(new OptimizerDescentLab.DescentRun("gd", 0, 1), 20);
        Assert.Equal(-0.5, t.X[1], 1e-15);
        Assert.True(Math.Abs(t.X[^1] - -0.75115425544128895) < 1e-3);
        Assert.True(Math.Abs(t.Grad[^1]) < 1e-3);
    }
}

public class OptimizerDescentAdaptiveTests
{
    private static double Df(double x)
    {
        double s = 1 / (1 + Math.Exp(-1.702 * x));
        return s + 1.702 * x * s * (1 - s);
    }

    [Fact]
    public void AdaGradAndAdamFollowTheirUpdateRulesWrittenOutHere()
    {
        var runs = OptimizerDescentLab.CompareAdaptive(-3, 0.1, 40);
        Assert.Equal(["GD", "AdaGrad", "Adam"], runs.Select(r => r.Name));
        // The three recursions by hand with the test's own derivative.
        double xg = -3, xa = -3, s = 0, xm = -3, m = 0, v = 0;
        for (int t = 1; t <= 40; t++)
        {
            xg -= 0.1 * Df(xg);
            double ga = Df(xa);
            s += ga * ga;
            xa -= 0.1 * ga / (Math.Sqrt(s) + 1e-10);
            double gm = Df(xm);
            m = 0.9 * m + 0.1 * gm;
            v = 0.999 * v + 0.001 * gm * gm;
            double mHat = m / (1 - Math.Pow(0.9, t)), vHat = v / (1 - Math.Pow(0.999, t));
            xm -= 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8);
            Assert.Equal(xg, runs[0].X[t], 1e-12);
            Assert.Equal(xa, runs[1].X[t], 1e-12);
            Assert.Equal(xm, runs[2].X[t], 1e-12);
            Assert.Equal(s, runs[1].Steps[t - 1].V, 1e-14);
            Assert.Equal(mHat, runs[2].Steps[t - 1].MHat, 1e-14);
            Assert.Equal(vHat, runs[2].Steps[t - 1].VHat, 1e-14);
        }
        // First step: GD moves η·|f'(−3)|, AdaGrad exactly η·g/(|g| + ε) ≈ η, Adam η·g/(|g| + ε) ≈ η.
        Assert.Equal(0.1 * Math.Abs(Df(-3)), Math.Abs(runs[0].X[1] + 3), 1e-14);
        Assert.Equal(0.1, Math.Abs(runs[1].X[1] + 3), 1e-8);
        Assert.Equal(0.1, Math.Abs(runs[2].X[1] + 3), 1e-6);
    }

    private static AdaptiveTrace Trace(string name, params double[] x) =>
        new(name, x[0], x.Skip(1).Select((v, i) => new AdaptiveStep(i + 1, 0, double.NaN, double.NaN, double.NaN, double.NaN, v)).ToList());

    [Fact]
    public void AdaptiveVerdictFollowsTheNumbers()
    {
        var gd = Trace("GD", -3, -2.9975, -2.995, -2.99);
        var ada = Trace("AdaGrad", -3, -2.9, -2.83, -2.77);
        var adam = Trace("Adam", -3, -2.9, -2.8, -0.7502);
        string v = OptimizerDescentLab.AdaptiveVerdict([gd, ada, adam], -0.75, 0.1);
        Assert.Contains("η = 0.1 to within 1 %", v);
        Assert.Contains("Adam is within 10⁻³ of x* first (step 3)", v);
        Assert.Contains("GD not within 3 steps", v);
        Assert.Contains("η/√Σg² only shrinks", v);
        string none = OptimizerDescentLab.AdaptiveVerdict([gd, ada, Trace("Adam", -3, -2.99, -2.95, -2.9)], -0.75, 0.1);
        Assert.Contains("None is within 10⁻³ of x* after 3 steps; closest at the end: AdaGrad", none);
        Assert.Contains("First steps: GD 0.0025, AdaGrad 0.1, Adam 0.01", none);
    }
}
