using System.Text.Json;
using Nabla.Data;
using Nabla.Labs;
using Nabla.NN;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;

namespace Nabla.Tests.Labs;

public class MnistFastLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-mnist-fast-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private Dictionary<string, double?> Results() =>
        JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;

    [RequiresDataFact]
    public void Quick_run_trains_both_models_scores_the_test_set_and_writes_every_figure()
    {
        var log = new StringWriter();
        new MnistFastLab().Run(new LabContext(_dir, Quick: true, Log: log));
        foreach (var f in new[] { "report.md", "results.json", "confusion.png", "misclassified.png", "best_confusion.png", "best_misclassified.png", "best_curves.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        PngAssert.IsPng(File.ReadAllBytes(Path.Combine(_dir, "best_curves.png")), 100);
        var m = Results();
        // A [16, 32]: conv 1·16·9 + BN 2·16 + conv 16·32·9 + BN 2·32 + Linear 32·7·7·10 + 10.
        Assert.Equal(144 + 32 + 4_608 + 64 + 15_690, m["fast_parameters"]);
        // B quick [8, 16, 32]: 72 + 16 + 1,152 + 32 + 4,608 + 64 + (32·3·3·10 + 10).
        Assert.Equal(72 + 16 + 576 + 16 + 1_152 + 32 + 2_304 + 32 + 4_608 + 64 + 9_216 + 64 + 2_890, m["best_parameters"]);   // 8-16-32, two convs per block
        Assert.InRange(m["fast_test_accuracy"]!.Value, 0, 1);
        Assert.InRange(m["best_test_accuracy"]!.Value, 0, 1);
        Assert.True(m["fast_train_seconds"] > 0);
        Assert.True(m["best_cpu_seconds"] > 0);
        Assert.Null(m["fast_valid_accuracy"]);   // no hold-out in the quick run: nothing to validate on
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("smoke run", md.Split('\n')[0]);
        Assert.Contains("**Final run, all training images**", md);
        Assert.Contains("(500) |", md);   // 500 test images scored
        Assert.Contains("MNIST: 1,000 training images", log.ToString());
    }

    [RequiresDataFact]
    public void A_selection_run_scores_the_held_out_images_after_every_epoch_and_no_test_image()
    {
        var log = new StringWriter();
        new MnistFastLab().Run(new LabContext(_dir, Quick: true, Log: log, Overrides: new Dictionary<string, string>
        {
            ["part"] = "fast", ["held-out"] = "300", ["train"] = "400", ["test"] = "0", ["fast-epochs"] = "2",
        }));
        var m = Results();
        Assert.Null(m["fast_test_accuracy"]);
        Assert.InRange(m["fast_valid_accuracy"]!.Value, 0, 1);
        Assert.False(m.ContainsKey("best_parameters"));
        Assert.Equal(2, m["fast_epochs"]);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("**Selection run**: the last 300 of the 60,000 training images", md);
        Assert.Contains("says nothing about the test bar", md);
        Assert.Contains("(300) |", md);   // the scoring pass is the 300 held-out images
        Assert.Contains("valid acc", log.ToString());
        Assert.False(File.Exists(Path.Combine(_dir, "best_curves.png")));
    }

    [Theory]
    [InlineData("best-widths", "8,16,32,64,128", "'best-widths' needs 1 to 4 blocks")]
    [InlineData("fast-widths", "16,0", "'fast-widths' needs channel counts in 1..1024")]
    [InlineData("test", "0", "'test' is 0 (a selection run) but 'held-out' is 0")]
    [InlineData("train", "60000", "'train' (60000) exceeds the 50000 training images")]
    public void Settings_that_cannot_run_are_refused_before_any_data_is_read(string key, string value, string message)
    {
        var overrides = new Dictionary<string, string> { [key] = value };
        if (key == "train") overrides["held-out"] = "10000";
        var e = Assert.Throws<ArgumentException>(() => new MnistFastLab().Run(new LabContext(_dir, Quick: true, DataRoot: "/nonexistent", Overrides: overrides)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Full_settings_are_the_runs_the_readme_quotes()
    {
        var f = new MnistFastLab().Full;
        Assert.Equal((MnistFastPart.Both, 0, (int?)null, 10_000), (f.Part, f.HeldOut, f.Train, f.Test));
        Assert.Equal([16, 32], f.FastWidths);
        Assert.Equal((true, 2, 128, 0.2, 0.0), (f.FastPoolFirst, f.FastEpochs, f.FastBatch, f.FastLr, f.FastSmoothing));
        Assert.Equal([32, 64, 128], f.BestWidths);
        Assert.Equal((2, 15, 128, 0.1, 0.1), (f.BestConvs, f.BestEpochs, f.BestBatch, f.BestLr, f.LabelSmoothing));
        Assert.Equal((10.0, 2.0, 0.1), (f.Degrees, f.Shift, f.Scale));
    }

    [Fact]
    public void The_network_has_the_shapes_parameters_and_multiply_accumulates_of_its_formula()
    {
        var net = MnistFastNet.Create([16, 32], 2, new Generator(1));
        Assert.Equal([5, 10], net.Invoke(Tensor.Randn([5, 1, 28, 28], generator: new Generator(2))).Shape.ToArray());
        // Two convs per block: 1→16, 16→16 | 16→32, 32→32, each with BN (2 per channel); Linear(32·7·7, 10).
        Assert.Equal(144 + 2_304 + 4_608 + 9_216 + 2 * (16 + 16 + 32 + 32) + 15_690, net.ParameterCount());
        // MACs: 28²·(1·16 + 16·16)·9 + 14²·(16·32 + 32·32)·9 + 32·49·10.
        Assert.Equal(784L * (16 + 256) * 9 + 196L * (512 + 1024) * 9 + 15_680, MnistFastNet.ForwardMacs([16, 32], 2));
        Assert.Equal([28, 14, 7, 3, 1], Enumerable.Range(0, 5).Select(MnistFastNet.SideAfter));
        Assert.Equal("conv3×3(8)-BN-ReLU-pool → conv3×3(4)-BN-ReLU-pool → Linear(196, 10)", MnistFastNet.Describe([8, 4], 1));
        Assert.All(net.NamedModules().Select(x => x.Module).OfType<Conv2d>(), c => Assert.Null(c.Bias));   // BN follows every conv
    }

    [Fact]
    public void Pooling_first_keeps_the_parameters_and_computes_max_before_the_normalisation()
    {
        var plain = MnistFastNet.Create([4, 8], 1, new Generator(1));
        var first = MnistFastNet.Create([4, 8], 1, new Generator(1), poolFirst: true);
        Assert.Equal(plain.ParameterCount(), first.ParameterCount());
        Assert.Equal(["Conv2d", "MaxPool2d", "BatchNorm2d", "ReLU"], Enumerable.Range(0, 4).Select(i => first[i].GetType().Name));
        Assert.Equal("conv3×3(4)-pool-BN-ReLU → conv3×3(8)-pool-BN-ReLU → Linear(392, 10)", MnistFastNet.Describe([4, 8], 1, poolFirst: true));
        // Same weights, so in eval mode with the initial running statistics (mean 0, var 1) and γ = 1, β = 0, BN is x/√(1 + ε):
        // a monotone map, which commutes with max pooling and ReLU: both orders give the same output.
        plain.Eval();
        first.Eval();
        var x = Tensor.Randn([3, 1, 28, 28], generator: new Generator(4));
        var a = plain.Invoke(x).ToArray<float>();
        var b = first.Invoke(x).ToArray<float>();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-5f);
        Assert.Throws<ArgumentException>(() => MnistFastNet.Create([4, 8], 2, new Generator(1), poolFirst: true));
    }

    [Fact]
    public void Bar_sentences_follow_the_numbers_and_the_protocol()
    {
        MnistFastModel M(double acc, double seconds) => new("A", "net", 1, 1, 1, 128, 60_000, seconds, seconds, seconds, 0, 0, [], double.NaN, "test", 10_000, acc, 0, (0, 0, 0));
        Assert.EndsWith("Both parts of bar A are met.", MnistFastLab.FastSentence(M(0.9905, 7.5), selection: false));
        Assert.Contains("does not meet the bar of 99 %", MnistFastLab.FastSentence(M(0.9893, 7.5), false));
        Assert.EndsWith("The time is met but not the accuracy.", MnistFastLab.FastSentence(M(0.9893, 7.5), false));
        Assert.EndsWith("(on a loaded machine the time is not the quiet-machine figure).", MnistFastLab.FastSentence(M(0.991, 31), false));
        Assert.EndsWith("Neither part of bar A is met.", MnistFastLab.FastSentence(M(0.98, 31), false));
        Assert.Contains("says nothing about the test bar", MnistFastLab.FastSentence(M(0.999, 1), selection: true));
        Assert.StartsWith("Test accuracy (99.61 %) meets the bar of 99.6 %", MnistFastLab.BestSentence(M(0.9961, 500), false));
        // s.e. = √(0.9961·0.0039/10,000) = 0.062 points.
        Assert.Contains("one binomial standard error is 0.06 points", MnistFastLab.BestSentence(M(0.9961, 500), false));
        Assert.Contains("does not meet the bar", MnistFastLab.BestSentence(M(0.9959, 500), false));
        Assert.Equal("none", MnistFastLab.AugmentText(new MnistFastSettings { Degrees = 0, Shift = 0, Scale = 0 }));
    }
}
