using System.Text.Json;
using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class CnnShapesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cnn-shapes-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private Dictionary<string, double> Metrics() =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;

    [Fact]
    public void Quick_run_reports_hand_computed_totals()
    {
        new CnnShapesLab().Run(new LabContext(_dir, Quick: true));
        var m = Metrics();
        // conv 16·1·25+16 = 416, 32·16·25+32 = 12,832; same: 32·7·7·10+10 = 15,690; valid: 32·4·4·10+10 = 5,130.
        Assert.Equal(416 + 12_832 + 15_690, m["params_same"]);
        Assert.Equal(416 + 12_832 + 5_130, m["params_valid"]);
        Assert.Equal(1568, m["flat_same"]);
        Assert.Equal(512, m["flat_valid"]);
        // k3 stride 2 valid: 28 → 13 → 6 → 2 → 1: flat 32.
        Assert.Equal(32, m["flat_valid-k3-s2"]);
        Assert.All(m.Where(kv => kv.Key.StartsWith("check_")), kv => Assert.Equal(1, kv.Value));
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("0.weight", md);
        Assert.Contains("[16, 1, 5, 5]", md);
        Assert.Contains("a linear layer 3.1× smaller (5,130 vs 15,690 parameters)", md);
        Assert.Contains("The convolution parameters are the same in both cases (13,248)", md);
    }

    [Fact]
    public void Side_and_channels_settings_change_the_reported_counts()
    {
        new CnnShapesLab().Run(new LabContext(_dir, Overrides: new Dictionary<string, string> { ["side"] = "32", ["channels"] = "8" }));
        var m = Metrics();
        // One stage of 8 channels on 32×32. same: 32 → 32 → 16, flat 8·16·16 = 2,048; conv 8·25 + 8 = 208, linear 20,490.
        Assert.Equal(2048, m["flat_same"]);
        Assert.Equal(208 + 20_490, m["params_same"]);
        // valid 5×5: 32 → 28 → 14, flat 8·14·14 = 1,568, linear 15,690.
        Assert.Equal(208 + 15_690, m["params_valid"]);
        // k3 stride 2 valid: ⌊(32 − 3)/2⌋ + 1 = 15 → pool 7: flat 8·7·7 = 392.
        Assert.Equal(392, m["flat_valid-k3-s2"]);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("| `side` | 32 (--set) |", md);
        Assert.Contains("| `channels` | 8 (--set) |", md);
    }

    [Fact]
    public void A_plan_that_shrinks_the_map_below_one_pixel_is_an_error_naming_the_configuration()
    {
        // Three stages: valid 5×5 on 28 goes 28 → 24 → 12 → 8 → 4, then a 5×5 conv cannot fit (the first configuration to fail).
        var e = Assert.Throws<ArgumentException>(() => new CnnShapesLab().Run(new LabContext(_dir,
            Overrides: new Dictionary<string, string> { ["channels"] = "4,4,4" })));
        Assert.Contains("configuration 'valid' ", e.Message);
        Assert.Contains("28 → 24 → 12 → 8 → 4", e.Message);
        Assert.Contains("below one pixel", e.Message);
    }

    private static CnnShapesRow Row(string label, int stride, int[] sides, int flatSide, long conv, long linear, long summary) =>
        new(label, 5, stride, 0, true, 2, sides, 32, flatSide, 32 * flatSide * flatSide, 32 * flatSide * flatSide, summary, conv + linear, conv, linear, "", "");

    [Fact]
    public void Agreement_rule_names_the_mismatching_configurations()
    {
        var good = Row("a", 1, [28, 14], 7, 100, 50, 150);
        var bad = Row("b", 1, [28, 14], 7, 100, 50, 151);
        Assert.StartsWith("For all 1 configurations", CnnShapesLab.AgreementSentence([good]));
        string s = CnnShapesLab.AgreementSentence([good, bad]);
        Assert.Contains("**Mismatch**", s);
        Assert.Contains("for b:", s);
    }

    [Fact]
    public void Padding_rule_follows_the_linear_and_convolution_counts()
    {
        var same = Row("same", 1, [28, 28, 14], 7, 13_248, 15_690, 0);
        var valid = Row("valid", 1, [28, 24, 12], 4, 13_248, 5_130, 0);
        string s = CnnShapesLab.PaddingSentence(same, valid);
        Assert.Contains("a linear layer 3.1× smaller", s);
        Assert.Contains("are the same in both cases", s);
        string reversed = CnnShapesLab.PaddingSentence(valid, same with { ConvParameters = 1 });
        Assert.Contains("a linear layer 3.1× larger", reversed);
        Assert.Contains("The convolution parameters differ", reversed);
        Assert.Contains("of the same size", CnnShapesLab.PaddingSentence(same, same));
    }

    [Fact]
    public void Stride_rule_says_faster_shrinking_only_when_the_strided_plan_ends_smaller()
    {
        var strided = Row("s2", 2, [28, 13, 6], 1, 0, 0, 0);
        var plain = Row("s1", 1, [28, 24, 12], 4, 0, 0, 0);
        Assert.Contains("shrink the maps much faster", CnnShapesLab.StrideSentence(strided, plain));
        Assert.Contains("does not end smaller (4 vs 4", CnnShapesLab.StrideSentence(plain with { Stride = 2 }, plain));
    }
}
