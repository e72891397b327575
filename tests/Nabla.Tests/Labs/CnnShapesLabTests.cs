using System.Text.Json;
using Nabla.Labs;

namespace Nabla.Tests.Labs;

public class CnnShapesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-cnn-shapes-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Quick_run_reports_hand_computed_totals()
    {
        LabRegistry.Find("cnn-shapes").Run(new LabContext(_dir, Quick: true));
        Assert.True(File.Exists(Path.Combine(_dir, "report.md")));
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
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
    }
}
