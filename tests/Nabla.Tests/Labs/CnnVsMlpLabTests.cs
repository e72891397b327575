using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class CnnVsMlpLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cnn-vs-mlp-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void The_two_models_have_the_hand_computed_parameter_counts()
    {
        // MLP 784·1024+1024 + 1024·1024+1024 + 1024·10+10 = 1,863,690;
        // CNN 32·25+32 + 64·32·25+64 + 3136·576+576 + 576·10+10 = 1,864,778 (within 0.1 %).
        Assert.Equal(803_840 + 1_049_600 + 10_250, CnnVsMlpLab.CreateMlp(0.2, null).ParameterCount());
        Assert.Equal(832 + 51_264 + 1_806_912 + 5_770, CnnVsMlpLab.CreateCnn(0.2, null).ParameterCount());
        TestUtil.AssertShape(CnnVsMlpLab.CreateCnn(0, null).Forward(Tensor.Zeros(2, 1, 28, 28)), 2, 10);
    }

    [Fact]
    public void Full_settings_are_the_runs_the_readme_quotes()
    {
        var f = new CnnVsMlpLab().Full;
        Assert.Equal((10_000, 10_000, 10_000, 10, 128, 0.05, 0.9, 1e-4, 0.2),
            (f.Train, f.Valid, f.Test, f.Epochs, f.BatchSize, f.LearningRate, f.Momentum, f.WeightDecay, f.Dropout));
    }

    [RequiresDataFact]
    public void Quick_run_writes_report_and_figure_and_honours_set()
    {
        new CnnVsMlpLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter(),
            Overrides: new Dictionary<string, string> { ["train"] = "600", ["test"] = "300" }));
        foreach (var f in new[] { "report.md", "results.json", "errors.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(1_863_690, m["mlp_parameters"]);
        Assert.Equal(1_864_778, m["cnn_parameters"]);
        Assert.InRange(m["mlp_test_error"], 0, 0.5);                   // one epoch on 600 images beats chance (0.9)
        Assert.InRange(m["cnn_test_error"], 0, 0.9);
        // Errors on 300 test images are multiples of 1/300.
        Assert.Equal(Math.Round(m["mlp_test_error"] * 300), m["mlp_test_error"] * 300, 6);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("first 600 MNIST training images", md);
        Assert.Contains("| `train` | 600 (--set) |", md);
        Assert.Contains("Only 600 of the 50,000 training images", md);
    }

    [Fact]
    public void Comparison_rule_follows_the_errors_and_their_noise()
    {
        // 10,000 test images: 1.36 % vs 3.73 % is far beyond two standard errors (≈ 0.4 points).
        string cnnWins = CnnVsMlpLab.ComparisonSentence(0.0136, 0.0373, 10_000, 52_096, 1_864_778);
        Assert.Contains("clearly lower", cnnWins);
        Assert.Contains("52,096 of the CNN's 1,864,778", cnnWins);
        Assert.Contains("the MLP is clearly better", CnnVsMlpLab.ComparisonSentence(0.0373, 0.0136, 10_000, 1, 2));
        // 500 images: 25.6 % vs 25.2 % differ by two images, well inside the noise.
        string tie = CnnVsMlpLab.ComparisonSentence(0.256, 0.252, 500, 1, 2);
        Assert.Contains("does not separate the two models", tie);
        Assert.DoesNotContain("translation equivariance", tie);
    }

    [Fact]
    public void Compute_rule_follows_the_time_ratio()
    {
        Assert.StartsWith("The price is compute: the CNN took 5.0×", CnnVsMlpLab.ComputeSentence(50, 10));
        Assert.StartsWith("The CNN trained faster", CnnVsMlpLab.ComputeSentence(5, 10));
        Assert.StartsWith("Both took about the same", CnnVsMlpLab.ComputeSentence(10.5, 10));
    }
}
