using System.Diagnostics;
using System.Globalization;
using Nabla.Data.Text;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Plots;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>How one model is trained: Adam(lr, L2 weight decay), minibatches, epochs.</summary>
public sealed record SentenceTrainSettings(double LearningRate, double WeightDecay, int BatchSize, int Epochs);

/// <summary>One trained model, as numbers: trainable parameters, per-epoch history, final accuracies, confusion matrix
/// on the test set [true, predicted] (test numbers NaN until it is scored) and training time.</summary>
public sealed record SentenceRun(string Name, long Parameters, IReadOnlyList<EpochRecord> History, double TrainAccuracy, double ValidAccuracy,
    double TestAccuracy, double TestLoss, int[,] Confusion, double Seconds, SentenceTrainSettings Settings)
{
    /// <summary>The epoch whose weights were kept (the last one unless the epoch count was chosen on validation).</summary>
    public int ChosenEpoch { get; init; } = History.Count;

    /// <summary>The median of the epochs' wall-clock times (training and validation pass; seconds, NaN when no epoch
    /// ran): the median, not the mean, so that a few epochs slowed by other processes on the machine do not decide it.</summary>
    public double SecondsPerEpoch
    {
        get
        {
            if (History.Count == 0) return double.NaN;
            var t = History.Select(h => h.Seconds).Order().ToArray();
            return t.Length % 2 == 1 ? t[t.Length / 2] : (t[t.Length / 2 - 1] + t[t.Length / 2]) / 2;
        }
    }
}

/// <summary>One parameter tensor of a model: dotted name, shape, number of elements, whether it is trained.</summary>
public sealed record ParameterRow(string Name, int[] Shape, long Count, bool Trainable)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>AMMI Q3's designed network run on one random sentence: its tensor sizes, its parameters, the sentence
/// vector it computes and the class probabilities (untrained).</summary>
public sealed record SentenceDesign(IReadOnlyList<TensorSizeRow> Sizes, IReadOnlyList<ParameterRow> Parameters, double[] SentenceVector, double[] Probabilities);

/// <summary>The training loop, tables, figures and tested sentences the sentence-cnn and sentence-rnn labs share.</summary>
public static class SentenceTraining
{
    /// <summary>Trains <paramref name="model"/> with the library's Trainer (cross-entropy, Adam), then evaluates it.
    /// With <paramref name="restoreBestValidation"/> the weights after the epoch of highest validation accuracy (the
    /// earliest on a tie) are restored before the final evaluation (the epoch count is chosen on validation); otherwise
    /// the model after the last epoch is kept. With <paramref name="scoreTest"/> false the test set is not touched
    /// (test numbers NaN; score the chosen model later with <see cref="Score"/>).</summary>
    public static SentenceRun Train(LabKit kit, string name, Module model, TrecCoarseData data, SentenceTrainSettings s,
        bool restoreBestValidation = false, bool scoreTest = true)
    {
        kit.Out.WriteLine($"training {name} ({model.ParameterCount(trainableOnly: true):N0} parameters)");
        var optimizer = new Adam(model.Parameters().Where(p => p.RequiresGrad), new AdamOptions(s.LearningRate, WeightDecay: s.WeightDecay));
        var trainer = new Trainer(model, optimizer, Loss, new TrainerOptions(s.Epochs, kit.Seed));
        trainer.Callbacks.Add(new EpochLog(kit.Out, name));
        var keeper = new BestValidation(model);
        if (restoreBestValidation) trainer.Callbacks.Add(keeper);
        var clock = Stopwatch.StartNew();
        var fit = trainer.Fit(epoch => data.Train.Batches(s.BatchSize, shuffle: true, seed: kit.Seed + 7, epoch: epoch),
            () => data.Validation.Batches(256));
        double seconds = clock.Elapsed.TotalSeconds;
        int chosen = fit.History.Count;
        double valid = fit.History.Count > 0 ? fit.History[^1].ValidationAccuracy : double.NaN;
        if (restoreBestValidation && keeper.State is not null)
        {
            model.LoadStateDict(keeper.State);
            (chosen, valid) = (keeper.Epoch, keeper.Accuracy);
            kit.Out.WriteLine($"  {name}: restored the weights after epoch {chosen} (validation accuracy {valid:P2})");
        }
        var trainEval = trainer.Evaluate(data.Train.Batches(256));
        var run = new SentenceRun(name, model.ParameterCount(trainableOnly: true), fit.History, trainEval.Accuracy,
            valid, double.NaN, double.NaN, new int[6, 6], seconds, s) { ChosenEpoch = chosen };
        return scoreTest ? Score(kit, run, model, data) : run;
    }

