using System.Globalization;
using Nabla.Labs;

namespace Nabla.Tests.Labs;

/// <summary>Every <c>--set</c> key of the MLP-group labs reaches its setting: overriding one key changes that
/// setting's value, as <c>nabla lab show</c> and the report's settings table print it, and leaves the others alone.</summary>
public class MlpGroupSettingsTests
{
    public static TheoryData<string> Labs => new() { "mlp-init", "mlp-search", "finite-difference", "mlp-mnist-csv", "linear-classifiers", "autoencoders", "gan" };

    /// <summary>A valid value different from <paramref name="quick"/> for a setting of type <paramref name="type"/>.</summary>
    private static string Other(string type, string quick) => type switch
    {
        "int" or "int?" when quick == "none" => "1000",
        "int" or "int?" => (int.Parse(quick, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture),
        "double" => (double.Parse(quick, CultureInfo.InvariantCulture) * 0.5).ToString(CultureInfo.InvariantCulture),
        "bool" => quick == "true" ? "false" : "true",
        "string" => quick == "relu" ? "tanh" : "normal",
        "int[]" => string.Join(",", quick.Split(',').Select((v, i) => i == 0 ? (int.Parse(v, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture) : v)),
        "double[]" => string.Join(",", quick.Split(',').Select((v, i) => i == 0 ? (double.Parse(v, CultureInfo.InvariantCulture) * 0.5).ToString(CultureInfo.InvariantCulture) : v)),
        "string[]" => string.Join(",", quick.Split(',').Reverse().Append("x")),
        _ => throw new InvalidOperationException($"no test value for type {type}"),
    };

    [Theory]
    [MemberData(nameof(Labs))]
    public void Every_key_round_trips_to_its_setting(string name)
    {
        var lab = LabRegistry.Find(name);
        var describe = lab.GetType().GetMethod("SettingsFor")!;
        var infos = lab.Settings;
        Assert.NotEmpty(infos);
        foreach (var info in infos)
        {
            string value = Other(info.Type, info.QuickValue);
            Assert.NotEqual(info.QuickValue, value);
            var overrides = new Dictionary<string, string> { [info.Key] = value };
            object settings = describe.Invoke(lab, [new LabContext("unused", Quick: true, Overrides: overrides)])!;
            var shown = typeof(LabSettings).GetMethod(nameof(LabSettings.Describe))!.MakeGenericMethod(settings.GetType())
                .Invoke(null, [settings, settings]) as IReadOnlyList<SettingInfo>;
            foreach (var (before, after) in infos.Zip(shown!))
                Assert.Equal(before.Key == info.Key ? value : before.QuickValue, after.FullValue);
        }
    }

    [Theory]
    [MemberData(nameof(Labs))]
    public void Quick_differs_from_full_and_an_unknown_key_is_refused_before_running(string name)
    {
        var lab = LabRegistry.Find(name);
        Assert.Contains(lab.Settings, s => s.QuickValue != s.FullValue);
        string dir = Path.Combine(Path.GetTempPath(), "nabla-never-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<ArgumentException>(() => lab.Run(new LabContext(dir, Quick: true,
            Overrides: new Dictionary<string, string> { ["no-such-key"] = "1" })));
        Assert.Contains("valid settings:", e.Message);
        Assert.False(Directory.Exists(dir));
    }
}
