using Nabla.Labs;
using Nabla.Ops;

namespace Nabla.Tests.Labs;

public class LstmForwardLabTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The lab's LSTM by hand, in scalars: i = σ(2x − 1), f = σ(3x + 2), g = tanh(x + ½h), o = σ(h + 1).</summary>
    private static List<double[]> ByHand(bool relu)
    {
        double h = 0, s = 0;
        var rows = new List<double[]>();
        foreach (double x in LstmForwardLab.Sequence)
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
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-lstmfw-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new LstmForwardLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "lstm_tanh.png", "lstm_relu.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            // Step 1 by hand: s = σ(1)·tanh(1); h = σ(1)·tanh(s) or σ(1)·s.
            double s1 = Sigmoid(1) * Math.Tanh(1);
            Assert.Equal(s1, r.Metrics["tanh_s_1"], 1e-14);
            Assert.Equal(Sigmoid(1) * Math.Tanh(s1), r.Metrics["tanh_h_1"], 1e-14);
            Assert.Equal(Sigmoid(1) * s1, r.Metrics["relu_h_1"], 1e-14);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
