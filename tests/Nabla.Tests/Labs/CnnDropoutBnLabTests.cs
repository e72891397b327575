using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;

namespace Nabla.Tests.Labs;

public class CnnDropoutBnLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cnn-dropout-bn-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact]
    public void Quick_run_writes_all_figures_and_picks_the_best_validation_rate()
    {
        LabRegistry.Find("cnn-dropout-bn").Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "dropout_sweep.png", "kernels.png", "input.png", "feature_maps_1.png",
                                  "feature_maps_2.png", "confusion.png", "misclassified.png", "unsure.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        double chosen = m["chosen_dropout"];
        Assert.Equal(m.Where(kv => kv.Key.StartsWith("valid_error_p")).Min(kv => kv.Value), m[$"valid_error_p{chosen}"]);
        // conv 416 + 12,832, BN 2·(16 + 32) = 96, linear 15,690.
        Assert.Equal(416 + 12_832 + 96 + 15_690, m["parameters"]);
        Assert.InRange(m["test_error"], 0, 0.5);
        // 16 kernels of 5×5 (Cin = 1): a 4×4 grid of ⌈48/5⌉·5 = 50 px cells → 26 + 4 + 4·(50 + 16 + 4) px high.
        Assert.Equal(26 + 4 + 4 * 70, PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, "kernels.png")), 100).Height);
        // 16 feature maps of 28×28 (×3 = 84 px) in a 4×4 grid.
        Assert.Equal(26 + 4 + 4 * (84 + 16 + 4), PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, "feature_maps_1.png")), 100).Height);
    }
}
