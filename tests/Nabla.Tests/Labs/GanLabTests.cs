using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class GanLabTests
{
    [RequiresDataFact]
    public void QuickRunWritesSamplesPerEpochAndSaneScores()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-gan-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new GanLab().Run(new LabContext(dir, Quick: true));
            foreach (var f in new[] { "report.md", "results.json", "losses.png", "losses_per_step.png", "scores.png",
                                      "samples_epoch_00.png", "samples_epoch_01.png", "samples_epoch_02.png" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            // D outputs are probabilities; D separates real from fake early in training.
            Assert.InRange(r.Metrics["final_real_score"], 0, 1);
            Assert.InRange(r.Metrics["final_fake_score"], 0, 1);
            Assert.True(r.Metrics["final_real_score"] > r.Metrics["final_fake_score"]);
            // L_D = −mean log D(x) − mean log(1 − D(G(z))) is a sum of positive terms.
            Assert.True(r.Metrics["final_loss_d"] > 0 && double.IsFinite(r.Metrics["final_loss_g"]));
            Assert.InRange(r.Metrics["final_distinct_digits"], 1, 10);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [RequiresDataFact]
    public void Overrides_change_the_epochs_and_the_networks()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-lab-gan-set-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new GanLab().Run(new LabContext(dir, Quick: true, Overrides: new Dictionary<string, string>
            {
                ["epochs"] = "1", ["generator-hidden"] = "32", ["train-images"] = "640",
            }));
            Assert.True(File.Exists(Path.Combine(dir, "samples_epoch_01.png")));
            Assert.False(File.Exists(Path.Combine(dir, "samples_epoch_02.png")));
            string md = string.Join(" ", File.ReadAllText(r.ReportPath).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));   // paragraphs wrap
            Assert.Contains("Linear 32 → LeakyReLU(0.2) → Linear 784 → tanh (27,952 parameters)", md);   // (64·32 + 32) + (32·784 + 784)
            Assert.Contains("the first 640 of the 50,000", md);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Prose_rules_follow_the_numbers()
    {
        Assert.Contains("better than chance", GanLab.ChanceSays(0.94, 0.54));
        Assert.Contains("no longer separates", GanLab.ChanceSays(0.52, 0.50));
        Assert.Contains("L_D rose from 0.80", GanLab.LossTrendSays([0.80, 1.10]));
        Assert.Contains("L_D fell from 0.87", GanLab.LossTrendSays([0.87, 0.84]));
        Assert.Contains("only one value", GanLab.LossTrendSays([0.87]));
        Assert.Contains("confidence rose from 0.40", GanLab.ConfidenceSays([0.40, 0.90], 2, 0.90));
        Assert.Contains("confidence fell from 0.90", GanLab.ConfidenceSays([0.90, 0.60], 1, 0.90));
        Assert.Contains("stayed level", GanLab.ConfidenceSays([0.900, 0.901], 2, 0.901));
        Assert.Contains("says little about mode collapse", GanLab.CoverageSays(10, 64, 0.12));
        Assert.Contains("covers (nearly) all classes", GanLab.CoverageSays(10, 64, 0.9));
        Assert.Contains("partial mode collapse", GanLab.CoverageSays(6, 64, 0.9));
        Assert.Contains("are recognisable digits", GanLab.SamplesSays(0.92, 10));
        Assert.Contains("not yet recognisable", GanLab.SamplesSays(0.12, 10));
        Assert.Contains("not yet recognisable", GanLab.SamplesSays(0.95, 4));
    }
}
