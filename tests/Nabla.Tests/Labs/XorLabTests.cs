using Nabla.Labs;
using Nabla.Optim;

namespace Nabla.Tests.Labs;

public class XorLabTests
{
    [Fact]
    public void QuickRunWritesTheReportAndEveryOptimizerLearnsXor()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-xor-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new XorLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "xor_loss.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            double[] xor = [0, 1, 1, 0];
            foreach (var o in XorLab.Optimizers)
            {
                string key = o.ToLowerInvariant();
                for (int i = 0; i < 4; i++) Assert.Equal(xor[i], Math.Round(r.Metrics[$"{key}_out_{i >> 1}{i & 1}"]));
                Assert.True(r.Metrics[$"{key}_final_loss"] < XorLab.Threshold);
                Assert.True(r.Metrics[$"{key}_epochs_to_threshold"] >= 1);
            }
            string md = File.ReadAllText(r.ReportPath);
            Assert.Contains("L2Penalty", md);
            Assert.Contains("λ = 0.0001", md);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ObjectiveIsMsePlusHalfLambdaSumOfSquaredWeights()
    {
        var run = XorLab.Train("Momentum", XorLab.LearningRate, 300, seed: 1);
        Assert.Equal(run.FinalMse + run.FinalPenalty, run.Loss[^1], 1e-12);
        Assert.True(run.FinalPenalty > 0);
        // The threshold epoch is the first epoch whose J is below the threshold.
        if (run.EpochsToThreshold > 0)
        {
            Assert.True(run.Loss[run.EpochsToThreshold - 1] < XorLab.Threshold);
            Assert.All(run.Loss[..(run.EpochsToThreshold - 1)], l => Assert.True(l >= XorLab.Threshold));
        }
    }

    [Fact]
    public void FirstEpochLossIsTheInitialNetworksObjective()
    {
        // Epoch 1's J is computed before any update, so it must equal MSE + (λ/2)Σw² of the seeded initial network.
        var net = GateNetworks.Create(hidden: true, XorLab.InitStd, new Generator(5));
        var y = GateNetworks.Outputs(net);
        double[] t = [0, 1, 1, 0];
        double mse = Enumerable.Range(0, 4).Sum(i => (y[i] - t[i]) * (y[i] - t[i])) / 4;
        double sw = net.NamedParameters().Where(p => p.Name.EndsWith("weight")).Sum(p => p.Tensor.ToDoubleArray().Sum(w => w * w));
        var run = XorLab.Train("SGD", 0.5, 1, seed: 5);
        Assert.Equal(mse + XorLab.Lambda / 2 * sw, run.Loss[0], 1e-12);
    }

    [Fact]
    public void OptimizersAreConfiguredAsStated()
    {
        var p = new[] { Tensor.Zeros([2], DType.Float64).RequiresGrad_() };
        Assert.Equal(0, Assert.IsType<Sgd>(XorLab.CreateOptimizer("SGD", p, 0.5)).Options.Momentum);
        var m = Assert.IsType<Sgd>(XorLab.CreateOptimizer("Momentum", p, 0.5)).Options;
        Assert.Equal((0.9, false, 0.5), (m.Momentum, m.Nesterov, m.LearningRate));
        Assert.True(Assert.IsType<Sgd>(XorLab.CreateOptimizer("Nesterov", p, 0.5)).Options.Nesterov);
        Assert.IsType<AdaGrad>(XorLab.CreateOptimizer("AdaGrad", p, 0.5));
        Assert.Contains("'Adam'", Assert.Throws<ArgumentException>(() => XorLab.CreateOptimizer("Adam", p, 0.5)).Message);
    }
}
