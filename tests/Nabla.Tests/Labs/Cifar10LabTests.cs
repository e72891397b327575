using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;

namespace Nabla.Tests.Labs;

public class Cifar10LabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cifar10-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact("cifar10")]
    public void Quick_run_writes_the_report_figures_and_checkpoint_labelled_with_the_copy_read()
    {
        LabRegistry.Find("cifar10-vgg11").Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "curves.png", "kernels.png", "confusion.png", "misclassified.png", "checkpoint.npz" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        foreach (var f in new[] { "curves.png", "kernels.png", "confusion.png", "misclassified.png" })
            PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, f)), 100);
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        // VGG11-BN for 32×32: convs 1,792 + 73,856 + 295,168 + 590,080 + 1,180,160 + 3·2,359,808, BatchNorm 2·(64 + 128 +
        // 2·256 + 4·512) = 5,504, Linear(512, 10) 5,130: 9,231,114 (PyTorch's CIFAR VGG11-BN count).
        Assert.Equal(9_231_114, m["parameters"]);
        Assert.Equal(1, m["epochs"]);
        Assert.Equal(384, m["train_images"]);
        Assert.Equal(500, m["test_images"]);
        Assert.InRange(m["test_accuracy"], 0, 1);
        // Every result must carry the name of the copy read; the shared data holds only the JPEG copy.
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        string name = m["jpeg_copy"] == 1 ? "CIFAR-10 (JPEG copy)" : "CIFAR-10";
        Assert.Contains($"Test accuracy: **{100 * m["test_accuracy"]:F2} %** on 500 test images of **{name}**", report);
    }

    [RequiresDataFact("cifar10")]
    public void Quick_run_of_the_resnet9_recipe_reports_its_model_cutout_and_smoothing()
    {
        LabRegistry.Find("cifar10-resnet9").Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "curves.png", "kernels.png", "confusion.png", "misclassified.png", "checkpoint.npz" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        // ResNet-9 at width 32, convolutions without bias: prep 3·32·9 = 864, 32→64: 18,432, residual block 2·64·64·9 =
        // 73,728, 64→128: 73,728, 128→256: 294,912, residual block 2·256·256·9 = 1,179,648; BatchNorm 2·(32 + 64 + 2·64 +
        // 128 + 256 + 2·256) = 2,240; Linear(256, 10) 2,570: 1,646,122.
        Assert.Equal(1_646_122, m["parameters"]);
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("# ResNet-9 (width 32) on CIFAR-10", report);
        Assert.Contains("cutout 8×8", report);
        Assert.Contains("label smoothing 0.2", report);
        Assert.Contains("The 32 first-layer 3×3 kernels", report);
    }
}
