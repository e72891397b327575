using System.Text.Json;
using Nabla.Labs;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class SentenceRnnLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-sentence-rnn-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact("text/trec")]
    public void Quick_run_writes_the_report_figures_and_every_tensor_size()
    {
        var log = new StringWriter();
        LabRegistry.Find("sentence-rnn").Run(new LabContext(_dir, Quick: true, Log: log));
        foreach (var f in new[] { "report.md", "results.json", "loss.png", "accuracy.png", "confusion.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        foreach (var k in new[] { "test_accuracy_lstm_last", "test_accuracy_lstm_mean", "test_accuracy_bow" })
            Assert.InRange(metrics[k], 0, 1);
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        // Quick model: D = 32, H = 32: W_ih [128, 32], W_hh [128, 32], h_t and c_t [50, 32], logits [50, 6].
        foreach (var s in new[] { "[128, 32]", "cell state c_t", "[50, 32]", "[1, 50, 32]", "[50, 6]" }) Assert.Contains(s, report);
    }
}
