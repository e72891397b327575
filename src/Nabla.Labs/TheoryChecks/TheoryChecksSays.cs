using System.Globalization;

namespace Nabla.Labs;

/// <summary>The rules that choose the theory-checks report's interpretive sentences from its numbers.</summary>
public static class TheoryChecksSays
{
    private static string F(double v) => LabReport.Format(v);

    /// <summary>"agree to within tol (largest |difference| e)" or "differ by up to e (more than tol)".</summary>
    public static string Agreement(string what, double maxDifference, double tol) =>
        double.IsNaN(maxDifference) ? $"{what} could not be compared (a value is missing)"
        : maxDifference <= tol ? $"{what} agree: the largest |difference| is {F(maxDifference)}, within {F(tol)}"
        : $"{what} differ by up to {F(maxDifference)}, more than {F(tol)}";

    /// <summary>Words for a measured growth exponent a in t ∝ nᵃ.</summary>
    public static string Growth(double exponent) => exponent switch
    {
        double.NaN => "cannot be fitted",
        < 0.5 => $"barely grows with n (exponent {exponent.ToString("0.00", CultureInfo.InvariantCulture)}: fixed costs dominate)",
        < 1.5 => $"grows about linearly in n (fitted exponent {exponent.ToString("0.00", CultureInfo.InvariantCulture)})",
        < 2.5 => $"grows about quadratically in n (fitted exponent {exponent.ToString("0.00", CultureInfo.InvariantCulture)})",
        _ => $"grows faster than n² (fitted exponent {exponent.ToString("0.00", CultureInfo.InvariantCulture)})",
    };

    /// <summary>The running trapezoid's error pattern for ∫H against ReLU.</summary>
    public static string TrapezoidError(double maxError, double errorAtZero, double spacing)
    {
        if (maxError <= 1e-12 * spacing) return "The running trapezoid ∫H equals ReLU at every grid point.";
        bool onlyAtZero = Math.Abs(maxError - errorAtZero) <= 1e-12 * spacing;
        bool quarter = Math.Abs(errorAtZero - spacing / 4) <= 1e-9 * spacing;
        if (onlyAtZero && quarter)
            return $"The running trapezoid ∫H matches ReLU everywhere except at the kink x = 0, where it is h/4 = {F(spacing / 4)} too high " +
                   "(the cell [−h, 0] averages H(−h) = 0 and H(0) = ½); one cell later the missing and the extra quarter cancel and it is exact again.";
        return $"The running trapezoid ∫H differs from ReLU by up to {F(maxError)} (grid spacing h = {F(spacing)}).";
    }

    /// <summary>Where autograd's ReLU′ and H disagree on the grid.</summary>
    public static string SlopeVsH(IReadOnlyList<double> mismatchXs, double maxErrorAwayFromZero)
    {
        if (mismatchXs.Count == 0) return "Autograd's ReLU′ equals H at every grid point.";
        if (mismatchXs.Count == 1 && mismatchXs[0] == 0 && maxErrorAwayFromZero == 0)
            return "Autograd's ReLU′ equals H at every grid point except x = 0, where the library returns 0 and H(0) = ½: ReLU has no " +
                   "derivative there (left slope 0, right slope 1), so any value in [0, 1] is a valid subgradient and each library picks one.";
        return $"Autograd's ReLU′ differs from H at {mismatchXs.Count} grid points (largest difference away from 0: {F(maxErrorAwayFromZero)}).";
    }

