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
}