    /// <summary>Scores a trained model once on the test set: accuracy, loss and confusion matrix [true, predicted].</summary>
    public static SentenceRun Score(LabKit kit, SentenceRun run, Module model, TrecCoarseData data)
    {
        var testEval = new Trainer(model, new Sgd(model.Parameters(), new SgdOptions()), Loss).Evaluate(data.Test.Batches(256));
        var confusion = new int[6, 6];
        bool wasTraining = model.Training;
        model.Eval();
        using (GradMode.NoGrad())
            foreach (var (x, y) in data.Test.Batches(256))
            {
                var m = Metrics.ConfusionMatrix(model.Invoke(x), y, 6);
                for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) confusion[i, j] += m[i, j];
            }
        model.Train(wasTraining);
        kit.Out.WriteLine($"  {run.Name}: test accuracy {testEval.Accuracy:P2} ({run.Seconds:F1} s)");
        return run with { TestAccuracy = testEval.Accuracy, TestLoss = testEval.Loss, Confusion = confusion };
    }

    private static Tensor Loss(Tensor logits, Tensor labels) => logits.CrossEntropy(labels);

    /// <summary>Keeps a copy of the weights after the epoch with the highest validation accuracy so far.</summary>
    private sealed class BestValidation(Module model) : ITrainerCallback
    {
        public Dictionary<string, Tensor>? State { get; private set; }
        public int Epoch { get; private set; }
        public double Accuracy { get; private set; } = double.NegativeInfinity;

        public bool OnEpochEnd(EpochRecord r)
        {
            if (r.ValidationAccuracy > Accuracy)
            {
                (Epoch, Accuracy) = (r.Epoch, r.ValidationAccuracy);
                State = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach().Clone());
            }
            return true;
        }
    }

    private sealed class EpochLog(TextWriter log, string name) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord r)
        {
            log.WriteLine($"  {name} epoch {r.Epoch,2}: train loss {r.TrainLoss:F4} acc {r.TrainAccuracy:P1} | valid loss {r.ValidationLoss:F4} acc {r.ValidationAccuracy:P1} ({r.Seconds:F1} s)");
            return true;
        }
    }

    /// <summary>A model's tensor sizes for a batch of <paramref name="batch"/> sentences of <paramref name="length"/>
    /// tokens, also printed to the log.</summary>
    public static IReadOnlyList<TensorSizeRow> Sizes(LabKit kit, string title, ITensorSizes model, int batch, int length)
    {
        var rows = model.TensorSizes(batch, length);
        kit.Out.WriteLine($"{title} (batch {batch}, length {length}):");
        kit.Out.WriteLine(TensorSizeTable.Format(rows));
        return rows;
    }

    /// <summary>A Markdown table of a model's tensor sizes.</summary>
    public static void SizeTable(LabReport report, string title, IReadOnlyList<TensorSizeRow> rows, int batch, int length)
    {
        report.Paragraph($"**{title}** — every tensor for a batch of N = {batch} sentences padded to T = {length} tokens:");
        report.Table(["tensor", "shape", "meaning"], rows.Select(r => (IReadOnlyList<object>)[r.Name, r.ShapeText, r.Note]));
    }

    /// <summary>Every parameter tensor of <paramref name="model"/>: dotted name, shape, element count, trainable or frozen.</summary>
    public static IReadOnlyList<ParameterRow> ParameterRows(Module model) =>
        model.NamedParameters().Select(p => new ParameterRow(p.Name, p.Tensor.Shape.ToArray(), p.Tensor.Numel, p.Tensor.RequiresGrad)).ToList();

    /// <summary>A Markdown table of parameter tensors with the trainable and frozen totals.</summary>
    public static void ParameterTable(LabReport report, IReadOnlyList<ParameterRow> rows)
    {
        report.Table(["parameter", "shape", "count", ""], rows.Select(r => (IReadOnlyList<object>)[r.Name, r.ShapeText,
            r.Count.ToString("N0", CultureInfo.InvariantCulture), r.Trainable ? "trained" : "frozen"]));
        long trainable = rows.Where(r => r.Trainable).Sum(r => r.Count), frozen = rows.Where(r => !r.Trainable).Sum(r => r.Count);
        report.Paragraph($"Trainable: **{trainable.ToString("N0", CultureInfo.InvariantCulture)}** parameters; frozen (the embedding table): " +
                         $"{frozen.ToString("N0", CultureInfo.InvariantCulture)}; total {(trainable + frozen).ToString("N0", CultureInfo.InvariantCulture)}.");
    }

    /// <summary>The stand-in for AMMI Q3's "trained 50k × 300 embedding table": no pretrained vectors are available, so a
    /// random U(−0.25, 0.25) table, frozen as a pretrained table would be (&lt;pad&gt; = row 0).</summary>
    public static Embedding FrozenRandomTable(int vocabulary, int dim, Generator generator) =>
        Embedding.FromPretrained(Tensor.Rand([vocabulary, dim], -0.25, 0.25, generator: generator), freeze: true, paddingIdx: 0);

    /// <summary>The sentence both design sections say about the table.</summary>
    public const string NoGloveText =
        "No trained word vectors are available here (the shared data folder has no GloVe or word2vec file: its README lists the GloVe subset as not present), " +
        "so the \"trained\" table is a random U(−0.25, 0.25) table of the asked size, frozen as a pretrained table would be; sizes and parameter counts do not depend on its values. " +
        "`Nabla.Course.PretrainedEmbedding.Create` (or `Embedding.FromPretrained`) loads a real GloVe/word2vec file into the same slot.";

    /// <summary>One random sentence of <paramref name="words"/> token ids in 1..V−1 (no padding), as a batch [1, words].</summary>
    public static Tensor RandomSentence(int vocabulary, int words, int seed)
    {
        var rng = new Random(seed);
        return Tensor.FromArray(Enumerable.Range(0, words).Select(_ => rng.Next(1, vocabulary)).ToArray(), 1, words);
    }

    /// <summary>Loss and accuracy curves of every run (train and validation per model), linked in the report.</summary>
    public static void CurveFigures(LabReport report, IReadOnlyList<SentenceRun> runs)
    {
        var loss = new LineChart { Title = "Cross-entropy per epoch", XLabel = "epoch", YLabel = "loss", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        var acc = new LineChart { Title = "Accuracy per epoch", XLabel = "epoch", YLabel = "accuracy", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var r in runs)
        {
            loss.Add($"{r.Name} train", r.History.Select(h => h.TrainLoss).ToList()).Add($"{r.Name} valid", r.History.Select(h => h.ValidationLoss).ToList());
            acc.Add($"{r.Name} train", r.History.Select(h => h.TrainAccuracy).ToList()).Add($"{r.Name} valid", r.History.Select(h => h.ValidationAccuracy).ToList());
        }
        loss.SavePng(report.PathOf("loss.png"));
        acc.SavePng(report.PathOf("accuracy.png"));
        report.Figure("loss.png", "Cross-entropy on the training part (running mean over the epoch, dropout on) and the validation part")
              .Figure("accuracy.png", "Accuracy on the training part (during the epoch) and the validation part after each epoch");
    }

    /// <summary>Draws and links a run's test confusion matrix.</summary>
    public static void ConfusionFigure(LabReport report, SentenceRun run, string file, string caption)
    {
        ConfusionMatrixPlot.SavePng(report.PathOf(file), run.Confusion, Trec.CoarseClassNames, $"{run.Name}: TREC-10 test confusion");
        report.Figure(file, caption);
    }

    /// <summary>The data paragraph shared by both labs.</summary>
    public static string DataText(TrecSummary d, int? trainQuestions, int? testQuestions)
    {
        string kept = trainQuestions is null && testQuestions is null ? ""
            : $" Only the first {(trainQuestions is int n ? $"{Math.Min(n, d.TrainLines):N0} training" : "")}{(trainQuestions is not null && testQuestions is not null ? " and " : "")}" +
              $"{(testQuestions is int m ? $"{Math.Min(m, d.TestLines):N0} test" : "")} questions are used (settings `train-questions`, `test-questions`).";
        return $"""
            TREC question classification (Li & Roth 2002): {d.TrainLines:N0} training questions (train_5500.label) and
            {d.TestLines:N0} test questions (TREC_10.label), coarse labels {string.Join(", ", Trec.CoarseClassNames)} (6 classes).
            Tokens from Kim's (2014) preprocessing (characters outside [A-Za-z0-9(),!?'`] → space, clitics 's n't … split,
            punctuation as tokens, lower-cased). A fixed shuffle of the training file keeps {d.Train:N0} questions for
            training and {d.Validation:N0} for validation (the curves); the test set ({d.Test:N0} questions) is used once, after training.
            Vocabulary of the training part: {d.Vocabulary:N0} entries (with <pad>, <unk>); {d.TestUnknownRate.ToString("P1", CultureInfo.InvariantCulture)} of
            the test tokens are unknown. Sentences have {d.MeanLength.ToString("F1", CultureInfo.InvariantCulture)} tokens on average, {d.LongestSentence} at most; each
            batch is padded with <pad> (index 0) to its longest sentence.{kept}
            """;
    }

    /// <summary>The results table: one row per model.</summary>
    public static void ResultsTable(LabReport report, IReadOnlyList<SentenceRun> runs) =>
        report.Table(["model", "trainable parameters", "epochs", "train acc.", "valid acc.", "**test acc.**", "test loss", "time (s)"],
            runs.Select(r => (IReadOnlyList<object>)[r.Name, r.Parameters.ToString("N0", CultureInfo.InvariantCulture), r.History.Count, Pct(r.TrainAccuracy), Pct(r.ValidAccuracy),
                $"**{Pct(r.TestAccuracy)}**", r.TestLoss, Math.Round(r.Seconds, 1)]));

    public static string Pct(double v) => double.IsNaN(v) ? "–" : (100 * v).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static string Points(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Per-class recall line ("ABBR 7/9, ...").</summary>
    public static string Recalls(SentenceRun r) => string.Join(", ", Enumerable.Range(0, 6).Select(i =>
        $"{Trec.CoarseClassNames[i]} {r.Confusion[i, i]}/{Enumerable.Range(0, 6).Sum(j => r.Confusion[i, j])}"));

    /// <summary>Half-width of the 95 % normal-approximation binomial interval of an accuracy measured on n questions.</summary>
    public static double Margin95(double accuracy, int n) => 1.96 * Math.Sqrt(accuracy * (1 - accuracy) / Math.Max(n, 1));

    /// <summary>A beats B, B beats A, or no clear difference: a gap within the 95 % interval of one accuracy on the
    /// <paramref name="n"/> test questions is noise.</summary>
    public static string CompareVerdict(string a, double x, string b, double y, int n)
    {
        double margin = Margin95((x + y) / 2, n);
        string head = $"{a} reaches {Pct(x)} test accuracy against {Pct(y)} for {b}";
        if (Math.Abs(x - y) <= margin)
            return head + $": a gap of {Points(Math.Abs(x - y))} points, within the ±{Points(margin)}-point 95 % interval of one accuracy on {n} questions, so no clear difference.";
        return head + (x > y ? $": {Points(x - y)} points better" : $": {Points(y - x)} points worse") +
               $", more than the ±{Points(margin)}-point 95 % interval of one accuracy on {n} questions.";
    }

    /// <summary>Whether every model fits its training part (≥ 95 % training accuracy) and the gap to validation.</summary>
    public static string FitVerdict(IReadOnlyList<SentenceRun> runs)
    {
        string list = string.Join(", ", runs.Select(r => $"{r.Name} {Pct(r.TrainAccuracy)} train / {Pct(r.ValidAccuracy)} validation"));
        return runs.All(r => r.TrainAccuracy >= 0.95)
            ? $"Every model fits the training part almost perfectly ({list}): the gap to the validation accuracy is the generalisation gap, which dropout and L2 limit only partly."
            : $"Not every model fits its training part ({list}): with this little training the models underfit, and the gap to validation says little about generalisation.";
    }

    /// <summary>The size of the smallest test class and what one question is worth in its recall.</summary>
    public static string SmallestClassText(int[,] confusion)
    {
        var totals = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 6).Sum(j => confusion[i, j])).ToArray();
        int k = Enumerable.Range(0, 6).Where(i => totals[i] > 0).DefaultIfEmpty(0).MinBy(i => totals[i]);
        return totals[k] == 0 ? "" : $"{Trec.CoarseClassNames[k]} has only {totals[k]} test question{(totals[k] == 1 ? "" : "s")}, so its recall moves by {(100.0 / totals[k]).ToString("F0", CultureInfo.InvariantCulture)} points per question.";
    }

    /// <summary>What one test question and the 95 % interval are worth, and whether a one-point gap is noise.</summary>
    public static string NoiseText(int n, double accuracy)
    {
        double margin = Margin95(accuracy, n);
        string head = $"With {n} test questions one question is {(100.0 / Math.Max(n, 1)).ToString("0.##", CultureInfo.InvariantCulture)} points, and the 95 % binomial " +
                      $"interval around {Pct(accuracy)} is about ±{Points(margin)} points";
        return margin > 0.01 ? head + ", so differences of a point between runs or seeds are noise." : head + ", so a one-point difference is already meaningful.";
    }

    /// <summary>The test accuracy against a published figure (within 1 point = "matches").</summary>
    public static string PublishedVerdict(string what, double accuracy, double published, string source)
    {
        double gap = accuracy - published;
        return Math.Abs(gap) <= 0.01
            ? $"{what} matches {source} ({Pct(published)}) within a point."
            : $"{what} is {Points(Math.Abs(gap))} points {(gap < 0 ? "below" : "above")} {source} ({Pct(published)}).";
    }
}
