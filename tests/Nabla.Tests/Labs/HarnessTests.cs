using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class HarnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-harness-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    public enum Kind { Plain, ExtraWide }

    public sealed record S
    {
        [Setting("epochs", Min = 1, Max = 1000)] public int Epochs { get; init; }
        [Setting("learning rate", Key = "lr", Min = 0)] public double LearningRate { get; init; }
        [Setting("widths")] public int[] Widths { get; init; } = [];
        [Setting("model kind")] public Kind Model { get; init; }
        [Setting("use augmentation")] public bool Augment { get; init; }
        [Setting("optional cap")] public int? Cap { get; init; }
        public string NotASetting { get; init; } = "x";
    }

    public sealed record R(double Sum, int Epochs);

    private sealed class ToyLab : Lab<S, R>
    {
        public override string Name => "toy";
        public override string Description => "toy lab";
        public override string Title => "Toy";
        public override S Quick => new() { Epochs = 1, LearningRate = 0.5, Widths = [2] };
        public override S Full => new() { Epochs = 10, LearningRate = 0.1, Widths = [4, 8], Model = Kind.ExtraWide };
        public override R Experiment(S s, LabKit kit) => new(s.Widths.Sum() * s.LearningRate, s.Epochs);
        public override void Report(LabReport report, S s, R r) =>
            report.Paragraph(Says.Compare("sum", r.Sum, "one", 1.0, 1e-9)).Metric("sum", r.Sum);
    }

    [Fact]
    public void Keys_are_kebab_case_or_explicit_and_describe_quick_and_full_values()
    {
        var info = new ToyLab().Settings;
        Assert.Equal(["epochs", "lr", "widths", "model", "augment", "cap"], info.Select(i => i.Key));
        var widths = info.Single(i => i.Key == "widths");
        Assert.Equal(("int[]", "2", "4,8"), (widths.Type, widths.QuickValue, widths.FullValue));
        Assert.Equal("extra-wide", info.Single(i => i.Key == "model").FullValue);
        Assert.Equal("learning-rate", LabSettings.Kebab("LearningRate"));
    }

    [Fact]
    public void Overrides_apply_to_a_copy_with_every_supported_type()
    {
        var lab = new ToyLab();
        var full = lab.Full;
        var s = LabSettings.Apply(full, new Dictionary<string, string>
        {
            ["epochs"] = "5", ["lr"] = "0.25", ["widths"] = "1, 2,3", ["model"] = "plain", ["augment"] = "on", ["cap"] = "7",
        }, "toy");
        Assert.Equal((5, 0.25, Kind.Plain, true, (int?)7), (s.Epochs, s.LearningRate, s.Model, s.Augment, s.Cap));
        Assert.Equal([1, 2, 3], s.Widths);
        Assert.Equal(10, full.Epochs);   // the original is untouched
        Assert.Null(LabSettings.Apply(full, new Dictionary<string, string> { ["cap"] = "none" }, "toy").Cap);
    }

    [Theory]
    [InlineData("epochs", "0", "outside [1, 1000]")]
    [InlineData("cap", "2147483648", "out of range")]
    [InlineData("lr", "NaN", "not a finite number")]
    [InlineData("lr", "abc", "cannot read 'abc'")]
    [InlineData("model", "huge", "not one of plain, extra-wide")]
    [InlineData("augment", "maybe", "cannot read")]
    [InlineData("batch", "3", "no setting 'batch'; valid settings: augment, cap, epochs, lr, model, widths")]
    public void Bad_overrides_are_typed_errors_naming_the_setting(string key, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new ToyLab().Run(new LabContext(_dir, Overrides: new Dictionary<string, string> { [key] = value })));
        Assert.Contains(message, e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "report.md")));
    }

    [Fact]
    public void Quick_report_says_first_that_it_is_a_smoke_run_and_lists_settings_and_overrides()
    {
        var r = new ToyLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["lr"] = "2" }));
        var lines = File.ReadAllLines(r.ReportPath);
        Assert.StartsWith("# Toy — smoke run", lines[0]);
        string md = string.Join("\n", lines);
        Assert.Contains("| `lr` | 2 (--set) | learning rate |", md);
        Assert.Contains("--quick --set lr=2", md);
        Assert.Equal(4.0, r.Metrics["sum"]);   // widths [2] · lr 2
        Assert.Contains("sum (4) does better than one (1)", md);
        var full = new ToyLab().Run(new LabContext(_dir));
        Assert.Equal("# Toy", File.ReadLines(full.ReportPath).First());
    }

    private sealed class SameSizeLab : Lab<S, R>
    {
        public override string Name => "same";
        public override string Description => "quick = full";
        public override string Title => "Same";
        public override S Quick => new() { Epochs = 3, Widths = [1] };
        public override S Full => new() { Epochs = 3, Widths = [1] };
        public override R Experiment(S s, LabKit kit) => new(0, s.Epochs);
        public override void Report(LabReport report, S s, R r) => report.Paragraph("x");
    }

    [Fact]
    public void A_quick_run_of_a_lab_whose_quick_and_full_settings_agree_is_not_called_a_smoke_run()
    {
        var r = new SameSizeLab().Run(new LabContext(_dir, Quick: true));
        Assert.Equal("# Same", File.ReadLines(r.ReportPath).First());
        var o = new SameSizeLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string> { ["epochs"] = "3" }));
        Assert.Equal("# Same", File.ReadLines(o.ReportPath).First());
    }

    [Fact]
    public void Says_rules_follow_the_numbers()
    {
        Assert.Equal("b (2) does better than a (1)", Says.Compare("a", 1, "b", 2, 0.1));
        Assert.Equal("a (1) does better than b (2)", Says.Compare("a", 1, "b", 2, 0.1, higherIsBetter: false));
        Assert.Contains("no clear difference", Says.Compare("a", 1, "b", 1.05, 0.1));
        Assert.Contains("does not meet", Says.Bar("accuracy", 0.97, 0.975));
        Assert.Contains("meets the bar", Says.Bar("error", 0.01, 0.02, higherIsBetter: false));
        Assert.Equal("c", Says.Best([("a", 1), ("b", double.NaN), ("c", 3)]));
        Assert.Equal("decreases", Says.Trend([3, 2, 1]));
        Assert.Equal("stays flat", Says.Trend([1, 5, 1.01]));
    }

    [Fact]
    public void Every_registered_lab_has_unique_setting_keys_and_a_describable_quick_and_full_form()
    {
        foreach (var lab in LabRegistry.All)
        {
            var keys = lab.Settings.Select(s => s.Key).ToList();
            Assert.True(keys.Count == keys.Distinct().Count(), $"{lab.Name}: duplicate setting keys");
        }
    }
}
