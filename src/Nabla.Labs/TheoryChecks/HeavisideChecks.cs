
namespace Nabla.Labs;

/// <summary>ReLU at one grid point: the library's value and autograd slope beside the two H-based definitions.</summary>
public sealed record ReluRow(double X, double Relu, double XTimesH, double IntegralOfH, double AutogradSlope, double H);

/// <summary>IFT6135 Q1.1–1.2 on a grid: ReLU (library) against x·H(x) and the running trapezoid ∫_{−L}^x H, and the
/// autograd derivative of ReLU against H. <see cref="SlopeMismatchXs"/> lists the grid points where they differ.</summary>
public sealed record ReluCheck(int GridPoints, double Spacing, double MaxErrorXTimesH, double MaxErrorIntegral, double IntegralErrorAtZero,
    double[] SlopeMismatchXs, double MaxSlopeErrorAwayFromZero, IReadOnlyList<ReluRow> Rows, double[] PlotX, double[] PlotRelu,
    double[] PlotIntegral, double[] PlotSlope);

/// <summary>σ(kx) against H for one k: the largest error on |x| ≥ δ, its closed form σ(−k·x_δ) (x_δ the smallest grid
/// |x| ≥ δ, where the error is largest), and the largest error on the whole grid.</summary>
public sealed record SigmoidStepRow(double K, double MaxErrorOutsideDelta, double ClosedForm, double MaxErrorWholeGrid, double AtZero);

/// <summary>One test function φ (a bump of centre a and half-width w, or the derivative pairing of a smooth F): the
/// quadrature −∫Fφ′ and the value it should equal.</summary>
public sealed record DistributionRow(string F, double Centre, double HalfWidth, double MinusIntegralFPhiPrime, double Expected, string ExpectedIs);

/// <summary>IFT6135 Q1: ReLU and the Heaviside step H (H(0) = ½) on a uniform grid of [−L, L].</summary>
public static class HeavisideChecks
{
    public static double H(double x) => x > 0 ? 1 : x < 0 ? 0 : 0.5;

    /// <summary>G points −L + 2L·i/(G − 1); G odd puts 0 on the grid.</summary>
    public static double[] Grid(int points, double halfWidth) =>
        Enumerable.Range(0, points).Select(i => i == (points - 1) / 2 && points % 2 == 1 ? 0.0 : -halfWidth + 2 * halfWidth * i / (points - 1)).ToArray();

    /// <summary>Running trapezoid integral ∫_{x₀}^{x_i} f: out[0] = 0, out[i] = out[i−1] + h·(f_{i−1} + f_i)/2.</summary>
    public static double[] CumulativeTrapezoid(double[] x, double[] f)
    {
        var r = new double[x.Length];
        for (int i = 1; i < x.Length; i++) r[i] = r[i - 1] + (x[i] - x[i - 1]) * (f[i - 1] + f[i]) / 2;
        return r;
    }

    /// <summary>Trapezoid ∫ f over the grid.</summary>
    public static double Trapezoid(double[] x, double[] f) => CumulativeTrapezoid(x, f)[^1];

    public static ReluCheck Relu(int points, double halfWidth, double[] sampleXs)
    {
        var x = Grid(points, halfWidth);
        var xt = Tensor.FromArray(x, x.Length).RequiresGrad_();
        var y = xt.Relu();
        y.Sum().Backward();                                    // ∂(Σ ReLU(x_i))/∂x_i = ReLU′(x_i)
        double[] relu = y.ToDoubleArray(), slope = xt.Grad!.ToDoubleArray();
        var h = x.Select(H).ToArray();
        var xH = x.Select(v => v * H(v) + 0.0).ToArray();                // + 0.0 turns −0 into 0
        var integral = CumulativeTrapezoid(x, h);              // H = 0 left of −L, so ∫_{−∞}^x H = ∫_{−L}^x H
        double errXH = 0, errInt = 0, errSlope = 0, errAtZero = double.NaN;
        var mismatches = new List<double>();
        for (int i = 0; i < x.Length; i++)
        {
            errXH = Math.Max(errXH, Math.Abs(relu[i] - xH[i]));
            errInt = Math.Max(errInt, Math.Abs(relu[i] - integral[i]));
            if (x[i] == 0) errAtZero = Math.Abs(relu[i] - integral[i]);
            if (slope[i] != h[i]) mismatches.Add(x[i]);
            if (x[i] != 0) errSlope = Math.Max(errSlope, Math.Abs(slope[i] - h[i]));
        }
        int zero = Array.IndexOf(x, 0.0);
        var rows = sampleXs.Select(s => Nearest(x, s)).Concat(zero > 0 ? new[] { zero - 1, zero + 1 } : Array.Empty<int>()).Distinct().Order()
            .Select(i => new ReluRow(x[i], relu[i], xH[i], integral[i], slope[i], h[i])).ToList();
        int stride = Math.Max(1, x.Length / 1200);
        var idx = Enumerable.Range(0, x.Length).Where(i => i % stride == 0 || x[i] == 0).ToArray();
        return new ReluCheck(points, x[1] - x[0], errXH, errInt, errAtZero, mismatches.ToArray(), errSlope, rows,
            idx.Select(i => x[i]).ToArray(), idx.Select(i => relu[i]).ToArray(), idx.Select(i => integral[i]).ToArray(), idx.Select(i => slope[i]).ToArray());
    }

