using Nabla.Labs;
using Nabla.Optim;

namespace Nabla.Tests.Labs;

public class XorLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-xor-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly XorSettings Full = new XorLab().Full;

    [Fact]
    public void QuickRunWritesTheReportAndEveryOptimizerLearnsXor()
    {
        var r = new XorLab().Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "xor_loss.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        // The Workbook's table: y = 1 for (1, 1) and (−1, −1), 0 for (−1, 1) and (1, −1) (p = +1, m = −1).
        var workbook = new Dictionary<string, double> { ["pp"] = 1, ["mp"] = 0, ["pm"] = 0, ["mm"] = 1 };
        double[] xor = [0, 1, 1, 0];
        foreach (var o in XorLab.Optimizers)
        {
            string key = o.ToLowerInvariant();
            foreach (var (row, y) in workbook) Assert.Equal(y, Math.Round(r.Metrics[$"{key}_out_{row}"]));
            Assert.True(r.Metrics[$"{key}_final_loss"] < Full.Threshold);
            Assert.True(r.Metrics[$"{key}_epochs_to_threshold"] >= 1);
            Assert.InRange(r.Metrics[$"{key}_seeds_learned"], 0, 2);
            // The {0,1} variant keeps the old keys: out_00 … out_11 are the outputs for inputs 00 … 11.
            for (int i = 0; i < 4; i++) Assert.Equal(xor[i], Math.Round(r.Metrics[$"{key}_out_{i >> 1}{i & 1}"]));
            Assert.InRange(r.Metrics[$"{key}_zero_one_seeds_learned"], 0, 2);
        }
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("L2Penalty", md);
        Assert.Contains("λ = 0.0001", md);
        Assert.Contains("(−1, −1) |   1", md);
        Assert.Contains("The same with {0,1} inputs", md);
        Assert.Contains("Workbook Q9: backpropagation written out", md);
        Assert.Contains("gives autograd's gradients to rounding error", md);
        Assert.Contains("| largest \\|hand − autograd\\| of ∂J/∂θ", md);
        Assert.True(r.Metrics["hand_initial_gradient_difference"] < 1e-12);
        Assert.True(r.Metrics["hand_max_loss_difference"] < 1e-9);
    }

    [Fact]
    public void OverridesReachTheRunAndTheReport()
    {
        var r = new XorLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["epochs"] = "50", ["seeds"] = "1", ["sweep-rates"] = "0.5,1", ["learning-rate"] = "1", ["momentum"] = "0.5",
            ["lambda"] = "0.001", ["init-std"] = "0.5", ["threshold"] = "0.3",
        }));
        string md = File.ReadAllText(r.ReportPath);
        Assert.Contains("training runs 50 epochs", md);
        Assert.Contains("| 1 | AdaGrad |", md);
        Assert.Contains("| 0.5 | SGD |", md);
        Assert.Contains("μ = 0.5", md);
        Assert.Contains("λ = 0.001", md);
        Assert.Contains("σ = 0.5", md);
        Assert.Contains("epochs to J < 0.3", md);
        // The seed counts in results.json are those of the main η (1 here), one seed each.
        Assert.InRange(r.Metrics["sgd_seeds_learned"], 0, 1);
        // A one-seed run of the override settings, computed directly, gives the reported final loss.
        var s = Full with { Epochs = 50, LearningRate = 1, Momentum = 0.5, Lambda = 0.001, InitStd = 0.5, Threshold = 0.3 };
        Assert.Equal(XorLab.Train(s, "Momentum", 1, 0).Loss[^1], r.Metrics["momentum_final_loss"], 1e-12);
        Assert.Equal(XorLab.Train(s, "Momentum", 1, 0, XorCoding.ZeroOne).Loss[^1], r.Metrics["momentum_zero_one_final_loss"], 1e-12);
        var off = new XorLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
            { ["epochs"] = "50", ["seeds"] = "1", ["compare-zero-one"] = "false" }));
        Assert.False(off.Metrics.ContainsKey("sgd_out_00"));
        Assert.DoesNotContain("The same with {0,1} inputs", File.ReadAllText(off.ReportPath));
    }

    [Fact]
    public void ObjectiveIsMsePlusHalfLambdaSumOfSquaredWeights()
    {
        var run = XorLab.Train(Full with { Epochs = 300 }, "Momentum", Full.LearningRate, seed: 1);
        Assert.Equal(run.FinalMse + run.FinalPenalty, run.Loss[^1], 1e-12);
        Assert.True(run.FinalPenalty > 0);
        // The threshold epoch is the first epoch whose J is below the threshold.
        if (run.EpochsToThreshold > 0)
        {
            Assert.True(run.Loss[run.EpochsToThreshold - 1] < Full.Threshold);
            Assert.All(run.Loss[..(run.EpochsToThreshold - 1)], l => Assert.True(l >= Full.Threshold));
        }
    }

    [Fact]
    public void FirstEpochLossIsTheInitialNetworksObjective()
    {
        // Epoch 1's J is computed before any update, so it must equal MSE + (λ/2)Σw² of the seeded initial network —
        // on the {0,1} rows and on the Workbook's ±1 rows, whose outputs are computed here by hand from the weights.
        var net = GateNetworks.Create(hidden: true, Full.InitStd, new Generator(5));
        double sw = net.NamedParameters().Where(p => p.Name.EndsWith("weight")).Sum(p => p.Tensor.ToDoubleArray().Sum(w => w * w));
        var y = GateNetworks.Outputs(net);
        double[] t = [0, 1, 1, 0];
        double mse = Enumerable.Range(0, 4).Sum(i => (y[i] - t[i]) * (y[i] - t[i])) / 4;
        var run = XorLab.Train(Full with { Epochs = 1 }, "SGD", 0.5, seed: 5, XorCoding.ZeroOne);
        Assert.Equal(mse + Full.Lambda / 2 * sw, run.Loss[0], 1e-12);

        var w1 = ((Nabla.NN.Linear)net[0]).Weight.ToDoubleArray();
        var b1 = ((Nabla.NN.Linear)net[0]).Bias!.ToDoubleArray();
        var w2 = ((Nabla.NN.Linear)net[2]).Weight.ToDoubleArray();
        var b2 = ((Nabla.NN.Linear)net[2]).Bias!.ToDoubleArray();
        double S(double z) => 1 / (1 + Math.Exp(-z));
        double[][] x = [[1, 1], [-1, 1], [1, -1], [-1, -1]];
        double[] tw = [1, 0, 0, 1];
        double mseW = 0;
        for (int i = 0; i < 4; i++)
        {
            double h0 = S(w1[0] * x[i][0] + w1[1] * x[i][1] + b1[0]), h1 = S(w1[2] * x[i][0] + w1[3] * x[i][1] + b1[1]);
            double o = S(w2[0] * h0 + w2[1] * h1 + b2[0]);
            mseW += (o - tw[i]) * (o - tw[i]) / 4;
        }
        var workbook = XorLab.Train(Full with { Epochs = 1 }, "SGD", 0.5, seed: 5);   // the default coding is the Workbook's
        Assert.Equal(XorCoding.Workbook, workbook.Coding);
        Assert.Equal(mseW + Full.Lambda / 2 * sw, workbook.Loss[0], 1e-12);
    }

    [Fact]
    public void HandGradientsMatchFiniteDifferencesAndTheHandDescentFollowsAutograd()
    {
        // Central differences of J (computed from the forward pass alone) at arbitrary weights, against HandGradients.
        double[] w1 = [0.3, -1.2, 0.8, 0.5], b1 = [0.1, -0.4], w2 = [1.5, -0.7], b2 = [0.2];
        double[][] x = [[1, 1], [-1, 1], [1, -1], [-1, -1]];
        double[] t = [1, 0, 0, 1];
        const double lambda = 0.05, h = 1e-6;
        var g = XorLab.HandGradients(w1, b1, w2, b2, x, t, lambda);
        double[][] p = [w1, b1, w2, b2], grads = [g.W1, g.B1, g.W2, g.B2];
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < p[k].Length; j++)
            {
                double keep = p[k][j];
                p[k][j] = keep + h;
                double up = XorLab.HandGradients(w1, b1, w2, b2, x, t, lambda).J;
                p[k][j] = keep - h;
                double down = XorLab.HandGradients(w1, b1, w2, b2, x, t, lambda).J;
                p[k][j] = keep;
                Assert.Equal((up - down) / (2 * h), grads[k][j], 1e-8);
            }
        // J itself: ¼Σ(y − t)² + (λ/2)Σw², one row worked out here.
        static double S(double z) => 1 / (1 + Math.Exp(-z));
        double mse = x.Select((r, i) => S(w2[0] * S(w1[0] * r[0] + w1[1] * r[1] + b1[0]) + w2[1] * S(w1[2] * r[0] + w1[3] * r[1] + b1[1]) + b2[0]) - t[i])
            .Sum(d => d * d) / 4;
        Assert.Equal(mse + lambda / 2 * (w1.Sum(v => v * v) + w2.Sum(v => v * v)), g.J, 1e-14);

        // The hand descent and the autograd descent from the same seed agree to rounding error, and a wrong λ shows.
        var s = Full with { Epochs = 400 };
        var run = XorLab.TrainByHand(s, 0.5, seed: 3);
        Assert.True(run.InitialGradientDifference < 1e-12, $"{run.InitialGradientDifference}");
        Assert.True(run.MaxLossDifference < 1e-9, $"{run.MaxLossDifference}");
        Assert.Equal(run.Autograd.Loss[^1], run.Loss[^1], 1e-9);
        Assert.True(run.Loss[^1] < run.Loss[0]);
        var other = XorLab.Train(s with { Lambda = 0.01 }, "SGD", 0.5, seed: 3);
        Assert.True(Math.Abs(other.Loss[^1] - run.Loss[^1]) > 1e-6);
    }

    [Fact]
    public void CodingVerdictCountsTheOptimizersEachCodingWins()
    {
        XorSeedCell Cell(string o, bool[] learned, int[] epochs) => new(0.5, o, learned, epochs);
        var pm = XorLab.Optimizers.Select(o => Cell(o, [true, true], [100, 120])).ToList();
        var slow = XorLab.Optimizers.Select(o => Cell(o, [true, true], [300, 320])).ToList();
        var fewer = XorLab.Optimizers.Select(o => Cell(o, [true, false], [50, -1])).ToList();
        Assert.Contains("better (more seeds learned, or as many in fewer median epochs) for 4 of 4 optimizers and worse for 0", XorLab.CodingVerdict(pm, slow));
        Assert.Contains("faster learning on the ±1 table", XorLab.CodingVerdict(pm, slow));
        Assert.Contains("for 4 of 4", XorLab.CodingVerdict(pm, fewer));             // more seeds learned beats speed
        Assert.Contains("the {0,1} runs did better", XorLab.CodingVerdict(slow, pm));
        Assert.Contains("Neither coding is better", XorLab.CodingVerdict(pm, pm));
    }

    [Fact]
    public void TruthTableTextListsTheWorkbookRows()
    {
        var run = new XorRun(XorCoding.Workbook, [0.1], [0.9, 0.2, 0.1, 0.7], 1, 0, 0);
        Assert.True(run.Learned);
        string t = XorLab.FormatTable(run);
        Assert.Contains("(1, 1)   |   1    |       1       | 0.900000", t);
        Assert.Contains("(−1, −1) |   1    |       1       | 0.700000", t);
        Assert.False((run with { Outputs = [0.9, 0.6, 0.1, 0.7] }).Learned);
        Assert.False((run with { Coding = XorCoding.ZeroOne }).Learned);
    }

    [Fact]
    public void OptimizersAreConfiguredAsStated()
    {
        var p = new[] { Tensor.Zeros([2], DType.Float64).RequiresGrad_() };
        Assert.Equal(0, Assert.IsType<Sgd>(XorLab.CreateOptimizer("SGD", p, 0.5, 0.9)).Options.Momentum);
        var m = Assert.IsType<Sgd>(XorLab.CreateOptimizer("Momentum", p, 0.5, 0.9)).Options;
        Assert.Equal((0.9, false, 0.5), (m.Momentum, m.Nesterov, m.LearningRate));
        Assert.True(Assert.IsType<Sgd>(XorLab.CreateOptimizer("Nesterov", p, 0.5, 0.9)).Options.Nesterov);
        Assert.IsType<AdaGrad>(XorLab.CreateOptimizer("AdaGrad", p, 0.5, 0.9));
        Assert.Contains("'Adam'", Assert.Throws<ArgumentException>(() => XorLab.CreateOptimizer("Adam", p, 0.5, 0.9)).Message);
    }

    private static XorRun Run(int epochs, double[]? loss = null, double mse = 0.01, double penalty = 0.02, double[]? outputs = null) =>
        new(XorCoding.Workbook, loss ?? [1, 0.5, 0.03], outputs ?? [0.9, 0.1, 0.1, 0.9], epochs, mse, penalty);

    private static Dictionary<string, XorRun> Runs(int sgd, int momentum, int nesterov, int adaGrad, double[]? adaLoss = null) => new()
    {
        ["SGD"] = Run(sgd), ["Momentum"] = Run(momentum), ["Nesterov"] = Run(nesterov), ["AdaGrad"] = Run(adaGrad, adaLoss),
    };

    [Fact]
    public void SpeedNesterovAndAdaGradVerdictsFollowTheEpochCounts()
    {
        Assert.Contains("grows towards η/(1 − μ) = 5·g", XorLab.SpeedVerdict(Runs(900, 100, 105, 50), Full));
        Assert.Contains("against not reached for plain", XorLab.SpeedVerdict(Runs(-1, 100, 105, 50), Full));
        Assert.Contains("momentum did not speed this run up", XorLab.SpeedVerdict(Runs(90, 100, 105, 50), Full));
        Assert.Contains("momentum did not speed this run up", XorLab.SpeedVerdict(Runs(90, -1, 105, 50), Full));
        Assert.Contains("differs little", XorLab.NesterovVerdict(100, 105));
        Assert.Contains("differs by 40 epochs", XorLab.NesterovVerdict(100, 140));
        Assert.Equal("", XorLab.NesterovVerdict(-1, 140));
        Assert.Contains("gets it off the plateau fastest", XorLab.AdaGradVerdict(Runs(900, 100, 105, 50)));
        Assert.Contains("does not make it the fastest", XorLab.AdaGradVerdict(Runs(900, 100, 105, 150)));
        Assert.Contains("does not make it the fastest", XorLab.AdaGradVerdict(Runs(900, 100, 105, -1)));
        Assert.Contains("raise J briefly", XorLab.AdaGradVerdict(Runs(900, 100, 105, 50, [1, 1.1, 0.2])));
        Assert.DoesNotContain("raise J", XorLab.AdaGradVerdict(Runs(900, 100, 105, 50, [1, 0.9, 0.2])));
    }

    [Fact]
    public void SeedAndSweepVerdictsFollowTheTable()
    {
        XorSeedCell Cell(string o, double lr, bool[] learned, int[] epochs) => new(lr, o, learned, epochs);
        var stuck = XorLab.Optimizers.Select(o => Cell(o, 0.5, [true, false], [10, -1])).ToList();
        Assert.Contains("for 1 of 2 initialisations none", XorLab.SeedVerdict(stuck));
        var mixed = stuck.Select((c, i) => i == 3 ? c with { Learned = [false, true] } : c).ToList();
        Assert.Contains("every one of the 2 initialisations", XorLab.SeedVerdict(mixed));

        var lo = Cell("AdaGrad", 0.1, [true, true, true], [400, 500, 600]);
        var hi = Cell("AdaGrad", 2, [true, false, false], [30, -1, -1]);
        Assert.Contains("trade reliability for speed", XorLab.SweepVerdict([lo, hi]));
        Assert.DoesNotContain("trade", XorLab.SweepVerdict([lo, hi with { Learned = [true, true, true] }]));
        Assert.Equal("", XorLab.SweepVerdict([lo]));
        Assert.Equal(500, lo.MedianEpochs);
        Assert.Equal(30, hi.MedianEpochs);
        Assert.True(double.IsNaN(Cell("SGD", 1, [false], [-1]).MedianEpochs));
    }

    [Fact]
    public void PenaltyAndSlowVerdictsFollowTheFinalObjective()
    {
        Assert.Contains("The L2 term decides where training ends", XorLab.PenaltyVerdict(Run(10, mse: 0.005, penalty: 0.02), 1e-4));
        Assert.Contains("Σw² = 2·penalty/λ ≈ 400", XorLab.PenaltyVerdict(Run(10, mse: 0.005, penalty: 0.02), 1e-4));
        Assert.Contains("about 0.90 and 0.10 rather than 1 and 0", XorLab.PenaltyVerdict(Run(10, mse: 0.005, penalty: 0.02), 1e-4));
        Assert.Contains("the MSE still dominates", XorLab.PenaltyVerdict(Run(10, mse: 0.05, penalty: 0.02), 1e-4));
        Assert.Contains("more slowly", XorLab.SlowVerdict(Run(10, loss: [0.2]), Run(10, loss: [0.1])));
        Assert.Contains("ends at the same J", XorLab.SlowVerdict(Run(10, loss: [0.1001]), Run(10, loss: [0.1])));
    }
}
