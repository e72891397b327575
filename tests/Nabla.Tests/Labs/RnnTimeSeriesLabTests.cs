using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class RnnTimeSeriesLabTests
{
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
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-rnnts-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new RnnTimeSeriesLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "sequence.png", "sine.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            Assert.Equal(Sigmoid(2.5), r.Metrics["y_2"], 1e-12);
            Assert.True(r.Metrics["sine_y_max"] > 0.5 && r.Metrics["sine_y_min"] < 0.5);
            Assert.Contains("| 4 | -3 |", File.ReadAllText(Path.Combine(dir, "report.md")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
