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
            files.AddRange(AutoencodersLab.Variants.Select(v => $"filters_{v.Key}.png"));
            foreach (var f in files) Assert.True(File.Exists(Path.Combine(dir, f)), f);
            foreach (var v in AutoencodersLab.Variants)
            {
                // Errors are per-image sums over 784 pixels in [0, 1] (≤ 784 for any model that stays near the data);
                // sigmoid codes lie in (0, 1).
                Assert.InRange(r.Metrics[$"{v.Key}_test_error"], 0, 784);
                Assert.InRange(r.Metrics[$"{v.Key}_mean_code"], 0, 1);
                Assert.True(r.Metrics[$"{v.Key}_jacobian"] > 0);
            }
            // The contractive penalty lowers the encoder's Jacobian norm relative to the plain overcomplete model.
            Assert.True(r.Metrics["contractive_jacobian"] < r.Metrics["over_jacobian"]);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
