namespace Nabla.Labs;

/// <summary>Workbook Q8c, one fit of ŷ = w·x + b: where dropout acts (nowhere, on the bias as if it were a unit with
/// constant input 1, or on the input x), the learned w and b (averages over the second half of the steps), the values the
/// expected loss predicts, and on fresh test points the mean offset mean(y − ŷ) and the MSE (inference: no masks; inverted
/// dropout needs no rescaling).</summary>
public sealed record BiasDropoutRun(string Dropped, double W, double B, double PredictedW, double PredictedB, double TestOffset, double TestMse);

/// <summary>Workbook Q8c: the three fits on y = slope·x + offset + noise.</summary>
public sealed record BiasDropoutCheck(double P, double Slope, double Offset, double Noise, int Points, int Steps, double LearningRate,
    double MeanY, double VarX, IReadOnlyList<BiasDropoutRun> Runs);

/// <summary>
/// Workbook Q8c (why no dropout on bias nodes) by experiment. With inverted dropout on a term t (t·m/(1 − p), m ~ Bernoulli(1 − p)),
/// the expected squared loss gains t²·p/(1 − p): dropping an input x_i adds w_i²·x_i²·p/(1 − p), a data-dependent, ridge-like
/// penalty on how much the output leans on a feature that may be absent; dropping the bias unit (input ≡ 1) adds b²·p/(1 − p),
/// which only pulls the constant offset toward 0. With x centred the minimiser is b* = ȳ·(1 − p): every prediction is then off
/// by about ȳ·p, an error that more data does not remove. The fits use the library's autograd and SGD on float64 tensors.
/// </summary>
public static class BiasDropout
{
    public const double Slope = 2, Offset = 5, Noise = 0.1;

    public static BiasDropoutCheck Run(int points, int steps, double lr, double p, Generator gen)
    {
        var (x, y) = Data(points, gen);
        var (xTest, yTest) = Data(points, gen);
        double meanY = y.Average(), varX = x.Average(v => v * v);        // x is centred exactly
        double ls = x.Zip(y).Sum(t => t.First * t.Second) / x.Sum(v => v * v);   // least-squares slope
        var runs = new List<BiasDropoutRun>();
        foreach (var dropped in new[] { "none", "bias", "input x" })
        {
            // Expected loss: (1/N)Σ(y − wx − b)² + p/(1 − p)·(b² if the bias is dropped, w²·mean(x²) if x is).
            double k = p / (1 - p);
            double pw = dropped == "input x" ? ls / (1 + k) : ls;
            double pb = dropped == "bias" ? meanY / (1 + k) : meanY;
            var (w, b) = Fit(x, y, steps, lr, p, dropped, gen);
            double offset = 0, mse = 0;
            for (int i = 0; i < xTest.Length; i++)
            {
                double e = yTest[i] - (w * xTest[i] + b);
                offset += e;
                mse += e * e;
            }
            runs.Add(new BiasDropoutRun(dropped, w, b, pw, pb, offset / xTest.Length, mse / xTest.Length));
        }
        return new BiasDropoutCheck(p, Slope, Offset, Noise, points, steps, lr, meanY, varX, runs);
    }

    /// <summary>x ~ N(0, 1) centred exactly, y = Slope·x + Offset + Noise·ε.</summary>
    public static (double[] X, double[] Y) Data(int n, Generator gen)
    {
        var x = Tensor.Randn([n], 0, 1, DType.Float64, gen).ToDoubleArray();
        var e = Tensor.Randn([n], 0, 1, DType.Float64, gen).ToDoubleArray();
        double mean = x.Average();
        for (int i = 0; i < n; i++) x[i] -= mean;
        return (x, x.Select((v, i) => Slope * v + Offset + Noise * e[i]).ToArray());
    }

    /// <summary>Full-batch SGD on the mean squared error with a fresh mask per point and step on the dropped term (inverted
    /// scaling); returns w and b averaged over the second half of the steps (the iterates fluctuate with the masks).</summary>
    public static (double W, double B) Fit(double[] xs, double[] ys, int steps, double lr, double p, string dropped, Generator gen)
    {
        int n = xs.Length;
        var x = Tensor.FromArray(xs, n);
        var y = Tensor.FromArray(ys, n);
        var w = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([1], DType.Float64, requiresGrad: true);
        var opt = new Optim.Sgd([w, b], new Optim.SgdOptions(lr));
        var ones = Tensor.Ones([n], DType.Float64);
        double sw = 0, sb = 0;
        int kept = 0;
        for (int t = 0; t < steps; t++)
        {
            opt.ZeroGrad();
            var xIn = dropped == "input x" ? x.Dropout(p, true, gen) : x;
            var bIn = dropped == "bias" ? ones.Dropout(p, true, gen) : ones;     // the bias unit's constant input 1
            var loss = (y - (xIn * w + bIn * b)).Square().Mean();
            loss.Backward();
            opt.Step();
            if (t >= steps / 2) { sw += w.Item(); sb += b.Item(); kept++; }
        }
        return (sw / kept, sb / kept);
    }

    /// <summary>What the fits show, chosen by the numbers: whether dropping the bias shrank it as predicted and what that did to
    /// the test predictions, against no dropout.</summary>
    public static string Says(BiasDropoutCheck c)
    {
        string F(double v) => LabReport.Format(v);
        var none = c.Runs.Single(r => r.Dropped == "none");
        var bias = c.Runs.Single(r => r.Dropped == "bias");
        var input = c.Runs.Single(r => r.Dropped == "input x");
        bool asPredicted = Math.Abs(bias.B - bias.PredictedB) <= 0.05 * Math.Abs(bias.PredictedB);
        string head = asPredicted
            ? $"With the bias dropped (p = {F(c.P)}) SGD settles at b = {F(bias.B)}, the predicted ȳ·(1 − p) = {F(bias.PredictedB)} (within 5 %), instead of {F(none.B)} without dropout. "
            : $"With the bias dropped (p = {F(c.P)}) SGD ends at b = {F(bias.B)}; the expected loss predicts {F(bias.PredictedB)} — not within 5 % here. ";
        string effect = bias.TestMse > 2 * none.TestMse
            ? $"At inference every prediction is then off by {F(bias.TestOffset)} on average (test MSE {F(bias.TestMse)} against {F(none.TestMse)}): " +
              "the bias unit's input is the constant 1, which carries no information about x, so dropping it makes no feature redundant and " +
              "prevents no co-adaptation — it only adds noise b·(m/(1 − p) − 1) to the pre-activation and, through the loss, a pull of the offset " +
              "toward 0 that more data does not undo. Dropping the input x instead shrinks the weight on a feature (w = " + F(input.W) + ", the ridge-like " +
              "effect dropout is for; with a single feature and nothing redundant to spread over, it costs here too: test MSE " + F(input.TestMse) + "). " +
              "That is why dropout is applied to units, not to bias nodes."
            : $"Its test MSE ({F(bias.TestMse)}) is not much worse than without dropout ({F(none.TestMse)}) here.";
        return head + effect;
    }
}
