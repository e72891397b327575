using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class OptimizerDescentLabTests
{
    // Independent closed form (not the lab's): f'(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x)).
    private static double Df(double x)
    {
        double s = 1 / (1 + Math.Exp(-1.702 * x));
        return s + 1.702 * x * s * (1 - s);
    }

    [Fact]
    public void QuickRunWritesTheReport()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-descent-" + Guid.NewGuid().ToString("N"));
        try
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
            Assert.Contains("| step t | x_t | f(x_t) | f'(x_t) |", File.ReadAllText(r.ReportPath));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void GradientDescentIteratesFollowTheClosedForm()
    {
        var t = OptimizerDescentLab.Descend(new OptimizerDescentLab.Setting("gd", 0, 0.1), 5);
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
        var t = OptimizerDescentLab.Descend(new OptimizerDescentLab.Setting("m", -3, 0.1, 0.9), 3);
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
        var t = OptimizerDescentLab.Descend(new OptimizerDescentLab.Setting("gd", 0, 1), 20);
        Assert.Equal(-0.5, t.X[1], 1e-15);
        Assert.True(Math.Abs(t.X[^1] - -0.75115425544128895) < 1e-3);
        Assert.True(Math.Abs(t.Grad[^1]) < 1e-3);
    }
}
