namespace Nabla.Labs;

public sealed partial class SentenceCnnLab
{
    /// <summary>Kim (2014), Table 2: CNN-rand on TREC.</summary>
    public const double KimCnnRand = 0.912;

    public override void Report(LabReport report, SentenceCnnSettings s, SentenceCnnResult r)
    {
        report.Paragraph($"""
            The convolutional sentence classifier of Kim (2014), "CNN-rand" variant (embeddings learned from scratch):
            each question is a sequence of token ids → embedding vectors (D = {s.EmbeddingDim}, random U(−0.25, 0.25), fine-tuned)
            → one-dimensional convolutions over time with {s.Filters} filters of each width {string.Join(", ", s.FilterSizes)}
            (the D embedding components are the input channels) → ReLU → max over time (one number per filter, whatever
            the sentence length) → concatenation ({s.Filters * s.FilterSizes.Length} features) → dropout p = {s.Dropout} → fully
            connected layer → 6 logits → softmax cross-entropy. Baseline: multinomial logistic regression on bag-of-words
            count vectors (one weight per word and class), trained by Nabla with the same Trainer.
            """);
        report.Heading("Data");
        report.Paragraph(SentenceTraining.DataText(r.Data, s.TrainQuestions, s.TestQuestions));

        report.Heading("Tensor sizes");
        SentenceTraining.SizeTable(report, "Sentence CNN", r.CnnSizes, s.BatchSize, r.Data.LongestSentence);
        SentenceTraining.SizeTable(report, "Bag-of-words baseline", r.BowSizes, s.BatchSize, r.Data.LongestSentence);

        report.Heading("Training");
        report.Table(["setting", "CNN", "bag-of-words LR"],
        [
            ["optimiser", $"Adam, η = {LabReport.Format(s.CnnLearningRate)}, weight decay {LabReport.Format(s.CnnWeightDecay)}", $"Adam, η = {LabReport.Format(s.BowLearningRate)}, L2 weight decay {LabReport.Format(s.BowWeightDecay)}"],
            ["batch size / epochs", $"{s.BatchSize} / {s.CnnEpochs}", $"{s.BatchSize} / {s.BowEpochs}"],
            ["regularisation", $"dropout {LabReport.Format(s.Dropout)} before the output layer, L2 weight decay {LabReport.Format(s.CnnWeightDecay)} on every parameter", "L2 only"],
            ["model chosen", "the one after the last epoch (no early stopping)", "the one after the last epoch"],
        ]);
        report.Heading("Results");
        var (c, b) = (r.Cnn, r.Bow);
        SentenceTraining.ResultsTable(report, [c, b]);
        SentenceTraining.CurveFigures(report, [c, b]);
        SentenceTraining.ConfusionFigure(report, c, "confusion.png", $"Confusion matrix of the CNN on the {r.Data.Test} TREC-10 test questions (rows: true class)");

        report.Heading("Discussion");
        report.Paragraph(string.Join(" ", new[]
        {
            SentenceTraining.CompareVerdict("The CNN", c.TestAccuracy, "the bag-of-words logistic regression", b.TestAccuracy, r.Data.Test),
            SentenceTraining.PublishedVerdict("The CNN's test accuracy", c.TestAccuracy, KimCnnRand, "Kim's CNN-rand on TREC") +
            " Kim trains with Adadelta and a max-norm of 3 on the output weights; this run uses Adam and no max-norm constraint.",
            NgramText(c.TestAccuracy - b.TestAccuracy > SentenceTraining.Margin95((c.TestAccuracy + b.TestAccuracy) / 2, r.Data.Test)),
            $"Per-class test recall of the CNN: {SentenceTraining.Recalls(c)}. {SentenceTraining.SmallestClassText(c.Confusion)}",
            SentenceTraining.FitVerdict([c, b]),
            "Tuning (recorded from an earlier full-size run, not re-run here): the only setting tried besides the full one was the CNN without " +
            "weight decay (otherwise identical), which reached 88.4 % validation and 90.0 % test accuracy; weight decay 1e-4 was kept because its " +
            "validation accuracy was higher.",
            SentenceTraining.NoiseText(r.Data.Test, c.TestAccuracy),
        }.Where(t => t.Length > 0)));

        report.Metric("test_accuracy_cnn", c.TestAccuracy);
        report.Metric("test_accuracy_bow", b.TestAccuracy);
        report.Metric("valid_accuracy_cnn", c.ValidAccuracy);
        report.Metric("train_seconds_cnn", c.Seconds);
        report.Metric("vocabulary_size", r.Data.Vocabulary);
        report.Metric("test_questions", r.Data.Test);
    }

    /// <summary>Why a CNN should beat a bag of words on TREC, said as the reason for the gap when the CNN is clearly
    /// better, and as an advantage that does not show otherwise.</summary>
    public static string NgramText(bool cnnClearlyBetter)
    {
        const string why = "the question word and its neighbours decide most TREC classes (\"how many\" → NUM, \"who\" → HUM, \"what is … ?\" → DESC or ENTY); " +
            "a bag of words sees \"how\" and \"many\" but not that they are adjacent, while a width-3 filter sees the n-gram \"how many people\" as one pattern, " +
            "and max-over-time pooling finds it wherever it occurs in the question";
        return cnnClearlyBetter
            ? "The reason for the gap: " + why + "."
            : "In principle the CNN has the advantage — " + why + " — but it does not show in this run.";
    }
}
