using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;

namespace Nabla.Tests.Labs;

public class DogsVsCatsLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-dogs-vs-cats-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private Dictionary<string, double> Metrics() =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;

    /// <summary>The data's validation/ folder (the lab's test split).</summary>
    private static string ValidationFolder() => Path.Combine(RequiresDataFactAttribute.Folder("dogs-vs-cats"), "validation");

    [RequiresDataFact("dogs-vs-cats")]
    public void Quick_run_writes_every_figure_the_settings_table_and_a_submission_whose_ids_are_the_test_files()
    {
        new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "curves.png", "curves_error.png", "settings.png", "kernels.png", "input.png",
                                  "feature_maps_1.png", "feature_maps_2.png", "confusion.png", "misclassified.png", "unsure.png", "predictions.csv" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, "curves_error.png")), 100);
        var m = Metrics();
        // Quick: 12 + 6 photos per class from train/, the first 8 per class of validation/ as the test split, five settings.
        Assert.Equal((24, 12, 16, 5, 1), ((int)m["fit_images"], (int)m["holdout_images"], (int)m["test_images"], (int)m["settings"], (int)m["epochs"]));
        foreach (var key in new[] { "base", "no_augmentation", "no_batchnorm", "deeper", "large_size" })
        {
            double k = m["holdout_accuracy_" + key] * 12; // a multiple of 1/12
            Assert.Equal(Math.Round(k), k, 6);
        }
        // The chosen setting is the one with the highest hold-out accuracy.
        double best = new[] { "base", "no_augmentation", "no_batchnorm", "deeper", "large_size" }.Max(key => m["holdout_accuracy_" + key]);
        Assert.Equal(best, m["holdout_accuracy_chosen"], 9);

        // The submission: header id,label; one row per test photo, ids = the test files' names without extension (the
        // first 8 of each class folder in ordinal order), labels Cat/Dog; its accuracy against the names is the reported one.
        var lines = File.ReadAllLines(Path.Combine(_dir, "predictions.csv"));
        Assert.Equal("id,label", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(2, r.Length));
        Assert.All(rows, r => Assert.Contains(r[1], new[] { "Cat", "Dog" }));
        var expected = new[] { "cats", "dogs" }.SelectMany(c => Directory.GetFiles(Path.Combine(ValidationFolder(), c)).Select(Path.GetFileName)
            .Order(StringComparer.Ordinal).Take(8).Select(n => n![..n!.LastIndexOf('.')])).ToList();
        Assert.Equal(expected, rows.Select(r => r[0]).ToList());
        Assert.Equal(16, m["predictions_rows"]);
        double agree = rows.Count(r => r[0].StartsWith("cat.", StringComparison.Ordinal) == (r[1] == "Cat")) / 16.0;
        Assert.Equal(m["test_accuracy"], agree, 9);

        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("re-evaluated on the whole fit set at each epoch's end, in eval mode, without augmentation", md);
        Assert.Contains("| **test split = validation/ folder (once)** | 16 |", md);
        foreach (var s in new[] { "| base | — | 32×32 |", "no-augmentation", "no-batchnorm", "deeper", "| input 48×48 | 48×48 |", "(chosen)" })
            Assert.Contains(s, md);
        Assert.Contains("Transfer learning", md);
        Assert.False(File.Exists(Path.Combine(_dir, "runs", "base.npz")), "quick runs do not keep models unless reuse is on");
    }

    [RequiresDataFact("dogs-vs-cats")]
    public void Overrides_change_the_splits_and_reuse_reads_a_run_back_instead_of_training_it_again()
    {
        var sets = new Dictionary<string, string> { ["compare"] = "base", ["test-per-class"] = "3", ["train-per-class"] = "6", ["holdout-per-class"] = "4", ["reuse"] = "true" };
        new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter(), Overrides: sets));
        var first = Metrics();
        Assert.Equal((12, 8, 6, 1, 6), ((int)first["fit_images"], (int)first["holdout_images"], (int)first["test_images"], (int)first["settings"], (int)first["predictions_rows"]));
        // Base at 32×32: convs and BN 241,536 (see DogsVsCatsCnnTests) + Linear(128·2·2 = 512, 256) + Linear(256, 2).
        Assert.Equal(241_536 + 512 * 256 + 256 + 514, first["parameters"]);
        Assert.True(File.Exists(Path.Combine(_dir, "runs", "base.npz")));

        var log = new StringWriter();
        new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, Log: log, Overrides: sets));
        Assert.Contains("base: reused from", log.ToString());
        var second = Metrics();
        Assert.Equal(first["holdout_accuracy_base"], second["holdout_accuracy_base"]);
        Assert.Equal(first["test_accuracy"], second["test_accuracy"]); // the model was read back, not retrained
        Assert.Contains("s (reused) |", File.ReadAllText(Path.Combine(_dir, "report.md")));

        // Another recipe (one more epoch) is not reused.
        var log2 = new StringWriter();
        new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, Log: log2, Overrides: new Dictionary<string, string>(sets) { ["epochs"] = "2" }));
        Assert.Contains("was made with another recipe; training again", log2.ToString());
    }

    [Theory]
    [InlineData("compare=base,deeper;size=48", "multiple of 32")]
    [InlineData("compare=base,large-size;large-size=72", "multiple of 16")]
    [InlineData("compare=base,wider", "not one of base, no-augmentation")]
    [InlineData("compare=base,base", "repeats a setting")]
    public void Bad_settings_are_rejected_before_any_photo_is_read(string overrides, string message)
    {
        var sets = overrides.Split(';').Select(kv => kv.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var e = Assert.Throws<ArgumentException>(() => new DogsVsCatsLab().Run(new LabContext(_dir, Quick: true, DataRoot: "/nonexistent", Overrides: sets)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Full_settings_compare_five_settings_at_an_equal_budget()
    {
        var f = new DogsVsCatsLab().Full;
        Assert.Equal((400, 100, 0, 64, 96, 10, 32, 1e-3, 1e-4, 0.5, true),
            (f.TrainPerClass, f.HoldoutPerClass, f.TestPerClass, f.Size, f.LargeSize, f.Epochs, f.BatchSize, f.LearningRate, f.WeightDecay, f.Dropout, f.Reuse));
        Assert.Equal(["base", "no-augmentation", "no-batchnorm", "deeper", "large-size"], f.Compare);
        var specs = DogsVsCatsLab.Specs(f);
        // Each setting changes exactly one thing from the base.
        var b = specs[0];
        Assert.Equal((64, true, 0.5, true, 4), (b.Size, b.BatchNorm, b.Dropout, b.Augment, b.Channels.Length));
        Assert.False(specs[1].Augment);
        Assert.False(specs[2].BatchNorm);
        Assert.Equal([32, 64, 128, 128, 256], specs[3].Channels);
        Assert.Equal(96, specs[4].Size);
        Assert.Equal(0, DogsVsCatsLab.Spec("no-dropout", f).Dropout);
        Assert.NotEqual(specs[0].Signature(f, 0), specs[0].Signature(f with { Epochs = 26 }, 0));
        Assert.NotEqual(specs[0].Signature(f, 0), specs[0].Signature(f, 1));
    }
}
