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

    [RequiresDataFact]
    public void Quick_run_writes_report_and_figure()
    {
        LabRegistry.Find("cnn-vs-mlp").Run(new LabContext(_dir, Quick: true, Log: new StringWriter()));
        foreach (var f in new[] { "report.md", "results.json", "errors.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var m = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(1_863_690, m["mlp_parameters"]);
        Assert.Equal(1_864_778, m["cnn_parameters"]);
        Assert.InRange(m["mlp_test_error"], 0, 0.5);                   // one epoch on 1,000 images beats chance (0.9)
        Assert.InRange(m["cnn_test_error"], 0, 0.9);
    }
}
