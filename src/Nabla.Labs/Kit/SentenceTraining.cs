using System.Diagnostics;
using Nabla.Data.Text;
using Nabla.Models;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Plots;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>TREC coarse (6 classes) tokenized and encoded for the sentence labs: the training file minus a held-out
/// validation tenth, the TREC-10 test file, and the vocabulary of the training part.</summary>
internal sealed record TrecCoarseData(Vocabulary Vocabulary, EncodedTexts Train, EncodedTexts Validation, EncodedTexts Test,
    int TrainLines, int TestLines, int LongestSentence, double MeanLength, double TestUnknownRate)
{
    /// <summary>Loads TREC from the context's data root. Quick mode keeps the first 600 training questions (of a fixed
    /// shuffle) and 200 test questions.</summary>
    public static TrecCoarseData Load(LabContext ctx, int minLength)
    {
        var splits = Trec.Load(ctx.DataRoot);
        var tok = Tokenizer.Default;
        var shuffled = splits.Train.ToArray();
        new Random(12345).Shuffle(shuffled);
        var train = shuffled.ToList();
        var test = splits.Test.ToList();
        if (ctx.Quick) { train = train.Take(600).ToList(); test = test.Take(200).ToList(); }
        int nValid = train.Count / 10;
        var fit = train.Take(train.Count - nValid).ToList();
        var valid = train.Skip(train.Count - nValid).ToList();
        var fitTokens = fit.Select(q => (IReadOnlyList<string>)tok.Tokenize(q.Text)).ToList();
        var vocab = Vocabulary.Build(fitTokens, minFrequency: 1);
        EncodedTexts Enc(List<TrecQuestion> qs) =>
            EncodedTexts.Encode(qs.Select(q => (IReadOnlyList<string>)tok.Tokenize(q.Text)), qs.Select(Trec.CoarseLabel), vocab, minLength);
        var testEnc = Enc(test);
        long unk = testEnc.Sequences.Sum(s => (long)s.Count(i => i == Vocabulary.UnkIndex)), all = testEnc.Sequences.Sum(s => (long)s.Length);
        return new TrecCoarseData(vocab, EncodedTexts.Encode(fitTokens, fit.Select(Trec.CoarseLabel), vocab, minLength), Enc(valid), testEnc,
            splits.Train.Count, splits.Test.Count, fitTokens.Max(t => t.Count), fitTokens.Average(t => t.Count), (double)unk / Math.Max(all, 1));
    }
}

/// <summary>How one model is trained: Adam(lr, L2 weight decay), minibatches, epochs.</summary>
internal sealed record SentenceTrainSettings(double LearningRate, double WeightDecay, int BatchSize, int Epochs);

/// <summary>One trained model: its per-epoch history, final accuracies, confusion matrix on the test set and time.</summary>
internal sealed record SentenceRun(string Name, Module Model, IReadOnlyList<EpochRecord> History, double TrainAccuracy, double ValidAccuracy,
    double TestAccuracy, double TestLoss, int[,] Confusion, double Seconds, SentenceTrainSettings Settings)
{
    public long Parameters => Model.ParameterCount(trainableOnly: true);
}

