using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class TheoryChecksLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-theory-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void QuickRunWritesTheReportFiguresAndHeadlineNumbers()
    {
        var r = new TheoryChecksLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "relu_heaviside.png", "sigmoid_to_step.png", "vjp_time.png", "softmax_scale.png",
                     "interpolation.png", "loss_yhat_minus_y.png", "loss_y_minus_yhat.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        var m = r.Metrics;
        Assert.Equal(0, m["relu_max_error_x_times_h"]);
        Assert.Equal(0.003 / 4, m["relu_max_error_integral_of_h"], 1e-12);   // h = 6/2000, error h/4 at x = 0
        Assert.True(m["softmax_jacobian_max_error"] < 1e-15);
        Assert.True(m["sigmoid_tanh_max_difference"] < 1e-12);
        Assert.True(m["interpolation_relu_max_error"] < 1e-8);
        Assert.Equal(0, m["avgpool_as_conv_max_difference"]);
        Assert.Equal(0, m["signed_loss_yhat_minus_y_relu_final_yhat"]);
        Assert.True(m["signed_loss_y_minus_yhat_linear_final_yhat"] > 100);
        // Workbook Q1a: between blobs 0 and 2 the regression averages the labels into the far class 1; the classifier does not.
        Assert.Equal(1, m["q1a_regression_probe_class"]);
        Assert.NotEqual(1, m["q1a_classification_probe_class"]);
        Assert.True(m["q1a_classification_probe_p1"] < 0.1);
        Assert.True(m["q1a_classification_max_sum_error"] < 1e-12);
        Assert.True(m["q1a_classification_test_accuracy"] > 0.9);
        // Workbook Q8c: dropping the bias node (p = ½) halves the learned offset (b* = ȳ/2) and every prediction is off by ≈ 2.5.
        Assert.Equal(m["q8c_bias_dropped_predicted_b"], m["q8c_bias_dropped_b"], 0.1);
        Assert.Equal(5, m["q8c_no_dropout_b"], 0.05);
        Assert.True(m["q8c_bias_dropped_test_mse"] > 100 * m["q8c_no_dropout_test_mse"]);
        string md = File.ReadAllText(r.ReportPath);
        Assert.StartsWith("# Theory checks", md);
        Assert.Contains("smoke run", md);
        Assert.Contains("max \\|σ(kx) − H(x)\\|", md);                     // pipes in cells are escaped
    }

    [Fact]
    public void ReluEqualsXTimesHAndTheIntegralOfH()
    {
        // Grid of 7 points on [−3, 3]: h = 1, x = −3..3. ∫_{−3}^x H by trapezoid: 0,0,0, ¼ (at 0), 1, 2, 3.
        var c = HeavisideChecks.Relu(7, 3, [-1, 0, 1]);
        Assert.Equal(1.0, c.Spacing);
        Assert.Equal(0, c.MaxErrorXTimesH);
        Assert.Equal(0.25, c.MaxErrorIntegral, 1e-15);
        Assert.Equal(0.25, c.IntegralErrorAtZero, 1e-15);
        Assert.Equal([0.0], c.SlopeMismatchXs);                               // autograd ReLU′(0) = 0, H(0) = ½
        var row1 = c.Rows.Single(w => w.X == 1);
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (row1.Relu, row1.IntegralOfH, row1.AutogradSlope, row1.H));
    }

    [Fact]
    public void SigmoidErrorOutsideDeltaIsSigmaOfMinusKDelta()
    {
        // Grid 201 points on [−1, 1] (h = 0.01), δ = 0.1 lies on the grid: error = σ(−10·0.1) = 1/(1 + e) = 0.26894142.
        var rows = HeavisideChecks.SigmoidSteps(201, 1, [10], 0.1);
        Assert.Equal(0.2689414213699951, rows[0].MaxErrorOutsideDelta, 1e-12);
        Assert.Equal(0, rows[0].AtZero);                                      // σ(0) = ½ = H(0)
    }

    [Fact]
    public void DistributionalDerivativeOfHIsTheBumpAtZero()
    {
        // φ(x) = exp(−1/(1 − x²)) on (−1, 1): φ(0) = e⁻¹ = 0.36787944; a bump centred at 2 (support [1, 3]) gives 0.
        var rows = HeavisideChecks.Distributional(20001, 3, [(0, 1), (2, 1)]);
        Assert.Equal(Math.Exp(-1), rows[0].MinusIntegralFPhiPrime, 1e-7);
        Assert.Equal(0, rows[1].MinusIntegralFPhiPrime, 1e-12);
        foreach (var w in rows.Where(w => w.F != "H")) Assert.Equal(w.Expected, w.MinusIntegralFPhiPrime, 1e-9);
    }

    [Fact]
    public void SoftmaxJacobianAndVectorProducts()
    {
        // S = softmax([0, ln 3]) = [¼, ¾]: J = diag(S) − SSᵀ = [[3/16, −3/16], [−3/16, 3/16]].
        var j = SoftmaxChecks.SoftmaxJacobian(SoftmaxChecks.Softmax([0, Math.Log(3)]));
        Assert.Equal(3.0 / 16, j[0, 0], 1e-15);
        Assert.Equal(-3.0 / 16, j[0, 1], 1e-15);
        // Jᵀg for g = [1, 0]: S ⊙ (g − ⟨g, S⟩) = [¼·¾, ¾·(−¼)] = [3/16, −3/16].
        var v = SoftmaxChecks.LinearVjp([0.25, 0.75], [1, 0]);
        Assert.Equal([3.0 / 16, -3.0 / 16], v);
        Assert.Equal((2L * 100 * 100, 300L), SoftmaxChecks.OpCounts(100));
        var rows = SoftmaxChecks.VectorJacobianProducts([4, 16], 1, 1e-5, new Generator(1));
        Assert.All(rows, w => Assert.True(w.MaxDifference < 1e-15));
        Assert.Equal(2.0, SoftmaxChecks.GrowthExponent([10, 100], [1e-6, 1e-4]), 1e-12);   // ×100 time for ×10 n
        var check = SoftmaxChecks.Jacobians(5, new Generator(2));
        Assert.True(check.MaxSoftmaxError < 1e-15 && check.MaxSigmoidError < 1e-15 && check.MaxSigmoidOffDiagonal == 0);
    }

    [Fact]
    public void SoftmaxShiftScaleAndReparameterisation()
    {
        var shifts = SoftmaxChecks.Shifts([1, 2, 3], [1000]);
        Assert.True(shifts[0].MaxDifference < 1e-15);
        Assert.True(shifts[0].NaiveOverflows);                                   // e^1003 = ∞
        // S(0·x) = [⅓, ⅓, ⅓]; S(100·[1, 2, 3]) = one-hot(3) up to e^−100.
        var scales = SoftmaxChecks.Scales([1, 2, 3], [0, 100]);
        Assert.Equal(0, scales[0].MaxFromUniform, 1e-16);
        Assert.True(scales[1].MaxFromOneHot < 1e-40);
        var rp = SoftmaxChecks.Reparameterisations(100, [3, 7], new Generator(3));
        Assert.True(rp.MaxTwoClassError < 1e-15);
        Assert.All(rp.KMinusOne, k => Assert.True(k.MaxError < 1e-15));
    }

    [Fact]
    public void TanhParametersFromSigmoidParameters()
    {
        // One hidden unit, one output: y = 2σ(3x + 1) + 5. σ(a) = (1 + tanh(a/2))/2 ⇒ y = tanh(1.5x + 0.5) + 6:
        // Θ′ = (w1 1.5, b1 0.5, w2 1, b2 5 + 2/2 = 6).
        var p = EquivalentNetworks.ToTanh(new TwoLayerParameters(1, 1, 1, [3], [1], [2], [5]));
        Assert.Equal([1.5], p.W1);
        Assert.Equal([0.5], p.B1);
        Assert.Equal([1.0], p.W2);
        Assert.Equal([6.0], p.B2);
        var c = EquivalentNetworks.Check(3, 5, 2, 50, new Generator(4));
        Assert.True(c.MaxDifference < 1e-13);
        Assert.True(c.MaxDifferenceUntransformed > 1e-3);
    }

    [Fact]
    public void ReluInterpolationMatrixIsUpperTriangular()
    {
        var pr = Interpolation.Problem(6, 3, 2, new Generator(5));
        var r = Interpolation.Relu(pr);
        Assert.Equal(0, r.MaxBelowDiagonal);
        Assert.Equal(pr.MinGap / 2, r.MinAbsDiagonal, 1e-15);                   // diagonal ε, bias row 1
        Assert.True(r.MaxInterpolationError < 1e-8);
        var s = Interpolation.Sigmoid(pr, 1e6);
        Assert.True(s.MaxBelowDiagonal < 1e-6);
        Assert.Equal(0.5, s.M[2, 2], 1e-9);                                        // σ(λ(p₃ − p₃)) = σ(0) up to rounding of λuᵀx
        Assert.True(s.MaxInterpolationError < 1e-8);
    }

    [Fact]
    public void SolversAgreeOnASmallSystem()
    {
        // [[2, 1], [0, 4]]·w = [5, 8] ⇒ w₂ = 2, w₁ = (5 − 2)/2 = 1.5; Gauss on [[0, 1], [1, 1]]·w = [2, 3] ⇒ w = [1, 2] (needs the pivot swap).
        var w = Interpolation.BackSubstitute(new double[,] { { 2, 1 }, { 0, 4 } }, new double[,] { { 5 }, { 8 } });
        Assert.Equal((1.5, 2.0), (w[0, 0], w[1, 0]));
        var g = Interpolation.GaussSolve(new double[,] { { 0, 1 }, { 1, 1 } }, new double[,] { { 2 }, { 3 } });
        Assert.Equal((1.0, 2.0), (g[0, 0], g[1, 0]));
    }

    [Fact]
    public void AveragePoolingEqualsQuarterWeightConvolution()
    {
        var c = PoolingAndLossChecks.AvgPoolAsConv(1, 2, 4, 4, new Generator(6));
        Assert.Equal([1, 2, 2, 2], c.OutputShape);
        Assert.True(Math.Max(Math.Max(c.MaxForwardPerChannel, c.MaxForwardFull), Math.Max(c.MaxGradPerChannel, c.MaxGradFull)) < 1e-15);
    }

    [Fact]
    public void SignedLossFirstStepByHand()
    {
        // ŷ = v·ReLU(Wx) + c: h = (0.1·2 + 0.1·4, 0.05·2 + 0.1·4) = (0.6, 0.5), ŷ₀ = 0.2·0.6 + 0.3·0.5 = 0.27.
        // L = ŷ − y, lr 0.1: ∂ŷ/∂v = h, ∂ŷ/∂c = 1, ∂ŷ/∂W_j = v_j·x ⇒ v = (0.14, 0.25), c = −0.1,
        // W₁ = (0.1 − 0.04, 0.1 − 0.08) = (0.06, 0.02), W₂ = (0.05 − 0.06, 0.1 − 0.12) = (−0.01, −0.02);
        // h = (0.12 + 0.08, −0.02 − 0.08 → 0) = (0.2, 0), ŷ₁ = 0.14·0.2 − 0.1 = −0.072.
        var r = PoolingAndLossChecks.SignedLoss(yHatMinusY: true, reluOutput: false, steps: 1, lr: 0.1);
        Assert.Equal(0.27, r.YHat[0], 1e-15);
        Assert.Equal(-0.072, r.YHat[1], 1e-15);
        var up = PoolingAndLossChecks.SignedLoss(yHatMinusY: false, reluOutput: true, steps: 30, lr: 0.05);
        Assert.All(up.YHat.Zip(up.YHat.Skip(1)), p => Assert.True(p.Second > p.First));
        var dead = PoolingAndLossChecks.SignedLoss(yHatMinusY: true, reluOutput: true, steps: 30, lr: 0.05);
        Assert.Equal(0, dead.YHat[^1]);
        Assert.Equal(0, dead.FinalGradNorm);
    }

    [Fact]
    public void RegressionVsClassificationBlobsAndRounding()
    {
        var (x, y) = RegressionVsClassification.Blobs(50, new Generator(3));
        Assert.Equal([150, 2], x.Shape.ToArray());
        Assert.Equal([0, 0, 1, 2], new[] { y[0], y[49], y[50], y[149] });
        // Each blob's mean is its centre (sd 0.45, 50 points: standard error 0.064).
        var v = x.ToDoubleArray();
        for (int c = 0; c < 3; c++)
            for (int d = 0; d < 2; d++)
                Assert.Equal(RegressionVsClassification.Centres[c][d], Enumerable.Range(50 * c, 50).Average(i => v[2 * i + d]), 0.3);
        Assert.Equal(0, RegressionVsClassification.RoundToClass(-0.7, 3));
        Assert.Equal(1, RegressionVsClassification.RoundToClass(0.5, 3));
        Assert.Equal(1, RegressionVsClassification.RoundToClass(1.49, 3));
        Assert.Equal(2, RegressionVsClassification.RoundToClass(7.2, 3));
    }

    [Fact]
    public void RegressionVsClassificationRulesFollowTheNumbers()
    {
        TaskFit Fit(string task, double[] probe, int cls) => new(task, probe.Length, 0, 1, 1, 0, 0, 1, double.NaN, double.NaN, probe, cls);
        var reg = Fit("regression", [0.97], 1);
        var cls = Fit("classification", [0.49, 0.02, 0.49], 0);
        Assert.Contains("rounds to class 1 — the class whose points are farthest away", RegressionVsClassification.ProbeSays(reg, cls));
        Assert.Contains("does not produce the far class 1", RegressionVsClassification.ProbeSays(Fit("regression", [0.2], 0), cls));
        Assert.Contains("does not produce", RegressionVsClassification.ProbeSays(reg, Fit("classification", [0.3, 0.4, 0.3], 1)));
        Assert.Contains("about equally well", TheoryChecksSays.Q1aAccuracy(0.98, 0.99));
        Assert.Contains("the classifier is more accurate", TheoryChecksSays.Q1aAccuracy(0.9, 0.99));
        Assert.Contains("rounding ŷ is more accurate", TheoryChecksSays.Q1aAccuracy(0.99, 0.9));
    }

    [Fact]
    public void DroppingTheBiasNodeShrinksTheOffsetToMeanYTimesOneMinusP()
    {
        // x = (−1, 0, 1), y = (4, 5, 6): the least-squares line is 1·x + 5, ȳ = 5. With the bias dropped at p = ¼ the expected
        // loss (ȳ − b)² + b²·(¼/¾) is smallest at b = 5·¾ = 3.75; w stays 1 (x centred).
        double[] x = [-1, 0, 1], y = [4, 5, 6];
        var (w0, b0) = BiasDropout.Fit(x, y, 400, 0.1, 0.25, "none", new Generator(1));
        Assert.Equal(1, w0, 1e-9);
        Assert.Equal(5, b0, 1e-9);
        var xs = Enumerable.Range(0, 300).Select(i => (i - 149.5) / 50).ToArray();
        var ys = xs.Select(v => v + 5).ToArray();
        var (w, b) = BiasDropout.Fit(xs, ys, 4000, 0.05, 0.25, "bias", new Generator(2));
        Assert.Equal(3.75, b, 0.1);
        Assert.Equal(1, w, 0.05);
        var check = BiasDropout.Run(100, 1000, 0.05, 0.5, new Generator(3));
        Assert.Equal(["none", "bias", "input x"], check.Runs.Select(r => r.Dropped));
        Assert.Equal(check.MeanY / 2, check.Runs[1].PredictedB, 1e-12);
        Assert.Equal(check.Runs[0].PredictedW / 2, check.Runs[2].PredictedW, 1e-12);
        Assert.Contains("within 5 %", BiasDropout.Says(check));
        Assert.Contains("not to bias nodes", BiasDropout.Says(check));
        var off = check with { Runs = [check.Runs[0], check.Runs[1] with { B = 4, TestMse = check.Runs[0].TestMse }, check.Runs[2]] };
        Assert.Contains("not within 5 % here", BiasDropout.Says(off));
        Assert.Contains("not much worse", BiasDropout.Says(off));
    }

    /// <summary>Workbook Q20a: the Chebyshev line for x² on [0, 1] is x − 1/8 with largest error 1/8 (equioscillation at
    /// 0, ½, 1); least squares on the 101 grid points has slope exactly 1 (x² − x is symmetric about ½) and intercept
    /// mean(x²) − ½ = 0.335 − 0.5 = −0.165, largest error 0.165 at x = 0. The smallest circle around the right triangle
    /// (0, 0), (4, 0), (0, 3) has its centre at the hypotenuse's midpoint (2, 1.5) and radius 2.5.</summary>
    [Fact]
    public void Q20aDescentOnTheMaximumFindsBothKnownMinimaxAnswers()
    {
        var cheb = MinimaxExamples.Chebyshev(3000);
        Assert.Equal(0.125, cheb.FoundWorst, 0.001);
        Assert.Equal(1, cheb.Found[0], 0.01);
        Assert.Equal(-0.125, cheb.Found[1], 0.005);
        Assert.Equal(0.125, cheb.KnownWorst, 1e-12);
        Assert.Equal(1, cheb.Usual[0], 1e-9);
        Assert.Equal(-0.165, cheb.Usual[1], 1e-9);
        Assert.Equal(0.165, cheb.UsualWorst, 1e-9);
        var circle = MinimaxExamples.OneCenter(3000, new Generator(11));
        Assert.Equal(2.5, circle.KnownWorst, 1e-12);
        Assert.Equal(2.5, circle.FoundWorst, 0.01);
        Assert.Equal(2, circle.Found[0], 0.02);
        Assert.Equal(1.5, circle.Found[1], 0.02);
        Assert.True(circle.UsualWorst > 2.5);
        Assert.Contains("(within 1 %)", MinimaxExamples.Says([cheb, circle]));
        var short_ = MinimaxExamples.Chebyshev(3);
        Assert.Contains("not within 1 % at this budget", MinimaxExamples.Says([short_]));
    }
}
