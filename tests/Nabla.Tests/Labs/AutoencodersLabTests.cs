using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class AutoencodersLabTests
{
    [RequiresDataFact]
    public void QuickRunWritesTheFiguresAndConsistentNumbers()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-ae-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new AutoencodersLab().Run(new LabContext(dir, Quick: true));
            var files = new List<string> { "report.md", "results.json", "reconstructions.png", "denoising.png", "codes_undercomplete.png",
                                           "codes_overcomplete.png", "training.png" };
            files.AddRange(AutoencodersLab.Keys.Select(k => $"filters_{k}.png"));
            foreach (var f in files) Assert.True(File.Exists(Path.Combine(dir, f)), f);
            foreach (var key in AutoencodersLab.Keys)
            {
                // Errors are per-image sums over 784 pixels in [0, 1] (≤ 784 for any model that stays near the data);
                // sigmoid codes lie in (0, 1).
                Assert.InRange(r.Metrics[$"{key}_test_error"], 0, 784);
                Assert.InRange(r.Metrics[$"{key}_mean_code"], 0, 1);
                Assert.True(r.Metrics[$"{key}_jacobian"] > 0);
            }
            // The contractive penalty lowers the encoder's Jacobian norm relative to the plain overcomplete model.
            Assert.True(r.Metrics["contractive_jacobian"] < r.Metrics["over_jacobian"]);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [RequiresDataFact]
    public void Overrides_change_the_code_sizes_and_the_data()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-ae-set-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new AutoencodersLab().Run(new LabContext(dir, Quick: true, Overrides: new Dictionary<string, string>
            {
                ["under-code"] = "16", ["over-code"] = "800", ["epochs"] = "1", ["train-images"] = "300", ["test-images"] = "100",
            }));
            string md = File.ReadAllText(r.ReportPath);
            Assert.Contains("| undercomplete (16) | 16 |", md);
            Assert.Contains("| sparse (800, λ = 0.05) | 800 |", md);
            Assert.Contains("first 300 MNIST", md);
            Assert.Contains("evaluation on 100 test images", md);
            Assert.Contains("**Supervised or unsupervised (Workbook Q18a)?** Unsupervised", md);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Code_grid_is_the_most_square_factorisation()
    {
        Assert.Equal((4, 8), AutoencodersLab.CodeGrid(32));
        Assert.Equal((25, 40), AutoencodersLab.CodeGrid(1000));
        Assert.Equal((1, 13), AutoencodersLab.CodeGrid(13));
        Assert.Equal((4, 4), AutoencodersLab.CodeGrid(16));
    }

    [Fact]
    public void Prose_rules_follow_the_numbers_with_a_two_percent_margin()
    {
        Assert.Contains("approaching the identity", AutoencodersLab.UnderOverSays(61.3, 45.9));
        Assert.Contains("does not reconstruct better", AutoencodersLab.UnderOverSays(45.9, 61.3));
        Assert.Contains("does not reconstruct better", AutoencodersLab.UnderOverSays(46.0, 45.5));          // within 2 %
        Assert.Contains("trade reconstruction for structure", AutoencodersLab.TradeSays(45.9, 49.4, 47.0));
        Assert.Contains("do not all cost reconstruction", AutoencodersLab.TradeSays(45.9, 44.0, 47.0));
        Assert.Contains("drives code entries towards 0", AutoencodersLab.SparseSays(0.241, 0.304, 0.01, 49.4));
        Assert.Contains("did not lower the mean code", AutoencodersLab.SparseSays(0.30, 0.304, 0.01, 49.4));
        Assert.Contains("shrinks the encoder's sensitivity", AutoencodersLab.ContractiveSays(10.6, 16.9, 47.0));
        Assert.Contains("did not shrink", AutoencodersLab.ContractiveSays(16.8, 16.9, 47.0));
        Assert.Contains("copies much of the holes", AutoencodersLab.DenoisingSays(20.0, 35.0, 0.3));
        Assert.Contains("does no better", AutoencodersLab.DenoisingSays(47.87, 48.23, 0.3));
        Assert.Contains("over-brightens", AutoencodersLab.CleanVsCorruptedSays(25.0, 20.0));
        Assert.Contains("does better", AutoencodersLab.CleanVsCorruptedSays(20.0, 25.0));
        Assert.Contains("about as well", AutoencodersLab.CleanVsCorruptedSays(46.64, 46.9));
        Assert.Contains("mostly black", AutoencodersLab.SparseCodesSays(0.8));
        Assert.Contains("not mostly near 0", AutoencodersLab.SparseCodesSays(0.01));
    }
}
