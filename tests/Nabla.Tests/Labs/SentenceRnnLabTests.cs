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
        Assert.Equal(70_604, metrics["design_trainable_parameters"]);
        foreach (var k in new[] { "test_accuracy_lm_vector", "test_accuracy_untrained_lm_vector", "test_accuracy_lm_mean_vector", "test_accuracy_untrained_lm_mean_vector" })
            Assert.InRange(metrics[k], 0, 1);
        Assert.True(metrics["lm_valid_perplexity"] > 1);
        foreach (var s in new[] { "## AMMI Q3(b): the asked design", "| lstm.weight_ih_l0 | [200, 300] | 60,000 | trained |", "## AMMI Q3(b)1", "| untrained LM, mean of states | 198 |" })
            Assert.Contains(s, report);
    }

    [Fact]
    public void The_ammi_design_has_the_hand_counted_sizes_and_parameters()
    {
        // 10 words over a frozen 50,000 × 300 table → LSTM H = 50 → 4 classes.
        // W_ih 4·50 × 300 = 60,000; W_hh 4·50 × 50 = 10,000; biases 2·200 = 400; fc 4·50 + 4 = 204 → 70,604 trainable.
        var d = SentenceRnnLab.Design(new SentenceRnnLab().Full, new LabKit(new LabContext(_dir), "sentence-rnn"));
        Assert.Equal(70_604, d.Parameters.Where(p => p.Trainable).Sum(p => p.Count));
        Assert.Equal(15_000_000, d.Parameters.Where(p => !p.Trainable).Sum(p => p.Count));
        string Shape(string name) => d.Sizes.Single(r => r.Name == name).ShapeText;
        Assert.Equal("[200, 300]", Shape("W_ih (layer 0)"));
        Assert.Equal("[200, 50]", Shape("W_hh (layer 0)"));
        Assert.Equal("[1, 50]", Shape("hidden state h_t"));
        Assert.Equal("[1, 50]", Shape("cell state c_t"));
        Assert.Equal("[4, 50]", Shape("fc weight"));
        Assert.Equal("[1, 4]", Shape("softmax probabilities"));
        Assert.Equal(50, d.SentenceVector.Length);
        Assert.All(d.SentenceVector, v => Assert.InRange(v, -1, 1));        // h = o ⊙ tanh(c)
        Assert.Equal(1, d.Probabilities.Sum(), 5);
    }

    [Fact]
    public void Perplexity_is_exp_of_the_mean_cross_entropy_over_the_real_next_tokens()
    {
        var lm = new Nabla.Models.RnnLanguageModel(5, 3, 4, generator: new Nabla.Generator(7));
        var texts = new Nabla.Data.Text.EncodedTexts([[1, 2, 3], [4, 1]], [0, 0]);
        // Padded batch [[1, 2, 3], [4, 1, 0]]: predicted tokens (row, position → target) (0,0→2), (0,1→3), (1,0→1); (1,1→0) is padding.
        var logits = lm.Invoke(Nabla.Tensor.FromArray(new[] { 1, 2, 3, 4, 1, 0 }, 2, 3)).ToDoubleArray();   // [2, 3, 5]
        double Nll(int row, int pos, int target)
        {
            var z = logits.Skip((row * 3 + pos) * 5).Take(5).ToArray();
            double m = z.Max();
            return Math.Log(z.Sum(v => Math.Exp(v - m))) + m - z[target];
        }
        double expected = Math.Exp((Nll(0, 0, 2) + Nll(0, 1, 3) + Nll(1, 0, 1)) / 3);
        Assert.Equal(expected, SentenceRnnLab.Perplexity(lm, texts), 4);
        Assert.StartsWith("The language model learned the questions' word order", SentenceRnnLab.PerplexityVerdict([8000, 900, 150]));
        Assert.StartsWith("The language model learned little", SentenceRnnLab.PerplexityVerdict([8000, 7000]));
    }

    [Fact]
    public void The_language_model_probe_trains_only_its_linear_layer()
    {
        var lm = new Nabla.Models.RnnLanguageModel(30, 4, 8, generator: new Nabla.Generator(1));
        var probe = new LanguageModelProbe(lm, 8, 6, Nabla.Models.SentencePooling.Mean, new Nabla.Generator(2));
        Assert.Equal(6 * 8 + 6, probe.ParameterCount(trainableOnly: true));
        Assert.Equal(lm.ParameterCount() + 54, probe.ParameterCount());
        Assert.Equal([2, 6], probe.Invoke(Nabla.Tensor.FromArray(new[] { 3, 4, 5, 6, 0, 0 }, 2, 3)).Shape.ToArray());
        // Mean pooling ignores padding: [3, 4] alone and [3, 4, 0] padded give the same logits.
        using var _ = Nabla.GradMode.NoGrad();
        var alone = probe.Invoke(Nabla.Tensor.FromArray(new[] { 3, 4 }, 1, 2)).ToArray<float>();
        var padded = probe.Invoke(Nabla.Tensor.FromArray(new[] { 3, 4, 0 }, 1, 3)).ToArray<float>();
        for (int i = 0; i < 6; i++) Assert.Equal(alone[i], padded[i], 5);
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
