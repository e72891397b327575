using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class RnnTimeSeriesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-rnnts-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void HiddenStatesAndOutputsMatchTheHandComputation()
    {
        // By hand: h1 = ReLU(x + ½h1), h2 = ReLU(−x + ½h2) over x = 1, 2, 0, −3, 1, 0; y = σ(h1 − h2).
        double[] h1 = [1, 2.5, 1.25, 0, 1, 0.5];
        double[] h2 = [0, 0, 0, 3, 0.5, 0.25];
        var (hidden, y) = RnnTimeSeriesLab.Run(RnnTimeSeriesLab.Sequence);
        for (int t = 0; t < 6; t++)
        {
            Assert.Equal(h1[t], hidden[t][0], 1e-15);
            Assert.Equal(h2[t], hidden[t][1], 1e-15);
            Assert.Equal(Sigmoid(h1[t] - h2[t]), y[t], 1e-15);
        }
        Assert.Equal(0.0474258731775668, y[3], 1e-12);                            // σ(−3)
    }

    [Fact]
    public void QuickRunWritesTheReport()
    {
        string dir = _dir;
        {
            var r = new RnnTimeSeriesLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "sequence.png", "sine.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            Assert.Equal(Sigmoid(2.5), r.Metrics["y_2"], 1e-12);
            Assert.True(r.Metrics["sine_y_max"] > 0.5 && r.Metrics["sine_y_min"] < 0.5);
            string md = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("| 4 | -3 |", md);
            Assert.Contains("By hand: h1 = 1, 2.5, 1.25, 0, 1, 0.5 and h2 = 0, 0, 0, 3, 0.5, 0.25", md);
            Assert.Contains("— the table's values", md);
            Assert.Contains("h2 stays 0 while x ≥ 0 (t = 1..3)", md);
            Assert.Contains("After the -3 at t = 4 the output drops to 0.0474 and is back above ½ at t = 5", md);
        }
    }

    [Fact]
    public void WorkbookQ15IsRunWithTheWorkbooksWeightsAndData()
    {
        // The seed's numbers (Workbook Q15): U = [0.5, 0.1; 0.4, 0.01], W = [0.1, 0.3; 0.3, 0.1], b = 0, V = (2, 3), c = 1,
        // x = (0.1, 0.1), (0.7, 0.4), (0.5, 0.2), (0.1, 0.1), (0.8, 0.8); h = ReLU(b + W h + U x), ŷ = σ(V h + c).
        // t = 1 by hand: h = (0.05 + 0.01, 0.04 + 0.001) = (0.06, 0.041), ŷ = σ(0.12 + 0.123 + 1) = σ(1.243).
        double[][] x = [[0.1, 0.1], [0.7, 0.4], [0.5, 0.2], [0.1, 0.1], [0.8, 0.8]];
        double h1 = 0, h2 = 0;
        var expected = new double[5];
        for (int t = 0; t < 5; t++)
        {
            (h1, h2) = (Math.Max(0, 0.1 * h1 + 0.3 * h2 + 0.5 * x[t][0] + 0.1 * x[t][1]), Math.Max(0, 0.3 * h1 + 0.1 * h2 + 0.4 * x[t][0] + 0.01 * x[t][1]));
            expected[t] = Sigmoid(2 * h1 + 3 * h2 + 1);
        }
        Assert.Equal(Sigmoid(1.243), expected[0], 1e-15);
        var r = new RnnTimeSeriesLab().Run(new LabContext(_dir, Quick: true));
        for (int t = 0; t < 5; t++) Assert.Equal(expected[t], r.Metrics[$"workbook_q15_y_{t + 1}"], 1e-12);
        Assert.True(r.Metrics["workbook_q15_max_difference"] <= 1e-12);
        Assert.True(File.Exists(Path.Combine(_dir, "q15_rnn.png")));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("## Workbook Q15", md);
        Assert.Contains("| 5 | 0.8 | 0.8 |", md);
        Assert.Contains("**Interpretation.**", md);
        Assert.Contains("t = 1: ŷ = σ(o) = σ(1.243)", md);
        // Workbook Q16a: the unrolled formula over the five inputs, evaluated as one nested expression, is the last output.
        Assert.Equal(expected[4], r.Metrics["workbook_q16a_unrolled_y"], 1e-12);
        Assert.Contains("ŷ⁵ = σ(c + V·ReLU(b + U x⁵ + W·ReLU(b + U x⁴ + W·ReLU(b + U x³ + W·ReLU(b + U x² + W·ReLU(b + U x¹ + W·h⁰))))))", md);
    }

    [Fact]
    public void UnrolledFormulaNestsOneStepPerInput()
    {
        Assert.Equal("ŷ¹ = σ(c + V·ReLU(b + U x¹ + W·h⁰))", RnnTimeSeriesLab.UnrolledFormula(1));
        Assert.Equal("ŷ¹² = σ(c + V·" + string.Concat(Enumerable.Range(1, 12).Reverse().Select(t => $"ReLU(b + U x{Sup(t)} + W·")) + "h⁰" + new string(')', 13),
            RnnTimeSeriesLab.UnrolledFormula(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => RnnTimeSeriesLab.UnrolledFormula(0));
        static string Sup(int t) => string.Concat(t.ToString().Select(c => "⁰¹²³⁴⁵⁶⁷⁸⁹"[c - '0']));
    }

    [Fact]
    public void AgreementRuleFollowsTheDifference()
    {
        Assert.Contains("agree", RnnTimeSeriesLab.AgreementSays(1e-16));
        Assert.Contains("one of them is wrong", RnnTimeSeriesLab.AgreementSays(1e-6));
    }

    [Fact]
    public void OverridesChangeTheSequenceAndTheSine()
    {
        var r = new RnnTimeSeriesLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["sequence"] = "2,-1", ["sine-length"] = "24", ["sine-period"] = "8",
        }));
        // h = (2, 0) then (ReLU(−1 + 1), ReLU(1 + 0)) = (0, 1): y = σ(2), σ(−1).
        Assert.Equal(Sigmoid(2), r.Metrics["y_1"], 1e-15);
        Assert.Equal(Sigmoid(-1), r.Metrics["y_2"], 1e-15);
        Assert.False(r.Metrics.ContainsKey("y_3"));
        // sin(2πt/8) over t = 0..23 changes sign at t = 5, 9, 13, 17, 21 (zeros at multiples of 4 are skipped).
        Assert.Equal(5, r.Metrics["sine_input_sign_changes"]);
        Assert.Contains("sin(2πt/8)", File.ReadAllText(r.ReportPath));
    }

    [Fact]
    public void SignTrackingFindsChangesCrossingsAndLags()
    {
        var (changes, crossings, lags) = RnnTimeSeriesLab.SignTracking([1, 0, -1, -1, 1], [0.7, 0.6, 0.55, 0.3, 0.2]);
        Assert.Equal([2, 4], changes);
        Assert.Equal([3], crossings);
        Assert.Equal([1], lags);                                   // the change at 4 has no later crossing
        Assert.Contains("sign detector", RnnTimeSeriesLab.SineVerdict(2, 2, [1, 1]));
        Assert.Contains("lags the input by 1 steps", RnnTimeSeriesLab.SineVerdict(2, 2, [1, 1]));
        Assert.Contains("at the same step", RnnTimeSeriesLab.SineVerdict(2, 2, [0, 0]));
        Assert.Contains("does not follow every change", RnnTimeSeriesLab.SineVerdict(4, 2, [1]));
        Assert.Contains("never changes sign", RnnTimeSeriesLab.SineVerdict(0, 0, []));
    }

    [Fact]
    public void SequenceRulesFollowTheValues()
    {
        double[] xs = [1, 2, 0, -3, 1, 0];
        var (h, y) = RnnTimeSeriesLab.Run(xs);
        Assert.Contains("h2 stays 0", RnnTimeSeriesLab.SignVerdict(xs, h));
        Assert.Contains("does not silence", RnnTimeSeriesLab.SignVerdict(xs, [[1, 0.1], [1, 0], [1, 0], [0, 1], [0, 0], [0, 0]]));
        Assert.Equal("", RnnTimeSeriesLab.SignVerdict([-1.0], [[0, 1]]));
        Assert.Contains("is back above ½ at t = 5", RnnTimeSeriesLab.RecoveryVerdict(xs, y));
        Assert.Contains("does not get back above ½", RnnTimeSeriesLab.RecoveryVerdict([1, -3, 0], [0.7, 0.05, 0.2]));
        Assert.Contains("above ½: the positive memory", RnnTimeSeriesLab.RecoveryVerdict([5, -1], [0.99, 0.9]));
        Assert.Equal("", RnnTimeSeriesLab.RecoveryVerdict([1, 2], [0.7, 0.9]));
        var (hh, hy) = RnnTimeSeriesLab.ByHand(xs);
        var good = new RnnTimeSeriesResult(xs, h, y, hh, hy, [], [], [], RecurrentExercises.Q15());
        Assert.Contains("the table's values", RnnTimeSeriesLab.HandVerdict(good));
        Assert.Contains("the table differs by up to 0.1", RnnTimeSeriesLab.HandVerdict(good with { Output = [.. y.Select((v, i) => i == 2 ? v + 0.1 : v)] }));
    }
}