    /// <summary>σ(kx) → H: whether the error outside ±δ follows σ(−kδ) and falls, and whether the whole-grid error stays near ½.</summary>
    public static string SigmoidLimit(IReadOnlyList<SigmoidStepRow> rows, double delta)
    {
        if (rows.Count == 0) return "No k was run.";
        double worstClosed = rows.Max(r => Math.Abs(r.MaxErrorOutsideDelta - r.ClosedForm));
        string closed = worstClosed <= 1e-12
            ? "equals the closed form σ(−k·x_δ) = 1/(1 + e^{k·x_δ}) in every row"
            : $"differs from σ(−k·x_δ) by up to {F(worstClosed)}";
        string trend = Says.Trend(rows.Select(r => r.MaxErrorOutsideDelta).ToList());
        bool nonUniform = rows.All(r => r.MaxErrorWholeGrid > 0.4);
        string tail = nonUniform
            ? "Over the whole grid the error stays near ½ for every k (points just beside 0 are still mid-way up the sigmoid), so the approximation is good away from 0 for large k but not uniform; at x = 0 itself σ(0) = ½ = H(0) exactly."
            : "The largest error over the whole grid also falls below 0.4 for some k, because the grid spacing hides the points closest to 0.";
        return $"Outside ±{F(delta)} the largest |σ(kx) − H(x)| {closed} and {trend} as k grows from {F(rows[0].K)} to {F(rows[^1].K)} " +
               $"(to {F(rows[^1].MaxErrorOutsideDelta)}). {tail}";
    }

    /// <summary>The distributional-derivative table: H rows against φ(0), smooth F rows against ∫F′φ.</summary>
    public static string Distributional(IReadOnlyList<DistributionRow> rows, double tol)
    {
        var h = rows.Where(r => r.F == "H").ToList();
        var smooth = rows.Where(r => r.F != "H").ToList();
        double eh = h.Count == 0 ? double.NaN : h.Max(r => Math.Abs(r.MinusIntegralFPhiPrime - r.Expected));
        double es = smooth.Count == 0 ? double.NaN : smooth.Max(r => Math.Abs(r.MinusIntegralFPhiPrime - r.Expected));
        string a = eh <= tol
            ? $"For every bump the quadrature −∫Hφ′ equals φ(0) to within {F(tol)} (largest |difference| {F(eh)}), including the bump whose support excludes 0, where both are 0: H′ acts as the Dirac delta δ[φ] = φ(0)."
            : $"The quadrature −∫Hφ′ misses φ(0) by up to {F(eh)} (more than {F(tol)}): the grid is too coarse for the narrowest bump.";
        string b = es <= tol
            ? $" For the smooth F the two sides of −∫Fφ′ = ∫F′φ agree to {F(es)}, the integration by parts that motivates the definition."
            : $" For the smooth F the two sides of −∫Fφ′ = ∫F′φ differ by up to {F(es)}: the grid does not resolve F′ (a steep σ(kx) needs spacing well below 1/k).";
        return a + b;
    }

    /// <summary>Where S(cx) is at the two ends of the scale sweep.</summary>
    public static string ScaleLimits(IReadOnlyList<ScaleRow> rows, int n, double tol = 1e-2)
    {
        if (rows.Count == 0) return "No scale was run.";
        var small = rows.MinBy(r => r.C)!;
        var large = rows.MaxBy(r => r.C)!;
        string a = small.MaxFromUniform <= tol
            ? $"At c = {F(small.C)} S(cx) is within {F(small.MaxFromUniform)} of the uniform vector 1/{n}: every class gets the same probability whatever x is"
            : $"At c = {F(small.C)} S(cx) is still {F(small.MaxFromUniform)} away from uniform";
        string b = large.MaxFromOneHot <= tol
            ? $"at c = {F(large.C)} it is within {F(large.MaxFromOneHot)} of the one-hot vector of argmax x (softmax becomes a hard max)"
            : $"at c = {F(large.C)} it is still {F(large.MaxFromOneHot)} away from the one-hot vector of argmax x";
        return $"{a}; {b}. In between S(cx) changes with c, so softmax is not scale invariant.";
    }

    /// <summary>How triangular M is.</summary>
    public static string Triangular(double maxBelowDiagonal, double minAbsDiagonal, double tol)
    {
        string diag = minAbsDiagonal > 0 ? $"its smallest |diagonal| entry is {F(minAbsDiagonal)} (non-zero)" : "a diagonal entry is 0";
        if (maxBelowDiagonal == 0) return $"M is exactly upper triangular and {diag}";
        if (maxBelowDiagonal <= tol) return $"M is upper triangular to within {F(maxBelowDiagonal)} and {diag}";
        return $"M is not yet triangular (largest entry below the diagonal {F(maxBelowDiagonal)}) and {diag}";
    }

