using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;
using Nabla.Training;

namespace Nabla.Tests.Labs;

public class Cifar10LabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cifar10-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact("cifar10")]
    public void Quick_run_writes_the_report_figures_and_checkpoint_labelled_with_the_copy_read()
    {
        new Cifar10ResNet9Lab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter(),
            Overrides: new Dictionary<string, string> { ["test"] = "200", ["width"] = "8" }));
        foreach (var f in new[] { "report.md", "results.json", "curves.png", "kernels.png", "confusion.png", "misclassified.png", "checkpoint.npz", "model.npz" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        foreach (var f in new[] { "curves.png", "kernels.png", "confusion.png", "misclassified.png" })
            PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, f)), 100);
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        // model.npz: the weights alone, loadable into a fresh ResNet-9 of width 8, whose parameters then add up to the count below.
        var weights = Nabla.IO.Npz.Load(Path.Combine(_dir, "model.npz"));
        var fresh = Nabla.Models.ResNet9.Create(new Nabla.Models.ResNet9Options(Width: 8));
        Assert.Equal(fresh.StateDict().Keys.Order(), weights.Keys.Order());
        fresh.LoadStateDict(weights);
        Assert.Equal(m["parameters"], fresh.Parameters().Sum(p => (double)p.Numel));
        Assert.Contains("`model.npz` beside the checkpoint", File.ReadAllText(Path.Combine(_dir, "report.md")));
        // ResNet-9 at width 8 (the formula in the next test): 27·8 + 1,602·64 + 70·8 + 80·8 + 10 = 103,954.
        Assert.Equal(103_954, m["parameters"]);
        Assert.Equal(1, m["epochs"]);
        Assert.Equal(384, m["train_images"]);
        Assert.Equal(200, m["test_images"]);   // --set test=200 (quick: 500)
        Assert.InRange(m["test_accuracy"], 0, 1);
        // Every result must carry the name of the copy read; the shared data holds only the JPEG copy.
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        string name = m["jpeg_copy"] == 1 ? "CIFAR-10 (JPEG copy)" : "CIFAR-10";
        Assert.Contains($"Test accuracy: **{100 * m["test_accuracy"]:F2} %** on 200 test images of **{name}**", report);
        Assert.Contains("says nothing about the 90 % target", report);
        Assert.Contains("| `test` | 200 (--set) |", report);
    }

    [RequiresDataFact("cifar10")]
    public void Quick_run_of_the_resnet9_recipe_reports_its_model_cutout_smoothing_and_set_width()
    {
        new Cifar10ResNet9Lab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter(), Overrides: new Dictionary<string, string> { ["width"] = "16" }));
        foreach (var f in new[] { "report.md", "results.json", "curves.png", "kernels.png", "confusion.png", "misclassified.png", "checkpoint.npz", "model.npz" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        // ResNet-9 at width w, convolutions without bias: prep 27w, w→2w 18w², residual block 2·9·(2w)² = 72w², 2w→4w 72w²,
        // 4w→8w 288w², residual block 2·9·(8w)² = 1,152w²; BatchNorm 2·(w + 2w + 2·2w + 4w + 8w + 2·8w) = 70w;
        // Linear(8w, 10) 80w + 10. At w = 32 (the recipe): 1,646,122; at w = 16: 432 + 1,602·256 + 1,120 + 1,290 = 412,954.
        Assert.Equal(412_954, m["parameters"]);
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("# ResNet-9 on CIFAR-10", report);
        Assert.Contains("ResNet9Options(Width: 16)", report);
        Assert.Contains("cutout 8×8", report);
        Assert.Contains("label smoothing 0.2", report);
        Assert.Contains("The 16 first-layer 3×3 kernels", report);
    }

    [Fact]
    public void Full_settings_are_the_runs_the_readme_quotes()
    {
        // 90.27 %: ResNet-9 width 32, 45,000 images, batch 128, one-cycle peak 0.1, Nesterov 0.9, weight decay 5e-4, crop + flip, cutout 8, label smoothing 0.2, 45 epochs.
        var r = new Cifar10ResNet9Lab().Full;
        Assert.Equal((45_000, 5_000, 10_000, 45, 128, 0.1, 0.9, true, 5e-4, true, 8, 0.2, 32),
            (r.Train, r.Valid, r.Test, r.Epochs, r.BatchSize, r.MaxLr, r.Momentum, r.Nesterov, r.WeightDecay, r.Augment, r.Cutout, r.LabelSmoothing, r.Width));
        Assert.True(new Cifar10ResNet9Lab().IsFullRecipe(r));
        Assert.False(new Cifar10ResNet9Lab().IsFullRecipe(r with { MaxLr = 0.2 }));
        // Quick is the full recipe at smoke-run sizes.
        Assert.Equal(r with { Train = 384, Valid = 256, Test = 500, Epochs = 1 }, new Cifar10ResNet9Lab().Quick);
    }

    [Fact]
    public void The_vgg_lab_has_no_width_setting_and_the_resnet_lab_has_one()
    {
        Assert.DoesNotContain("width", new Cifar10Vgg11Lab().Settings.Select(s => s.Key));
        Assert.Contains("width", new Cifar10ResNet9Lab().Settings.Select(s => s.Key));
        var e = Assert.Throws<ArgumentException>(() => new Cifar10Vgg11Lab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["width"] = "16" })));
        Assert.Contains("no setting 'width'", e.Message);
    }

    [Fact]
    public void Target_rule_judges_only_the_full_recipe()
    {
        Assert.Contains("(90.27 %) meets the bar of 90 %", Cifar10Says.TargetSentence(true, 0.9027, 45, 45_000));
        Assert.Contains("(87.81 %) does not meet the bar of 90 %", Cifar10Says.TargetSentence(true, 0.8781, 30, 45_000));
        string shortened = Cifar10Says.TargetSentence(false, 0.95, 30, 45_000);
        Assert.Contains("says nothing about the 90 % target", shortened);
        Assert.DoesNotContain("meets", shortened);
    }

    private static EpochRecord E(int epoch, double train, double valid) => new(epoch, 1, train, 1, valid, 0.1, 1, 1);

    [Fact]
    public void Train_valid_rule_counts_lagging_epochs_and_flags_overfitting()
    {
        // The VGG11 full run ended at 97.8 % train vs 88.7 % validation on 5,000 images (2 s.e. ≈ 0.9 points).
        string over = Cifar10Says.TrainValidSentence([E(1, 0.40, 0.50), E(2, 0.978, 0.887)], 5_000);
        Assert.Contains("below the validation accuracy in 1 of 2 epoch(s)", over);
        Assert.Contains("exceeds validation by 9.1 points", over);
        string fine = Cifar10Says.TrainValidSentence([E(1, 0.60, 0.55), E(2, 0.70, 0.69)], 5_000);
        Assert.Contains("above the validation accuracy in every epoch", fine);
        Assert.Contains("no sign of overfitting yet", fine);
        Assert.Equal("No epoch was trained.", Cifar10Says.TrainValidSentence([], 5_000));
    }
}
