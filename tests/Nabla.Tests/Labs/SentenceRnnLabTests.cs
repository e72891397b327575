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

    [RequiresDataFact("text/trec")]
    public void Overrides_change_the_data_sizes_the_model_and_the_training()
    {
        var r = new SentenceRnnLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["train-questions"] = "100", ["test-questions"] = "40", ["embedding-dim"] = "8", ["hidden-size"] = "5", ["batch-size"] = "10", ["lstm-epochs"] = "2",
        }));
        Assert.Equal(40, r.Metrics["test_questions"]);
        string report = File.ReadAllText(r.ReportPath);
        foreach (var s in new[] { "[20, 8]", "[20, 5]", "[10, 5]", "| 10 / 2 |", "keeps 90 questions for" }) Assert.Contains(s, report);
    }

    private static SentenceRun Run(string name, double test, double train = 0.99, params double[] validLoss) =>
        new(name, 10, [.. validLoss.Select((l, i) => new Nabla.Training.EpochRecord(i + 1, 1, train, l, 0.8, 1e-3, 1, 1))], train, 0.8, test, 0.5, new int[6, 6], 1,
            new SentenceTrainSettings(1e-3, 0, 50, validLoss.Length));

    [Fact]
    public void Pool_and_overfit_verdicts_follow_the_numbers()
    {
        Assert.Contains("both pools work: their test accuracies differ by 1.0 points", SentenceRnnLab.PoolVerdict(Run("LSTM last", 0.88), Run("LSTM mean", 0.89), 500, 10.2));
        Assert.Contains("about 10 tokens", SentenceRnnLab.PoolVerdict(Run("LSTM last", 0.88), Run("LSTM mean", 0.89), 500, 10.2));
        Assert.Contains("LSTM mean beats LSTM last by 8.0 points", SentenceRnnLab.PoolVerdict(Run("LSTM last", 0.82), Run("LSTM mean", 0.90), 500, 10));
        Assert.Contains("LSTM last beats LSTM mean", SentenceRnnLab.PoolVerdict(Run("LSTM last", 0.95), Run("LSTM mean", 0.85), 500, 10));
        Assert.Contains("lowest validation loss after epoch 2 of 3 (it rises afterwards: the model overfits", SentenceRnnLab.OverfitVerdict(Run("a", 0.9, 0.99, 0.5, 0.3, 0.4)));
        Assert.Contains("after epoch 3 of 3 (still falling", SentenceRnnLab.OverfitVerdict(Run("a", 0.9, 0.99, 0.5, 0.4, 0.3)));
        Assert.Contains("single epoch, too few to judge", SentenceRnnLab.OverfitVerdict(Run("a", 0.9, 0.99, 0.5)));
    }
}