    /// <summary>Whether an interpolation network reproduces f at the samples, and why not when its coefficients are huge.</summary>
    public static string Interpolates(InterpolationRun run, double maxAbsTarget, double tol)
    {
        string name = run.Activation + (double.IsNaN(run.Lambda) ? "" : $" (λ = {F(run.Lambda)})");
        if (run.MaxInterpolationError <= tol)
            return $"{name}: the library network reproduces f at every sample (largest error {F(run.MaxInterpolationError)})";
        if (run.MaxAbsOutputWeight >= 1e8 * Math.Max(maxAbsTarget, 1e-300))
            return $"{name}: the network misses f by up to {F(run.MaxInterpolationError)} — the solved W̃ has entries up to " +
                   $"{F(run.MaxAbsOutputWeight)}, so every output is a cancellation of terms about 10^{Math.Floor(Math.Log10(run.MaxAbsOutputWeight / Math.Max(maxAbsTarget, 1e-300))):0} " +
                   "times larger than f, beyond what float64 (relative precision ≈ 1e-16) resolves: this M is invertible in principle but the solve needs exact arithmetic";
        return $"{name}: the network misses f by up to {F(run.MaxInterpolationError)}";
    }

    /// <summary>What training on a signed loss did to ŷ.</summary>
    public static string SignedLoss(SignedLossRun run, double lr)
    {
        var y = run.YHat;
        double first = y[0], last = y[^1];
        bool monotoneDown = y.Zip(y.Skip(1)).All(p => p.Second <= p.First);
        bool monotoneUp = y.Zip(y.Skip(1)).All(p => p.Second >= p.First);
        int steps = y.Length - 1;
        string head = $"{run.Loss}, {run.Output} output:";
        string hidden = run.HiddenDeadSteps >= 0 ? $" Both hidden ReLUs are 0 from step {run.HiddenDeadSteps} on (W was pushed negative), so only the output bias still learns." : "";
        if (run.FinalGradNorm == 0 && last == 0)
            return $"{head} ŷ falls from {F(first)} to 0 and stays there: the ReLU output unit is dead (its input is negative, every gradient is exactly 0), so training stops with the loss at −y.{hidden}";
        if (monotoneDown && last < first)
        {
            double lastStep = y[^2] - y[^1];
            string pace = Math.Abs(lastStep - lr) <= 1e-9 * Math.Max(1, Math.Abs(last)) ? $", at the end by exactly the learning rate {F(lr)} per step (∂L/∂c = 1)"
                : lastStep > 1.5 * (y[0] - y[1]) ? ", faster and faster" : "";
            return $"{head} ŷ falls at every step, from {F(first)} to {F(last)} after {steps} steps{pace}: minimising ŷ − y has no lower bound, ŷ is driven to −∞.{hidden}";
        }
        if (monotoneUp && last > first)
        {
            double lastStep = y[^1] - y[^2], firstStep = y[1] - y[0];
            string pace = lastStep > 1.5 * firstStep ? ", faster and faster (the weights multiply)" : "";
            return $"{head} ŷ rises at every step, from {F(first)} to {F(last)} after {steps} steps{pace}: minimising y − ŷ has no lower bound, ŷ is driven to +∞.{hidden}";
        }
        return $"{head} ŷ goes from {F(first)} to {F(last)} in {steps} steps (learning rate {F(lr)}), not monotonically.{hidden}";
    }

    /// <summary>Workbook Q1a: the two fits' test accuracies compared (within 2 points = no clear difference).</summary>
    public static string Q1aAccuracy(double regression, double classification)
    {
        double d = 100 * (classification - regression);
        return Math.Abs(d) <= 2
            ? $"Over the test points the two predict about equally well ({F(100 * regression)}% by rounding ŷ, {F(100 * classification)}% by argmax): the difference is in what the outputs mean, not only in the score."
            : d > 0
                ? $"Over the test points the classifier is more accurate ({F(100 * classification)}% against {F(100 * regression)}% by rounding ŷ): rounding a regression output is a poor classifier where classes meet."
                : $"Over the test points rounding ŷ is more accurate here ({F(100 * regression)}% against {F(100 * classification)}%).";
    }
}
