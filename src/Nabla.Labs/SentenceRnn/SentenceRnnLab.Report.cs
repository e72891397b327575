using System.Globalization;

namespace Nabla.Labs;

public sealed partial class SentenceRnnLab
{
    public override void Report(LabReport report, SentenceRnnSettings s, SentenceRnnResult r)
    {
        report.Paragraph($"""
            A recurrent sentence classifier: token ids → embedding vectors (D = {s.EmbeddingDim}, random U(−0.25, 0.25),
            fine-tuned) → one LSTM layer (H = {s.HiddenSize}; gates i, f, o = σ(·), g = tanh(·) of x_t·W_ihᵀ + h_{"{t−1}"}·W_hhᵀ + b;
            c_t = f⊙c_{"{t−1}"} + i⊙g; h_t = o⊙tanh(c_t)) run over the question left to right → one sentence vector →
            dropout p = {LabReport.Format(s.Dropout)} → fully connected layer → 6 logits → softmax cross-entropy. Two ways to get the sentence
            vector are compared: **last** = h_t at the question's last real token (t = length − 1, so the padding after it is
            never seen) and **mean** = the masked mean Σ_t m_t·h_t / length. Baseline: bag-of-words logistic regression.
            """);
        report.Heading("Data");
        report.Paragraph(SentenceTraining.DataText(r.Data, s.TrainQuestions, s.TestQuestions));

        report.Heading("Tensor sizes");
        SentenceTraining.SizeTable(report, "LSTM classifier", r.LstmSizes, s.BatchSize, r.Data.LongestSentence);
        SentenceTraining.SizeTable(report, "Bag-of-words baseline", r.BowSizes, s.BatchSize, r.Data.LongestSentence);

        report.Heading("Training");
        report.Table(["setting", "LSTMs", "bag-of-words LR"],
        [
            ["optimiser", $"Adam, η = {LabReport.Format(s.LstmLearningRate)}, weight decay {LabReport.Format(s.LstmWeightDecay)}", $"Adam, η = {LabReport.Format(s.BowLearningRate)}, L2 weight decay {LabReport.Format(s.BowWeightDecay)}"],
            ["batch size / epochs", $"{s.BatchSize} / {s.LstmEpochs}", $"{s.BatchSize} / {s.BowEpochs}"],
            ["regularisation", $"dropout {LabReport.Format(s.Dropout)} on the sentence vector", "L2 only"],
            ["model chosen", "the one after the last epoch (no early stopping)", "the one after the last epoch"],
        ]);
        report.Heading("Results");
        var runs = new[] { r.Last, r.Mean, r.Bow };
        var best = r.BestLstm;
        SentenceTraining.ResultsTable(report, runs);
        SentenceTraining.CurveFigures(report, runs);
        SentenceTraining.ConfusionFigure(report, best, "confusion.png", $"Confusion matrix of {best.Name} (the better LSTM on validation) on the {r.Data.Test} TREC-10 test questions (rows: true class)");

        report.Heading("Discussion");
        report.Paragraph(string.Join(" ", new[]
        {
            $"Test accuracy: LSTM last {SentenceTraining.Pct(r.Last.TestAccuracy)}, LSTM mean {SentenceTraining.Pct(r.Mean.TestAccuracy)}, " +
            $"bag of words {SentenceTraining.Pct(r.Bow.TestAccuracy)}.",
            "In a TREC question the deciding words come first (\"how many\", \"who\", \"where\"); an LSTM read left to right must carry them " +
            "through the whole question to the last state, while the mean of the states keeps every step's view, including the early ones.",
            PoolVerdict(r.Last, r.Mean, r.Data.Test, r.Data.MeanLength),
            SentenceTraining.CompareVerdict($"The better LSTM on validation ({best.Name})", best.TestAccuracy, "the bag of words", r.Bow.TestAccuracy, r.Data.Test),
            OverfitVerdict(r.Last) + " " + OverfitVerdict(r.Mean) + " No setting of the LSTMs was tuned.",
            $"Per-class test recall of {best.Name}: {SentenceTraining.Recalls(best)}. {SentenceTraining.SmallestClassText(best.Confusion)}",
            SentenceTraining.NoiseText(r.Data.Test, best.TestAccuracy),
        }.Where(t => t.Length > 0)));

        report.Metric("test_accuracy_lstm_last", r.Last.TestAccuracy);
        report.Metric("test_accuracy_lstm_mean", r.Mean.TestAccuracy);
        report.Metric("test_accuracy_bow", r.Bow.TestAccuracy);
        report.Metric("train_seconds_lstm_last", r.Last.Seconds);
        report.Metric("vocabulary_size", r.Data.Vocabulary);
        report.Metric("test_questions", r.Data.Test);
    }

    /// <summary>Last state against masked mean: a clear winner, or both pools work (gap within the 95 % interval).</summary>
    public static string PoolVerdict(SentenceRun last, SentenceRun mean, int n, double meanLength)
    {
        string len = string.Create(CultureInfo.InvariantCulture, $"Questions are short (about {meanLength:F0} tokens), so the forget gate rarely has to hold the information long");
        double margin = SentenceTraining.Margin95((last.TestAccuracy + mean.TestAccuracy) / 2, n);
        if (Math.Abs(last.TestAccuracy - mean.TestAccuracy) <= margin)
            return len + string.Create(CultureInfo.InvariantCulture,
                $", and both pools work: their test accuracies differ by {100 * Math.Abs(last.TestAccuracy - mean.TestAccuracy):F1} points, within the ±{100 * margin:F1}-point 95 % interval.");
        var (better, worse) = last.TestAccuracy > mean.TestAccuracy ? (last, mean) : (mean, last);
        return len + string.Create(CultureInfo.InvariantCulture,
            $"; still, {better.Name} beats {worse.Name} by {100 * (better.TestAccuracy - worse.TestAccuracy):F1} points, more than the ±{100 * margin:F1}-point 95 % interval.");
    }

    /// <summary>Whether the validation loss bottoms out before the last epoch (overfitting) or not.</summary>
    public static string OverfitVerdict(SentenceRun r)
    {
        if (r.History.Count == 0) return $"{r.Name}: no epoch was run.";
        if (r.History.Count == 1) return $"{r.Name}: training accuracy {SentenceTraining.Pct(r.TrainAccuracy)} after a single epoch, too few to judge overfitting.";
        int bestEpoch = r.History.MinBy(h => h.ValidationLoss)!.Epoch;
        string head = $"{r.Name}: training accuracy {SentenceTraining.Pct(r.TrainAccuracy)}, lowest validation loss after epoch {bestEpoch} of {r.History.Count}";
        return bestEpoch < r.History.Count
            ? head + " (it rises afterwards: the model overfits; the last epoch's model is reported, with no early stopping)."
            : head + " (still falling at the end: no sign of overfitting yet).";
    }
}
