using System.Text.Json;
using Nabla.Labs;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Tests.Data;

namespace Nabla.Tests.Labs;

public class GruVsLstmLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-lab-gru-vs-lstm-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RequiresDataFact("text/trec")]
    public void Quick_run_writes_the_report_the_figures_and_every_metric()
    {
        LabRegistry.Find("gru-vs-lstm").Run(new LabContext(_dir, Quick: true));
        foreach (var f in new[] { "report.md", "results.json", "loss.png", "accuracy.png", "clip_gradnorm.png", "clip_loss.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} is missing");
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        foreach (var c in new[] { "rnn", "gru", "lstm" })
        {
            Assert.InRange(metrics[$"test_accuracy_{c}"]!.Value, 0, 1);
            Assert.True(metrics[$"seconds_per_epoch_{c}"] > 0);
            Assert.True(metrics.ContainsKey($"long_relative_mse_{c}_t10"));
        }
        // Quick: D = H = 16. Layer parameters G·H·(D + H) + 2·G·H = 16·32·G + 32·G = 544·G.
        Assert.Equal(544, metrics["layer_parameters_rnn"]);
        Assert.Equal(3 * 544, metrics["layer_parameters_gru"]);
        Assert.Equal(4 * 544, metrics["layer_parameters_lstm"]);
        string report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        foreach (var s in new[] { "h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}", "c_t = f ⊙ c_{t−1} + i ⊙ g", "[48, 16]", "[64, 16]", "cell state c_t", "| 2,176 |", "of 2 |" })
            Assert.Contains(s, report);
    }

    [Fact]
    public void Parameters_of_the_three_classifiers_match_a_hand_count()
    {
        // V = 100, D = 8, H = 5, C = 6. Embedding 100·8 = 800; fc 6·5 + 6 = 36.
        // RNN layer: W_ih 5·8 + W_hh 5·5 + b_ih 5 + b_hh 5 = 40 + 25 + 10 = 75     → 911
        // GRU layer: 3·(40 + 25) + 2·15 = 195 + 30 = 225                          → 1,061
        // LSTM layer: 4·(40 + 25) + 2·20 = 260 + 40 = 300                          → 1,136
        foreach (var (cell, layer, total) in new[] { (RecurrentCell.Rnn, 75L, 911L), (RecurrentCell.Gru, 225L, 1061L), (RecurrentCell.Lstm, 300L, 1136L) })
        {
            var m = new RecurrentSentenceClassifier(cell, 100, 6, 8, 5, generator: new Generator(1));
            Assert.Equal(total, m.ParameterCount());
            Assert.Equal(layer, m.Recurrent.ParameterCount());
            Assert.Equal(total, RecurrentSentenceClassifier.ParameterFormula(cell, 100, 8, 5, 6));
            Assert.Equal(layer, RecurrentCells.LayerParameters(cell, 8, 5));
        }
        // The full settings, D = 300, H = 150: 150·450 = 67,500 weights per block, 300 biases per block.
        Assert.Equal(67_800, RecurrentCells.LayerParameters(RecurrentCell.Rnn, 300, 150));
        Assert.Equal(203_400, RecurrentCells.LayerParameters(RecurrentCell.Gru, 300, 150));
        Assert.Equal(271_200, RecurrentCells.LayerParameters(RecurrentCell.Lstm, 300, 150));
    }

    [Theory]
    [InlineData(RecurrentCell.Rnn, SentencePooling.Last)]
    [InlineData(RecurrentCell.Gru, SentencePooling.Last)]
    [InlineData(RecurrentCell.Lstm, SentencePooling.Mean)]
    public void Padding_after_a_sentence_does_not_change_its_logits(RecurrentCell cell, SentencePooling pooling)
    {
        var m = new RecurrentSentenceClassifier(cell, 20, 3, 4, 6, pooling, generator: new Generator(2));
        m.Eval();
        using var _ = GradMode.NoGrad();
        var alone = m.Invoke(Tensor.FromArray(new[] { 5, 7, 9 }, 1, 3)).ToArray<float>();
        var padded = m.Invoke(Tensor.FromArray(new[] { 5, 7, 9, 0, 0, 3, 4, 0, 0, 0 }, 2, 5));
        Assert.Equal([2, 3], padded.Shape.ToArray());
        var first = padded.ToArray<float>().Take(3).ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(alone[i], first[i], 5);
    }

    [Fact]
    public void Adding_task_marks_one_step_in_each_half_and_sums_their_values()
    {
        var (x, y) = AddingTask.Batch(50, 9, new Random(3));
        Assert.Equal([50, 9, 2], x.Shape.ToArray());
        var xs = x.ToArray<float>();
        var ys = y.ToArray<float>();
        for (int i = 0; i < 50; i++)
        {
            var marked = Enumerable.Range(0, 9).Where(t => xs[(i * 9 + t) * 2 + 1] == 1).ToList();
            Assert.Equal(2, marked.Count);
            Assert.True(marked[0] < 4 && marked[1] >= 4, "one marker in the first half (steps 0..3), one in the second (4..8)");
            Assert.Equal(xs[(i * 9 + marked[0]) * 2] + xs[(i * 9 + marked[1]) * 2], ys[i], 6);
        }
        Assert.Equal(0.25, AddingTask.Variance(Tensor.FromArray(new float[] { 0, 1, 0, 1 }, 4, 1)), 12);
    }

    [Fact]
    public void Task_training_records_the_norm_before_clipping_and_stops_at_divergence()
    {
        var kit = new LabKit(new LabContext(_dir), "gru-vs-lstm");
        var test = AddingTask.Batch(20, 6, new Random(9));
        var m = new SequenceRegressor(RecurrentCell.Rnn, 8, new Generator(4), "relu");
        var clipped = GruVsLstmLab.TrainTask(kit, "c", m, new Sgd(m.Parameters(), new SgdOptions(0.01)), 6, 5, 8, 1e-6, 1, test);
        Assert.Equal(5, clipped.GradNorms.Length);
        Assert.Equal(5, clipped.ClippedSteps);                                   // every norm exceeds τ = 1e-6
        Assert.All(clipped.GradNorms, n => Assert.True(n > 1e-6));              // recorded before clipping
        Assert.Null(clipped.DivergedAtStep);
        Assert.Equal(RecurrentCell.Rnn, clipped.Cell);

        var m2 = new SequenceRegressor(RecurrentCell.Rnn, 8, new Generator(4), "relu");
        var blown = GruVsLstmLab.TrainTask(kit, "u", m2, new Sgd(m2.Parameters(), new SgdOptions(1e6)), 6, 50, 8, null, 1, test);
        Assert.NotNull(blown.DivergedAtStep);
        Assert.True(double.IsNaN(blown.TestMse));
        Assert.Equal(blown.DivergedAtStep - 1, blown.GradNorms.Length);
    }

    private static TaskRun Task(RecurrentCell cell, int length, double relMse, double[]? norms = null, int? diverged = null, int clipped = 0) =>
        new("r", cell, length, norms ?? [1, 1, 1], [0.1, 0.1, 0.1], diverged, relMse, 1, clipped, 1, 10);

    [Fact]
    public void Gru_sentences_follow_the_numbers()
    {
        Assert.Contains("(25 % fewer", GruVsLstmLab.GruAdvantageText(3000, 4000, 8, 10, 3));
        Assert.Contains("20 % less time", GruVsLstmLab.GruAdvantageText(3000, 4000, 8, 10, 3));
        Assert.Contains("about as long", GruVsLstmLab.GruAdvantageText(3000, 4000, 9.5, 10, 3));
        Assert.Contains("yet an epoch took longer", GruVsLstmLab.GruAdvantageText(3000, 4000, 12, 10, 3));
        Assert.Contains("the recurrent layer does dominate the epoch (the plain RNN's takes 3.00 s)", GruVsLstmLab.GruAdvantageText(3000, 4000, 12, 10, 3));
        Assert.Contains("the recurrent layer is not what the epoch's time is spent on", GruVsLstmLab.GruAdvantageText(3000, 4000, 9.5, 10, 8));
        Assert.Contains("the GRU's advantage is the cheaper model", GruVsLstmLab.GruConclusion(0.88, 0.89, 500));
        Assert.Contains("also more accurate", GruVsLstmLab.GruConclusion(0.92, 0.85, 500));
        Assert.Contains("the LSTM's extra capacity paid off", GruVsLstmLab.GruConclusion(0.85, 0.92, 500));
    }

    [Fact]
    public void Clip_verdict_says_diverged_spiked_or_tame()
    {
        var clipped = Task(RecurrentCell.Rnn, 10, 0.07, clipped: 12);
        Assert.StartsWith("Without clipping the training diverged: the loss or the gradient became non-finite at step 7",
            GruVsLstmLab.ClipVerdict(Task(RecurrentCell.Rnn, 10, double.NaN, [1, 2, 3], diverged: 7), clipped, 1));
        Assert.StartsWith("Without clipping the gradient norm spiked: its largest value, 50, is 50× its median (1)",
            GruVsLstmLab.ClipVerdict(Task(RecurrentCell.Rnn, 10, 1.02, [1, 1, 50, 1, 0.5]), clipped, 1));
        string tame = GruVsLstmLab.ClipVerdict(Task(RecurrentCell.Rnn, 10, 0.5, [1, 2, 3]), clipped, 1);
        Assert.StartsWith("In this run the unclipped training stayed tame", tame);
        Assert.Contains("clipping 12 of them", tame);
        Assert.Equal(2.5, GruVsLstmLab.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void Long_verdict_compares_how_far_each_cell_solves_the_task()
    {
        static List<TaskRun> Runs(double[] rnn, double[] gru, double[] lstm) =>
        [
            .. new[] { 10, 25, 50 }.SelectMany((t, i) => new[] { Task(RecurrentCell.Rnn, t, rnn[i]), Task(RecurrentCell.Gru, t, gru[i]), Task(RecurrentCell.Lstm, t, lstm[i]) }),
        ];
        Assert.Equal(25, GruVsLstmLab.SolvedUpTo([Task(RecurrentCell.Rnn, 10, 0.01), Task(RecurrentCell.Rnn, 25, 0.05), Task(RecurrentCell.Rnn, 50, 0.5)], 0.1));
        Assert.Equal(0, GruVsLstmLab.SolvedUpTo([Task(RecurrentCell.Rnn, 10, double.NaN), Task(RecurrentCell.Rnn, 25, 0.05)], 0.1));

        string both = GruVsLstmLab.LongVerdict(Runs([0.01, 0.9, 1], [0.01, 0.02, 0.03], [0.01, 0.02, 0.5]), 0.1);
        Assert.Contains("RNN up to T = 10, GRU at every length up to T = 50, LSTM up to T = 25", both);
        Assert.Contains("Both gated cells carry", both);
        Assert.Contains("Only the GRU reaches further", GruVsLstmLab.LongVerdict(Runs([0.01, 0.9, 1], [0.01, 0.02, 0.03], [0.01, 0.5, 0.5]), 0.1));
        Assert.Contains("the plain RNN reaches as far as the gated cells", GruVsLstmLab.LongVerdict(Runs([0.01, 0.02, 0.03], [0.01, 0.02, 0.03], [0.01, 0.02, 0.5]), 0.1));
        Assert.Contains("No cell solved even the shortest length", GruVsLstmLab.LongVerdict(Runs([1, 1, 1], [0.9, 1, 1], [1, 1, 1]), 0.1));
    }

    [Fact]
    public void Full_settings_match_the_sentence_rnn_model_and_quick_is_small()
    {
        var lab = new GruVsLstmLab();
        Assert.Equal((300, 150, 10), (lab.Full.EmbeddingDim, lab.Full.HiddenSize, lab.Full.Epochs));
        Assert.Null(lab.Full.TrainQuestions);
        Assert.Equal(400, lab.Quick.TrainQuestions);
        foreach (var k in new[] { "clip-learning-rate", "clip-max-norm", "lengths", "long-steps", "solved-below", "epochs" })
            Assert.Contains(k, lab.Settings.Select(x => x.Key));
    }
}
