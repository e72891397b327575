using System.Text.Json;
using Nabla.Labs;
using Nabla.Models;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class CnnVsMlpLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cnn-vs-mlp-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void The_two_models_have_the_hand_computed_parameter_counts()
    {
        // MLP (Problem 1's, as mlp-init builds it) 784·512+512 + 512·512+512 + 512·10+10 = 669,706;
        // CNN 16·25+16 + 32·16·25+32 + 1568·416+416 + 416·10+10 = 670,122: +416, +0.06 %, within ±10 %.
        Assert.Equal(401_920 + 262_656 + 5_130, CnnVsMlpLab.CreateMlp(0.2, null).ParameterCount());
        Assert.Equal(Mlp.Create(new MlpOptions(Hidden: new MlpInitLab().Full.Hidden)).ParameterCount(), CnnVsMlpLab.CreateMlp(0.2, null).ParameterCount());
        Assert.Equal(416 + 12_832 + 652_704 + 4_170, CnnVsMlpLab.CreateCnn(0.2, null).ParameterCount());
        TestUtil.AssertShape(CnnVsMlpLab.CreateCnn(0, null).Forward(Tensor.Zeros(2, 1, 28, 28)), 2, 10);
    }

    [Fact]
    public void Multiply_adds_are_counted_per_layer()
    {
        // CNN: conv1 28·28·16·1·25 = 313,600; conv2 14·14·32·16·25 = 2,508,800; 1568·416 = 652,288; 416·10 = 4,160.
        Assert.Equal(313_600 + 2_508_800 + 652_288 + 4_160, CnnVsMlpLab.MultiplyAdds(CnnVsMlpLab.CreateCnn(0, null), [1, 28, 28]));
        // MLP: 784·512 + 512·512 + 512·10.
        Assert.Equal(401_408 + 262_144 + 5_120, CnnVsMlpLab.MultiplyAdds(CnnVsMlpLab.CreateMlp(0, null), [1, 28, 28]));
    }

    [Fact]
    public void Full_settings_are_the_assignments_protocol()
    {
        // IFT6135 Problem 2: the whole 50,000-image training split, 10 epochs.
        var f = new CnnVsMlpLab().Full;
        Assert.Equal((50_000, 10_000, 10_000, 10, 128, 0.05, 0.9, 1e-4, 0.2),
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
        Assert.Equal(669_706, m["mlp_parameters"]);
        Assert.Equal(670_122, m["cnn_parameters"]);
        Assert.Equal(m["cnn_valid_error"], m["cnn_valid_error_epoch1"]);
        Assert.InRange(m["mlp_train_error_epoch1"], 0, 0.5);
        Assert.InRange(m["mlp_test_error"], 0, 0.5);                   // one epoch on 600 images beats chance (0.9)
        Assert.InRange(m["cnn_test_error"], 0, 0.9);
        // Errors on 300 test images are multiples of 1/300.
        Assert.Equal(Math.Round(m["mlp_test_error"] * 300), m["mlp_test_error"] * 300, 6);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("| `train` | 600 (--set) |", md);
        Assert.Contains("Only 600 of the 50,000 training images", md);
        Assert.Contains("the first 600 of the 50,000 MNIST training images", md);
        Assert.Contains("within the ±10 %", md);
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
        string price = CnnVsMlpLab.ComputeSentence(50, 10, 11_279_016, 668_672);
        Assert.StartsWith("The price is compute: the CNN took 5.0×", price);
        Assert.Contains("11.3 M multiply-adds per image against 0.67 M for the MLP (17×)", price);
        Assert.StartsWith("The CNN trained faster", CnnVsMlpLab.ComputeSentence(5, 10, 2, 1));
        Assert.StartsWith("Both took about the same", CnnVsMlpLab.ComputeSentence(10.5, 10, 2, 1));
    }

    [Fact]
    public void Parameter_match_rule_uses_ten_percent()
    {
        Assert.Contains("+416 parameters (+0.06 %) against the MLP, within the ±10 %", CnnVsMlpLab.ParameterMatchSays(670_122, 669_706));
        Assert.Contains("−788 parameters (−0.12 %)", CnnVsMlpLab.ParameterMatchSays(668_918, 669_706));
        Assert.Contains("outside ±10 %", CnnVsMlpLab.ParameterMatchSays(1_864_778, 669_706));
        Assert.Contains("within", CnnVsMlpLab.ParameterMatchSays(736_000, 669_706));
    }
}