internal static class SentenceLab
{
    /// <summary>Trains <paramref name="model"/> with the library's Trainer (cross-entropy, Adam), then evaluates it.</summary>
    public static SentenceRun Train(LabContext ctx, string name, Module model, TrecCoarseData data, SentenceTrainSettings s)
    {
        ctx.Out.WriteLine($"training {name} ({model.ParameterCount(trainableOnly: true):N0} parameters)");
        var optimizer = new Adam(model.Parameters().Where(p => p.RequiresGrad), new AdamOptions(s.LearningRate, WeightDecay: s.WeightDecay));
        var trainer = new Trainer(model, optimizer, (logits, labels) => logits.CrossEntropy(labels), new TrainerOptions(s.Epochs, ctx.Seed));
        trainer.Callbacks.Add(new EpochLog(ctx.Out, name));
        var clock = Stopwatch.StartNew();
        var fit = trainer.Fit(epoch => data.Train.Batches(s.BatchSize, shuffle: true, seed: ctx.Seed + 7, epoch: epoch),
            () => data.Validation.Batches(256));
        double seconds = clock.Elapsed.TotalSeconds;
        var trainEval = trainer.Evaluate(data.Train.Batches(256));
        var testEval = trainer.Evaluate(data.Test.Batches(256));
        var confusion = new int[6, 6];
        model.Eval();
        using (Autograd.GradMode.NoGrad())
            foreach (var (x, y) in data.Test.Batches(256))
            {
                var m = Metrics.ConfusionMatrix(model.Invoke(x), y, 6);
                for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) confusion[i, j] += m[i, j];
            }
        model.Train();
        ctx.Out.WriteLine($"  {name}: test accuracy {testEval.Accuracy:P2} ({seconds:F1} s)");
        return new SentenceRun(name, model, fit.History, trainEval.Accuracy, fit.History.Count > 0 ? fit.History[^1].ValidationAccuracy : double.NaN,
            testEval.Accuracy, testEval.Loss, confusion, seconds, s);
    }

    private sealed class EpochLog(TextWriter log, string name) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord r)
        {
            log.WriteLine($"  {name} epoch {r.Epoch,2}: train loss {r.TrainLoss:F4} acc {r.TrainAccuracy:P1} | valid loss {r.ValidationLoss:F4} acc {r.ValidationAccuracy:P1} ({r.Seconds:F1} s)");
            return true;
        }
    }

    /// <summary>Loss and accuracy curves of every run (train solid, validation dashed by name).</summary>
    public static void PlotCurves(LabContext ctx, IReadOnlyList<SentenceRun> runs)
    {
        var loss = new LineChart { Title = "Cross-entropy per epoch", XLabel = "epoch", YLabel = "loss", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        var acc = new LineChart { Title = "Accuracy per epoch", XLabel = "epoch", YLabel = "accuracy", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var r in runs)
        {
            loss.Add($"{r.Name} train", r.History.Select(h => h.TrainLoss).ToList()).Add($"{r.Name} valid", r.History.Select(h => h.ValidationLoss).ToList());
            acc.Add($"{r.Name} train", r.History.Select(h => h.TrainAccuracy).ToList()).Add($"{r.Name} valid", r.History.Select(h => h.ValidationAccuracy).ToList());
        }
        loss.SavePng(ctx.PathOf("loss.png"));
        acc.SavePng(ctx.PathOf("accuracy.png"));
    }

    /// <summary>The data paragraph shared by both labs.</summary>
    public static string DataText(LabContext ctx, TrecCoarseData d) => $"""
        TREC question classification (Li & Roth 2002): {d.TrainLines:N0} training questions (train_5500.label) and
        {d.TestLines:N0} test questions (TREC_10.label), coarse labels {string.Join(", ", Trec.CoarseClassNames)} (6 classes).
        Tokens from Kim's (2014) preprocessing (characters outside [A-Za-z0-9(),!?'`] → space, clitics 's n't … split,
        punctuation as tokens, lower-cased). A fixed shuffle of the training file keeps {d.Train.Count:N0} questions for
        training and {d.Validation.Count:N0} for validation (the curves); the test set is used once, after training.
        Vocabulary of the training part: {d.Vocabulary.Count:N0} entries (with <pad>, <unk>); {d.TestUnknownRate:P1} of
        the test tokens are unknown. Sentences have {d.MeanLength:F1} tokens on average, {d.LongestSentence} at most; each
        batch is padded with <pad> (index 0) to its longest sentence.{(ctx.Quick ? " **Quick mode**: 600 training and 200 test questions only." : "")}
        """;

    /// <summary>A Markdown table of a model's tensor sizes.</summary>
    public static void SizeTable(LabReport report, string title, ITensorSizes model, int batch, int length, TextWriter log)
    {
        var rows = model.TensorSizes(batch, length);
        log.WriteLine($"{title} (batch {batch}, length {length}):");
        log.WriteLine(TensorSizeTable.Format(rows));
        report.Paragraph($"**{title}** — every tensor for a batch of N = {batch} sentences padded to T = {length} tokens:");
        report.Table(["tensor", "shape", "meaning"], rows.Select(r => (IReadOnlyList<object>)[r.Name, r.ShapeText, r.Note]));
    }

    /// <summary>The results table: one row per model.</summary>
    public static void ResultsTable(LabReport report, IReadOnlyList<SentenceRun> runs) =>
        report.Table(["model", "trainable parameters", "epochs", "train acc.", "valid acc.", "**test acc.**", "test loss", "time (s)"],
            runs.Select(r => (IReadOnlyList<object>)[r.Name, r.Parameters.ToString("N0"), r.History.Count, Pct(r.TrainAccuracy), Pct(r.ValidAccuracy),
                $"**{Pct(r.TestAccuracy)}**", r.TestLoss, Math.Round(r.Seconds, 1)]));

    /// <summary>Links the loss and accuracy curves written by <see cref="PlotCurves"/>.</summary>
    public static void CurveFigures(LabReport report) => report
        .Figure("loss.png", "Cross-entropy on the training part (running mean over the epoch, dropout on) and the validation part")
        .Figure("accuracy.png", "Accuracy on the training part (during the epoch) and the validation part after each epoch");

    public static void Confusion(LabContext ctx, SentenceRun run, string file) =>
        ConfusionMatrixPlot.SavePng(ctx.PathOf(file), run.Confusion, Trec.CoarseClassNames, $"{run.Name}: TREC-10 test confusion");

    public static string Pct(double v) => double.IsNaN(v) ? "–" : $"{100 * v:F2} %";

    /// <summary>Per-class recall line for the discussion ("ABBR 7/9, ...").</summary>
    public static string Recalls(SentenceRun r) => string.Join(", ", Enumerable.Range(0, 6).Select(i =>
    {
        int total = 0;
        for (int j = 0; j < 6; j++) total += r.Confusion[i, j];
        return $"{Trec.CoarseClassNames[i]} {r.Confusion[i, i]}/{total}";
    }));
}
