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
        new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
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
        Assert.False(File.Exists(Path.Combine(_dir, "model.npz")), "quick runs do not save the model");
    }

    [RequiresDataFact("dogs-vs-cats")]
    public void Set_size_and_validation_count_change_the_run()
    {
        new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter(),
            Overrides: new Dictionary<string, string> { ["size"] = "32", ["valid-per-class"] = "5", ["train-per-class"] = "8" }));
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(10, m["validation_images"]);
        // At 32×32 the flattened width is 128·2·2 = 512: head Linear(512, 256) + Linear(256, 2).
        long conv = 32 * 27 + 32 + 64 * 288 + 64 + 128 * 576 + 128 + 128 * 1152 + 128 + 2 * (32 + 64 + 128 + 128);
        Assert.Equal(conv + 512 * 256 + 256 + 514, m["parameters"]);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("photos resized to 32×32", md);
        Assert.Contains("not the default 96×96", md);
        Assert.Contains("| `size` | 32 (--set) |", md);
    }

    [Fact]
    public void A_size_that_is_not_a_multiple_of_16_is_rejected_before_any_photo_is_read()
    {
        var e = Assert.Throws<ArgumentException>(() => new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, DataRoot: "/nonexistent",
            Overrides: new Dictionary<string, string> { ["size"] = "72" })));
        Assert.Contains("multiple of 16", e.Message);
    }

    [Fact]
    public void Full_settings_are_the_run_the_readme_quotes()
    {
        // 80.2 % on the validation folder: 450 + 50 photos per class from train/, all of validation/, 96 px, 50 epochs,
        // batch 32, Adam 1e-3 with cosine decay, weight decay 1e-4, dropout 0.5.
        var f = new DogsVsCatsLab().Full;
        Assert.Equal((450, 50, 0, 96, 50, 32, 1e-3, 1e-4, 0.5),
            (f.TrainPerClass, f.HoldoutPerClass, f.ValidPerClass, f.Size, f.Epochs, f.BatchSize, f.LearningRate, f.WeightDecay, f.Dropout));
    }

    [Fact]
    public void Gap_rule_follows_fit_and_validation_accuracy_and_their_noise()
    {
        // 900 fit vs 500 validation photos: 99 % vs 80 % is far beyond two standard errors.
        string gap = DogsVsCatsLab.GapSentence(0.99, 900, 0.80, 500);
        Assert.Contains("a gap of 19.0 points", gap);
        Assert.Contains("specific to the training photos", gap);
        Assert.Contains("no measurable gap", DogsVsCatsLab.GapSentence(0.81, 900, 0.80, 500));
        Assert.Contains("validation is clearly higher", DogsVsCatsLab.GapSentence(0.60, 900, 0.80, 500));
    }

    [Fact]
    public void Size_note_claims_selection_bias_only_at_the_chosen_size()
    {
        Assert.Contains("the 96 figure is optimistic by selection", DogsVsCatsLab.SizeNote(96));
        string other = DogsVsCatsLab.SizeNote(64);
        Assert.Contains("not the default 96×96", other);
        Assert.DoesNotContain("optimistic", other);
    }
}
