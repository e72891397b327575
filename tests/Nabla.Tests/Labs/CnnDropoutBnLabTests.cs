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
        new CnnDropoutBnLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "dropout_sweep.png", "kernels.png", "input.png", "feature_maps_1.png",
                                  "feature_maps_2.png", "confusion.png", "misclassified.png", "unsure.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(["valid_error_p0", "valid_error_p0.5"], m.Keys.Where(k => k.StartsWith("valid_error_p")).Order());
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

    [RequiresDataFact]
    public void Set_dropout_rates_and_sizes_change_the_sweep()
    {
        new CnnDropoutBnLab().Run(new LabContext(_dir, Quick: true, Log: new StringWriter(),
            Overrides: new Dictionary<string, string> { ["dropout-rates"] = "0.25", ["train"] = "300", ["valid"] = "200", ["test"] = "100" }));
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(["valid_error_p0.25"], m.Keys.Where(k => k.StartsWith("valid_error_p")));
        Assert.Equal(0.25, m["chosen_dropout"]);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("on 100 test images", md);
        Assert.Contains("Only one rate was tried", md);
        Assert.Contains("| `dropout-rates` | 0.25 (--set) |", md);
    }

    [Fact]
    public void Rates_outside_zero_to_one_are_rejected_before_any_data_is_read()
    {
        var e = Assert.Throws<ArgumentException>(() => new CnnDropoutBnLab().Run(new LabContext(_dir, Quick: true, DataRoot: "/nonexistent",
            Overrides: new Dictionary<string, string> { ["dropout-rates"] = "0.5,1" })));
        Assert.Contains("'dropout-rates'", e.Message);
    }

    [Fact]
    public void Spread_rule_compares_the_rates_with_the_binomial_noise()
    {
        // 10,000 validation images: 1.2 % vs 1.3 % is within noise (2 s.e. of the difference ≈ 0.31 points) ...
        Assert.Contains("within noise, so the choice is weak", CnnDropoutBnLab.SpreadSentence([0.012, 0.013, 0.0125], 10_000));
        // ... 1.0 % vs 2.0 % is not.
        string clear = CnnDropoutBnLab.SpreadSentence([0.010, 0.020], 10_000);
        Assert.Contains("differ by 1.00 points", clear);
        Assert.Contains("a visible effect of the rate", clear);
        Assert.StartsWith("Only one rate", CnnDropoutBnLab.SpreadSentence([0.01], 10_000));
    }

    [Fact]
    public void Full_settings_are_the_runs_the_readme_quotes()
    {
        var f = new CnnDropoutBnLab().Full;
        Assert.Equal((10_000, 10_000, 10_000, 5, 64, 0.01, 0.9, 5e-4), (f.Train, f.Valid, f.Test, f.Epochs, f.BatchSize, f.LearningRate, f.Momentum, f.WeightDecay));
        Assert.Equal([0.0, 0.25, 0.5], f.DropoutRates);
    }
}
