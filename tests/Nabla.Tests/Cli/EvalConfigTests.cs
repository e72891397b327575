using Nabla.Cli.Commands;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla eval</c>'s reading of a run's config.json: every problem names the file; a missing data set is
/// reported, never downloaded.</summary>
public class EvalConfigTests
{
    [Fact]
    public void Eval_of_a_run_whose_data_set_is_missing_does_not_download_it_and_says_how_to_get_it()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-evaldl-").FullName, empty = Path.Combine(dir, "root");
        Directory.CreateDirectory(empty);
        try
        {
            string run = Path.Combine(dir, "run");
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, "config.json"), """{"model": "mlp", "data": "cifar10", "hidden": [8]}""");
            File.WriteAllBytes(Path.Combine(run, "model.npz"), [0]);
            var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"), "eval", run, "--data-root", empty }) psi.ArgumentList.Add(a);
            psi.Environment["HOME"] = dir;
            psi.Environment.Remove("NABLA_DATA");
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000), "eval did not finish");
            Assert.Equal(1, p.ExitCode);
            Assert.Contains("not found", stderr.Result);
            Assert.Contains("nabla data download --data cifar10", stderr.Result);
            Assert.Contains("(eval does not download data)", stderr.Result);
            Assert.DoesNotContain("could not download", stderr.Result);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty));   // nothing fetched, no folder made
        }
        finally { Directory.Delete(dir, true); }
    }
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
