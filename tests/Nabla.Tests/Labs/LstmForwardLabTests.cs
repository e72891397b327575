using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class LstmForwardLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-lstmfw-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The lab's LSTM by hand, in scalars: i = σ(2x − 1), f = σ(3x + 2), g = tanh(x + ½h), o = σ(h + 1).</summary>
    private static List<double[]> ByHand(bool relu) => ByHandOver(LstmForwardLab.Sequence, relu);

    private static List<double[]> ByHandOver(double[] xs, bool relu)
    {
        double h = 0, s = 0;
        var rows = new List<double[]>();
        foreach (double x in xs)
        {
            double i = Sigmoid(2 * x - 1), f = Sigmoid(3 * x + 2), g = Math.Tanh(x + 0.5 * h), o = Sigmoid(h + 1);
            s = f * s + i * g;
            h = o * (relu ? Math.Max(s, 0) : Math.Tanh(s));
            rows.Add([i, f, g, o, s, h]);
        }
        return rows;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryGateAndStateMatchesTheHandComputation(bool relu)
    {
        var steps = LstmForwardLab.Run(LstmForwardLab.Sequence, relu ? RecurrentActivation.Relu : RecurrentActivation.Tanh, out double fused);
        var hand = ByHand(relu);
        Assert.Equal(hand.Count, steps.Count);
        for (int t = 0; t < steps.Count; t++)
        {
            var st = steps[t];
            double[] got = [st.I, st.F, st.G, st.O, st.Cell, st.Hidden];
            for (int k = 0; k < 6; k++) Assert.Equal(hand[t][k], got[k], 1e-14);
        }
        Assert.True(fused < 1e-14, $"fused cell differs by {fused}");
    }

    [Fact]
    public void TanhVariantMatchesPyTorch()
    {
        // torch 1.13 nn.LSTMCell(1, 1) in float64 with weight_ih = (2, 3, 1, 0)ᵀ, weight_hh = (0, 0, 0.5, 1)ᵀ,
        // bias_ih = (−1, 2, 0, 1), bias_hh = 0, over x = 1, 0, 0, 1, −1, 0: (h, c) per step.
        double[] h = [0.369606352936, 0.392792421601, 0.387201861688, 0.649443240741, 0.226195892521, 0.206572151758];
        double[] c = [0.556769941146, 0.539544387856, 0.527379409725, 1.131865544524, 0.276498187147, 0.273826489613];
        var steps = LstmForwardLab.Run(LstmForwardLab.Sequence, RecurrentActivation.Tanh, out _);
        for (int t = 0; t < 6; t++)
        {
            Assert.Equal(h[t], steps[t].Hidden, 1e-11);
            Assert.Equal(c[t], steps[t].Cell, 1e-11);
        }
    }

    [Fact]
    public void QuickRunWritesTheReport()
    {
        string dir = _dir;
        {
            var r = new LstmForwardLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "lstm_tanh.png", "lstm_relu.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            // Step 1 by hand: s = σ(1)·tanh(1); h = σ(1)·tanh(s) or σ(1)·s.
            double s1 = Sigmoid(1) * Math.Tanh(1);
            Assert.Equal(s1, r.Metrics["tanh_s_1"], 1e-14);
            Assert.Equal(Sigmoid(1) * Math.Tanh(s1), r.Metrics["tanh_h_1"], 1e-14);
            Assert.Equal(Sigmoid(1) * s1, r.Metrics["relu_h_1"], 1e-14);
            string md = File.ReadAllText(r.ReportPath);
            Assert.Contains("s_1 = 0.7311·0.7616 = 0.5568 and h_1 = 0.7311·tanh(0.5568) = 0.3696 (ReLU variant: 0.7311·ReLU(0.5568) = 0.4070), the tables' first rows", md);
            Assert.Contains("written at t = 1 (Δs = +0.56), t = 4 (Δs = +0.60)", md);
            Assert.Contains("reset by a closing forget gate at t = 5 (x = -1: f = 0.27", md);
            Assert.Contains("agree up to step 1 and part from step 2", md);
        }
    }

    [Fact]
    public void WorkbookQ17IsRunWithTheWorkbooksWeightsAndInputs()
    {
        // The seed's numbers (Workbook Q17): x = 0.7, 0.5, 0.7; (U, W, b) of g (0.3, −0.3, 0.1), f (0.25, 0.3, 0),
        // q (0.4, 0.3, 0.2), cell input (0.01, 0.1, 1); h = ReLU(s)·q, output σ(5h − 1); h⁰ = s⁰ = 0 (Goodfellow's cell:
        // s = f·s + g·σ(b + Ux + Wh)).
        double[] x = [0.7, 0.5, 0.7];
        double h = 0, s = 0;
        var o = new double[3];
        for (int t = 0; t < 3; t++)
        {
            double g = Sigmoid(0.1 + 0.3 * x[t] - 0.3 * h), f = Sigmoid(0.25 * x[t] + 0.3 * h), q = Sigmoid(0.2 + 0.4 * x[t] + 0.3 * h);
            double input = Sigmoid(1 + 0.01 * x[t] + 0.1 * h);
            s = f * s + g * input;
            h = Math.Max(s, 0) * q;
            o[t] = Sigmoid(5 * h - 1);
        }
        var r = new LstmForwardLab().Run(new LabContext(_dir, Quick: true));
        for (int t = 0; t < 3; t++) Assert.Equal(o[t], r.Metrics[$"workbook_q17_output_{t + 1}"], 1e-12);
        Assert.Equal(Math.Abs(o[0] - o[2]) <= 1e-12 ? 1 : 0, r.Metrics["workbook_q17_t1_equals_t3"]);
        Assert.True(r.Metrics["workbook_q17_max_difference"] <= 1e-12);
        Assert.True(File.Exists(Path.Combine(_dir, "q17_lstm.png")));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("## Workbook Q17", md);
        Assert.Contains("**Is the output at t = 1 the same as at t = 3?** No: the output at t = 1 is", md);
        Assert.Contains("it is a different cell from the workbook's", md);
    }

    [Fact]
    public void TanhCellRuleFollowsTheDifference()
    {
        Assert.Contains("a different cell", LstmForwardLab.TanhCellSays(0.05, [0.5, 0.6]));
        Assert.Contains("happens to give the same outputs", LstmForwardLab.TanhCellSays(0, [0.5, 0.6]));
        Assert.Contains("agree", LstmForwardLab.AgreementSays(RecurrentExercises.Q17()));
    }

    [Fact]
    public void SequenceOverrideReachesTheRunAndTheReport()
    {
        var r = new LstmForwardLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["sequence"] = "-1,-1" }));
        var hand = ByHandOver([-1, -1], relu: false);
        Assert.Equal(hand[1][4], r.Metrics["tanh_s_2"], 1e-14);
        Assert.False(r.Metrics.ContainsKey("tanh_s_3"));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("x = (-1, -1)", md);
        Assert.Contains("the cell is negative, and the ReLU variant outputs h = 0", md);
        Assert.Equal(0, r.Metrics["relu_h_1"]);
    }

    private static LstmForwardLab.Step St(int t, double f, double s, double h = 0) => new(t, 0, 0.5, f, 0.5, 0.5, s, h);

    [Fact]
    public void DiscussionRulesFollowTheGatesAndStates()
    {
        string events = LstmForwardLab.CellEvents([St(1, 0.9, 0.5), St(2, 0.9, 0.51), St(3, 0.2, 0.1)]);
        Assert.Contains("written at t = 1 (Δs = +0.50)", events);
        Assert.Contains("kept almost unchanged at t = 2 (|Δs| ≤ 0.01, f ≥ 0.90)", events);
        Assert.Contains("reset by a closing forget gate at t = 3", events);
        Assert.DoesNotContain("reset", LstmForwardLab.CellEvents([St(1, 0.9, 0.5)]));
        Assert.Contains("never part", LstmForwardLab.VariantVerdict([St(1, 0.9, 0.5)], [St(1, 0.9, 0.5)]));
        Assert.Contains("agree up to step 1 and part from step 2", LstmForwardLab.VariantVerdict([St(1, 0.9, 0.5), St(2, 0.9, 0.6)], [St(1, 0.9, 0.5), St(2, 0.9, 0.7)]));
        Assert.Contains("never goes negative", LstmForwardLab.VariantVerdict([St(1, 0.9, 0.5)], [St(1, 0.9, 0.5)]));
        Assert.Contains("At t = 2 the cell is negative", LstmForwardLab.VariantVerdict([St(1, 0.9, 0.5), St(2, 0.9, -0.1)], [St(1, 0.9, 0.5), St(2, 0.9, -0.1)]));
        Assert.Contains("rounding", LstmForwardLab.FusedVerdict(1e-17));
        Assert.Contains("disagree", LstmForwardLab.FusedVerdict(1e-6));
        var steps = LstmForwardLab.Run([1.0], RecurrentActivation.Tanh, out _);
        var relu = LstmForwardLab.Run([1.0], RecurrentActivation.Relu, out _);
        Assert.Contains("the tables' first rows.", LstmForwardLab.StepOneByHand(steps[0], relu[0]));
        Assert.Contains("differ by 0.1", LstmForwardLab.StepOneByHand(steps[0] with { Cell = steps[0].Cell + 0.1 }, relu[0]));
    }
}
