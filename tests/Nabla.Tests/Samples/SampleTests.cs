using System.Diagnostics;
using System.Text;
using Nabla.Data;
using Nabla.Tests.Architecture;

namespace Nabla.Tests.Samples;

/// <summary>
/// Every sample under samples/ builds and runs: <c>dotnet run --project samples/X -c Release</c> as a child process (the
/// configuration the tests were built in; the library is the one this build produced, so the samples do not rebuild
/// it under a running suite). One class, so the samples run one after another.
/// </summary>
[Collection(DotnetChildCollection.Name)]
public class SampleTests
{
    private static string Configuration =>
        AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>Runs a sample; returns its exit code and its standard output and error.</summary>
    private static (int ExitCode, string Output) Run(string sample, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        string root = LayeringTests.RepoRoot();
        string library = Path.Combine(root, "src", "Nabla", "bin", Configuration, "net10.0", "Nabla.dll");
        var all = new List<string> { "run", "--project", Path.Combine("samples", sample), "-c", Configuration };
        if (File.Exists(library)) all.Add("-p:BuildProjectReferences=false");
        all.Add("--");
        all.AddRange(args);
        return GeneratedProject.RunDotnet(all, root, environment);
    }

    [Fact]
    public void QuickStart_runs_and_its_gradcheck_passes()
    {
        var (code, output) = Run("QuickStart");
        Assert.True(code == 0, $"exit code {code}:\n{output}");
        Assert.Contains("sum = 21, mean = 3.5", output);
        Assert.Contains("dy/dx = [2, 4, 6]", output);
        Assert.Contains("GradCheck passed", output);
    }

    [Fact]
    public void MnistMlp_trains_on_a_subset_or_says_the_data_is_missing()
    {
        var (code, output) = Run("MnistMlp", null, "--limit", "1000", "--epochs", "2");
        Assert.True(code == 0, $"exit code {code}:\n{output}");
        if (DataRoot.Find(DatasetSpec.Mnist) is null)
        {
            Assert.Contains("MNIST not found", output);
            return;
        }
        Assert.Contains("train on 1000 images, test on 500", output);
        Assert.Contains("epoch 2: train loss", output);
        var line = output.Split('\n').Single(l => l.StartsWith("test accuracy", StringComparison.Ordinal));
        // Two epochs on 1000 images: far above chance (10 %); the saved and loaded model scores the same.
        var percents = System.Text.RegularExpressions.Regex.Matches(line, @"([0-9.]+) %").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, percents.Length);
        Assert.True(percents[0] > 60, line);
        Assert.Equal(percents[0], percents[1]);
    }

    [Fact]
    public void MnistMlp_without_data_prints_a_clear_message_and_exits_0()
    {
        string empty = Directory.CreateTempSubdirectory("nabla-sample-nodata-").FullName;
        try
        {
            var (code, output) = Run("MnistMlp", new Dictionary<string, string> { [DataRoot.EnvironmentVariable] = empty }, "--limit", "100", "--epochs", "1");
            Assert.True(code == 0, $"exit code {code}:\n{output}");
            // A system-wide copy (/usr/share/datasets/mnist) is still found with an empty NABLA_DATA; then the sample trains.
            bool systemCopy = DataRoot.Find(DatasetSpec.Mnist, environment: k => k == DataRoot.EnvironmentVariable ? empty : null) is not null;
            Assert.Contains(systemCopy ? "train on 100 images" : "MNIST not found: set NABLA_DATA", output);
        }
        finally { Directory.Delete(empty, recursive: true); }
    }
}