    /// <summary>σ(kx) (library Sigmoid) against H on the grid, for each k.</summary>
    public static IReadOnlyList<SigmoidStepRow> SigmoidSteps(int points, double halfWidth, IReadOnlyList<double> ks, double delta)
    {
        var x = Grid(points, halfWidth);
        var xt = Tensor.FromArray(x, x.Length);
        var rows = new List<SigmoidStepRow>();
        foreach (double k in ks)
        {
            var s = (xt * k).Sigmoid().ToDoubleArray();
            double outside = 0, whole = 0, atZero = double.NaN, xDelta = double.PositiveInfinity;
            for (int i = 0; i < x.Length; i++)
            {
                double e = Math.Abs(s[i] - H(x[i]));
                if (Math.Abs(x[i]) >= delta) { outside = Math.Max(outside, e); xDelta = Math.Min(xDelta, Math.Abs(x[i])); }
                whole = Math.Max(whole, e);
                if (x[i] == 0) atZero = e;
            }
            rows.Add(new SigmoidStepRow(k, outside, 1 / (1 + Math.Exp(k * xDelta)), whole, atZero));
        }
        return rows;
    }

    /// <summary>φ(x) = exp(−1/(1 − u²)), u = (x − a)/w, for |u| &lt; 1, else 0: smooth with compact support [a − w, a + w].</summary>
    public static double Bump(double x, double centre, double halfWidth)
    {
        double u = (x - centre) / halfWidth;
        return Math.Abs(u) < 1 ? Math.Exp(-1 / (1 - u * u)) : 0;
    }

    /// <summary>φ and φ′ on the grid, both from the library: φ built from tensor ops (u clamped just inside (−1, 1), where
    /// φ is already 0 in double precision) and φ′ by autograd.</summary>
    public static (double[] Phi, double[] PhiPrime) BumpWithDerivative(double[] x, double centre, double halfWidth)
    {
        var xt = Tensor.FromArray(x, x.Length).RequiresGrad_();
        var u = ((xt - centre) / halfWidth).Clamp(-1 + 1e-9, 1 - 1e-9);
        var phi = (-1.0 / (1.0 - u * u)).Exp();
        phi.Sum().Backward();
        return (phi.ToDoubleArray(), xt.Grad!.ToDoubleArray());
    }

    /// <summary>H′[φ] = −∫Hφ′ by the trapezoid rule for each bump, against φ(0); then, for a smooth F (tanh and σ(kx)),
    /// −∫Fφ′ against ∫F′φ (integration by parts, the definition's motivation).</summary>
    public static IReadOnlyList<DistributionRow> Distributional(int points, double halfWidth, IReadOnlyList<(double Centre, double HalfWidth)> bumps)
    {
        var x = Grid(points, halfWidth);
        var h = x.Select(H).ToArray();
        var rows = new List<DistributionRow>();
        foreach (var (a, w) in bumps)
        {
            var (_, dphi) = BumpWithDerivative(x, a, w);
            double q = -Trapezoid(x, x.Select((_, i) => h[i] * dphi[i]).ToArray());
            rows.Add(new DistributionRow("H", a, w, q, Bump(0, a, w), "φ(0)"));
        }
        var (a0, w0) = bumps[0];
        var (phi0, dphi0) = BumpWithDerivative(x, a0, w0);
        foreach (var (name, f, df) in new (string, Func<double, double>, Func<double, double>)[]
                 {
                     ("tanh", Math.Tanh, v => 1 - Math.Tanh(v) * Math.Tanh(v)),
                     ("σ(10x)", v => Sig(10 * v), v => 10 * Sig(10 * v) * (1 - Sig(10 * v))),
                     ("σ(100x)", v => Sig(100 * v), v => 100 * Sig(100 * v) * (1 - Sig(100 * v))),
                 })
        {
            double q = -Trapezoid(x, x.Select((v, i) => f(v) * dphi0[i]).ToArray());
            double byParts = Trapezoid(x, x.Select((v, i) => df(v) * phi0[i]).ToArray());
            rows.Add(new DistributionRow(name, a0, w0, q, byParts, "∫F′φ"));
        }
        return rows;
    }

    private static double Sig(double z) => 1 / (1 + Math.Exp(-z));

    private static int Nearest(double[] x, double v)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++) if (Math.Abs(x[i] - v) < Math.Abs(x[best] - v)) best = i;
        return best;
    }
}
