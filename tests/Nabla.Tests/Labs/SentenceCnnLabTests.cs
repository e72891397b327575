using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class SentenceCnnLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-sentence-cnn-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact("text/trec")]
    public void Quick_run_writes_the_report_figures_and_every_tensor_size()
    {
        var log = new StringWriter();
        LabRegistry.Find("sentence-cnn").Run(new LabContext(_dir, Quick: true, Log: log));
        foreach (var f in new[] { "report.md", "results.json", "loss.png", "accuracy.png", "confusion.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(200, metrics["test_questions"]);
        Assert.InRange(metrics["test_accuracy_cnn"], 0, 1);
        // One epoch of logistic regression on 540 questions already beats the majority class (DESC, 138/500 in TREC-10).
        Assert.InRange(metrics["test_accuracy_bow"], 0.3, 1);
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        // Quick model: D = 32, F = 16, kernels 3/4/5, 6 classes.
        foreach (var s in new[] { "[16, 32, 3]", "[16, 32, 5]", "[50, 48]", "[6, 48]", "[50, 6]" }) Assert.Contains(s, report);
        Assert.Contains("feature map k=4", log.ToString());
    }
}
