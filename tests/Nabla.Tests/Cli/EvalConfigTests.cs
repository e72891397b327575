using Nabla.Cli.Commands;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla eval</c>'s reading of a run's config.json: every problem names the file.</summary>
public class EvalConfigTests
{
    [Fact]
    public void Unknown_model_in_config_json_names_the_file_and_the_known_models()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nabla-evalcfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, """{"model": "transformer", "data": "mnist"}""");
            var e = Assert.Throws<NablaException>(() => EvalCommand.ReadConfig(config));
            Assert.Contains(config, e.Message);
            Assert.Contains("unknown model 'transformer'", e.Message);
            Assert.Contains("mlp, cnn, resnet", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
