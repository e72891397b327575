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
        Assert.True(File.Exists(Path.Combine(_dir, "filter_widths.png")));
        foreach (var k in new[] { "sweep_valid_accuracy_w1", "sweep_valid_accuracy_w7", "sweep_valid_accuracy_combination", "sweep_chosen_test_accuracy" })
            Assert.InRange(metrics[k], 0, 1);
        Assert.Equal(4523, metrics["design_trainable_parameters"]);
        foreach (var s in new[] { "## AMMI Q3(a): the asked design", "| embedding.weight | [50000, 300] | 15,000,000 | frozen |", "## Filter width (AMMI Q3(a)3)", "| width 7 |" })
            Assert.Contains(s, report);
    }

    [Fact]
    public void The_ammi_design_has_the_hand_counted_sizes_and_parameters()
    {
        // 10 words over a frozen 50,000 × 300 table, 5 filters of width 3 → 5-d sentence vector → 3 classes.
        // conv 5·300·3 + 5 = 4,505; fc 3·5 + 3 = 18; trainable 4,523; table 15,000,000 frozen.
        var d = SentenceCnnLab.Design(new SentenceCnnLab().Full, new LabKit(new LabContext(_dir), "sentence-cnn"));
        Assert.Equal(4523, d.Parameters.Where(p => p.Trainable).Sum(p => p.Count));
        Assert.Equal(15_000_000, d.Parameters.Where(p => !p.Trainable).Sum(p => p.Count));
        string Shape(string name) => d.Sizes.Single(r => r.Name == name).ShapeText;
        Assert.Equal("[1, 10, 300]", Shape("embedded input"));
        Assert.Equal("[5, 300, 3]", Shape("kernel k=3"));
        Assert.Equal("[1, 5, 8]", Shape("feature map k=3"));                 // 10 − 3 + 1 = 8 positions
        Assert.Equal("[1, 5]", Shape("sentence vector (= the pooled features)"));
        Assert.Equal("[3, 5]", Shape("fc weight"));
        Assert.Equal("[1, 3]", Shape("softmax probabilities"));
        Assert.Equal(5, d.SentenceVector.Length);
        Assert.All(d.SentenceVector, v => Assert.True(v >= 0));              // max over ReLU outputs
        Assert.Equal(1, d.Probabilities.Sum(), 5);
    }

    [Fact]
    public void Width_verdict_follows_the_validation_numbers()
    {
        int[] w = [1, 2, 3, 5, 7];
        Assert.Contains("peaks at width 3 (88.00 %)", SentenceCnnLab.WidthVerdict(w, [0.80, 0.85, 0.88, 0.86, 0.84], 0.885, "3/4/5", 545));
        Assert.Contains("no clear gain from mixing widths", SentenceCnnLab.WidthVerdict(w, [0.80, 0.85, 0.88, 0.86, 0.84], 0.885, "3/4/5", 545));
        Assert.Contains("the narrowest, 1, is best", SentenceCnnLab.WidthVerdict(w, [0.90, 0.85, 0.80, 0.79, 0.70], 0.80, "3/4/5", 545));
        Assert.Contains("10.0 points worse than width 1", SentenceCnnLab.WidthVerdict(w, [0.90, 0.85, 0.80, 0.79, 0.70], 0.80, "3/4/5", 545));
        Assert.Contains("the widest, 7, is best", SentenceCnnLab.WidthVerdict(w, [0.70, 0.75, 0.76, 0.77, 0.78], 0.90, "3/4/5", 545));
        Assert.Contains("12.0 points better still", SentenceCnnLab.WidthVerdict(w, [0.70, 0.75, 0.76, 0.77, 0.78], 0.90, "3/4/5", 545));
        Assert.StartsWith("Only width 3 was tried alone", SentenceCnnLab.WidthVerdict([3], [0.8], 0.8, "3/4/5", 545));
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
        Assert.Equal([3, 4, 5], lab.Full.FilterSizes);
        Assert.Equal((50_000, 300, 10, 5, 3), (lab.Full.DesignVocabulary, lab.Full.DesignEmbeddingDim, lab.Full.DesignWords, lab.Full.DesignFilters, lab.Full.DesignClasses));
    }

    [Fact]
    public void Ngram_sentence_is_a_reason_only_when_the_cnn_is_clearly_better()
    {
        Assert.StartsWith("The reason for the gap:", SentenceCnnLab.NgramText(cnnClearlyBetter: true));
        Assert.EndsWith("but it does not show in this run.", SentenceCnnLab.NgramText(cnnClearlyBetter: false));
    }
}
