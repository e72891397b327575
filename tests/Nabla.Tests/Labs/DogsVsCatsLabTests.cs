using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;

namespace Nabla.Tests.Labs;

public class DogsVsCatsLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-dogs-vs-cats-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact("dogs-vs-cats")]
    public void Quick_run_writes_all_figures_and_scores_the_validation_subset()
    {
        LabRegistry.Find("dogs-vs-cats").Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "curves.png", "kernels.png", "input.png", "feature_maps_1.png",
                                  "feature_maps_2.png", "confusion.png", "misclassified.png", "unsure.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        // Quick mode: the first 16 validation files of each class.
        Assert.Equal(32, m["validation_images"]);
        Assert.Equal(1, m["best_epoch"]); // one epoch only
        // Accuracy on 32 images is a multiple of 1/32.
        double k = m["validation_accuracy"] * 32;
        Assert.Equal(Math.Round(k), k, 6);
        // 4 stages conv3×3 (+bias) and BN (2 per channel): 3→32, 32→64, 64→128, 128→128; head 2048→256→2.
        long conv = 32 * 27 + 32 + 64 * 288 + 64 + 128 * 576 + 128 + 128 * 1152 + 128;
        long bn = 2 * (32 + 64 + 128 + 128);
        long head = 2048 * 256 + 256 + 256 * 2 + 2;
        Assert.Equal(conv + bn + head, m["parameters"]);
        // 32 feature maps of 64×64 (×1 = 64 px cells) are a readable PNG.
        PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, "feature_maps_1.png")), 100);
    }
}
