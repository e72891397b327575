using System.Text.Json;
using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class LogicGatesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-logic-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void QuickRunWritesTheReportAndLearnsEveryTruthTable()
    {
        var r = new LogicGatesLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "training_loss.png", "surfaces.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        var json = JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
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
        Assert.Contains("| XOR | hidden 2 = NAND | -20 | -20 | 30 | x1 + x2 < 1.5 |", md);
        Assert.Contains("every one of the 3 initialisations", md);
        Assert.Contains("![", md);
    }

    [Fact]
    public void SeedsAndEpochsOverridesReachTheReport()
    {
        var r = new LogicGatesLab().Run(new LabContext(_dir, Quick: true,
            Overrides: new Dictionary<string, string> { ["seeds"] = "1", ["epochs"] = "300", ["learning-rate"] = "0.2", ["init-std"] = "0.5" }));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("| AND | 2-1 sigmoid | 0 |", md);
        Assert.Contains("| 1/1 |", md);
        Assert.Contains("for 300 epochs", md);
        Assert.Contains("η = 0.2", md);
        Assert.Contains("N(0, 0.5²)", md);
        Assert.Contains("| `seeds` | 1 (--set) |", md);
    }

    [Fact]
    public void TrainingLowersTheLoss()
    {
        var (net, loss) = LogicGatesLab.Train("OR", new LogicGatesLab().Full with { Epochs = 200 }, seed: 3);
        Assert.Equal(200, loss.Length);
        Assert.True(loss[^1] < loss[0] / 10, $"loss {loss[0]} → {loss[^1]}");
        Assert.True(GateNetworks.Matches(GateNetworks.Outputs(net), "OR"));
    }

    [Fact]
    public void FirstRecordedLossIsTheInitialNetworksCrossEntropy()
    {
        var s = new LogicGatesLab().Full with { Epochs = 1 };
        var y = GateNetworks.Outputs(GateNetworks.Create(hidden: false, s.InitStd, new Generator(4)));
        double[] t = [0, 0, 0, 1];
        double bce = -Enumerable.Range(0, 4).Sum(i => t[i] * Math.Log(y[i]) + (1 - t[i]) * Math.Log(1 - y[i])) / 4;
        Assert.Equal(bce, LogicGatesLab.Train("AND", s, seed: 4).Loss[0], 1e-12);
    }

    private static GateResult Gate(string gate, double[] hand, double[] trained) =>
        new(gate, hand, 0, [1.0], trained, 1, [], [], []);

    [Fact]
    public void HandSetAndTrainedVerdictsFollowTheOutputs()
    {
        var good = Gate("AND", [1e-5, 2e-5, 2e-5, 1 - 1e-5], [0.1, 0.2, 0.2, 0.9]);
        var loose = Gate("OR", [0.01, 0.99, 0.99, 0.99], [0.1, 0.4, 0.9, 0.9]);
        Assert.Contains("within 10⁻⁴", LogicGatesLab.HandSetVerdict([good]));
        Assert.Contains("after rounding, though an output is 0.01 away", LogicGatesLab.HandSetVerdict([good, loose]));
        Assert.Contains("only 1 of 2", LogicGatesLab.HandSetVerdict([good, Gate("XOR", [0.9, 0.9, 0.9, 0.1], [0, 1, 1, 0])]));
        Assert.StartsWith("Training finds the same tables", LogicGatesLab.TrainedVerdict([good]));
        Assert.Contains("no seed learned OR", LogicGatesLab.TrainedVerdict([good, loose]));
    }

    [Fact]
    public void SuccessRateVerdictsFollowTheCounts()
    {
        Assert.Contains("every one of the 20", LogicGatesLab.SeparableVerdict(20, 20, 20, 2000));
        Assert.Contains("19/20 and 20/20", LogicGatesLab.SeparableVerdict(19, 20, 20, 2000));
        Assert.Contains("8/20 and 11/20 initialisations, fewer than the separable", LogicGatesLab.HiddenVerdict(8, 11, 20, 20));
        Assert.Contains("fewer than the separable", LogicGatesLab.HiddenVerdict(3, 1, 3, 3));
        Assert.Contains("as often as the separable gates", LogicGatesLab.HiddenVerdict(3, 3, 3, 3));
    }

    [Fact]
    public void PlateauVerdictClassifiesTheFailedLosses()
    {
        Assert.Equal("", LogicGatesLab.PlateauVerdict([]));
        string v = LogicGatesLab.PlateauVerdict([0.3466, 0.347, 0.4774, 0.2]);
        Assert.Contains("Of the 4 failed", v);
        Assert.Contains("2 at ½·ln 2", v);
        Assert.Contains("1 at ¼(2·ln 1.5 + ln 3)", v);
        Assert.Contains("1 elsewhere", v);
        Assert.DoesNotContain("elsewhere", LogicGatesLab.PlateauVerdict([0.4771]));
    }
}
