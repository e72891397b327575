using System.Text.Json;
using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class LogicGatesLabTests
{
    [Fact]
    public void QuickRunWritesTheReportAndLearnsEveryTruthTable()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-logic-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new LogicGatesLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "training_loss.png", "surfaces.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            var json = JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(dir, "results.json")))!;
            Assert.Equal(4, json["handset_gates_correct"]);
            foreach (var gate in LogicGatesLab.Gates)
            {
                var truth = GateNetworks.Truth(gate);
                for (int i = 0; i < 4; i++)
                {
                    string row = $"{i >> 1}{i & 1}";
                    Assert.Equal(truth[i], r.Metrics[$"handset_{gate.ToLowerInvariant()}_{row}"], 1e-4);
                    Assert.Equal(truth[i], Math.Round(r.Metrics[$"trained_{gate.ToLowerInvariant()}_{row}"]));
                }
            }
            // A single sigmoid unit on separable data has a convex loss: every seed learns AND and OR.
            Assert.Equal(1, r.Metrics["trained_and_success_rate"]);
            Assert.Equal(1, r.Metrics["trained_or_success_rate"]);
            string md = File.ReadAllText(r.ReportPath);
            Assert.Contains("XOR = AND(OR, NAND)", md);
            Assert.Contains("![", md);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TrainingLowersTheLoss()
    {
        var (net, loss) = LogicGatesLab.Train("OR", 200, seed: 3);
        Assert.Equal(200, loss.Length);
        Assert.True(loss[^1] < loss[0] / 10, $"loss {loss[0]} → {loss[^1]}");
        Assert.True(GateNetworks.Matches(GateNetworks.Outputs(net), "OR"));
    }
}
