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

    [RequiresDataFact("text/trec")]
    public void Overrides_change_the_data_sizes_the_model_and_the_training()
    {
        var r = new SentenceCnnLab().Run(new LabContext(_dir, Quick: true, Overrides: new Dictionary<string, string>
        {
            ["train-questions"] = "200", ["test-questions"] = "50", ["embedding-dim"] = "8", ["filters"] = "4", ["filter-sizes"] = "2,3",
            ["batch-size"] = "20", ["cnn-epochs"] = "2", ["bow-epochs"] = "2", ["cnn-learning-rate"] = "0.002",
        }));
        Assert.Equal(50, r.Metrics["test_questions"]);
        string report = File.ReadAllText(r.ReportPath);
        foreach (var s in new[] { "[4, 8, 2]", "[4, 8, 3]", "[6, 8]", "N = 20 sentences", "| 20 / 2 |", "η = 0.002", "keeps 180 questions for" })
            Assert.Contains(s, report);
        Assert.Contains("| CNN-rand |", report);
        Assert.Contains("| 2 |", report);                                   // two epochs in the results table
    }

    [Fact]
    public void Full_settings_keep_the_published_run_and_quick_the_smoke_sizes()
    {
        var lab = new SentenceCnnLab();
        Assert.Equal((300, 100, 10, 15, 1e-4, 5e-3), (lab.Full.EmbeddingDim, lab.Full.Filters, lab.Full.CnnEpochs, lab.Full.BowEpochs, lab.Full.CnnWeightDecay, lab.Full.BowLearningRate));
        Assert.Null(lab.Full.TrainQuestions);
        Assert.Equal((600, 200, 32, 16, 1, 1e-2), (lab.Quick.TrainQuestions, lab.Quick.TestQuestions, lab.Quick.EmbeddingDim, lab.Quick.Filters, lab.Quick.CnnEpochs, lab.Quick.BowLearningRate));
        Assert.Contains("train-questions", lab.Settings.Select(x => x.Key));
    }

    [Fact]
    public void Ngram_sentence_is_a_reason_only_when_the_cnn_is_clearly_better()
    {
        Assert.StartsWith("The reason for the gap:", SentenceCnnLab.NgramText(cnnClearlyBetter: true));
        Assert.EndsWith("but it does not show in this run.", SentenceCnnLab.NgramText(cnnClearlyBetter: false));
    }
}
