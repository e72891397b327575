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

        DesignSection(report, s, r.Design);
        LanguageModelSection(report, s, r);

        report.Metric("test_accuracy_lstm_last", r.Last.TestAccuracy);
        report.Metric("test_accuracy_lstm_mean", r.Mean.TestAccuracy);
        report.Metric("test_accuracy_bow", r.Bow.TestAccuracy);
        report.Metric("train_seconds_lstm_last", r.Last.Seconds);
        report.Metric("vocabulary_size", r.Data.Vocabulary);
        report.Metric("test_questions", r.Data.Test);
        report.Metric("design_trainable_parameters", r.Design.Parameters.Where(p => p.Trainable).Sum(p => p.Count));
        report.Metric("lm_valid_perplexity", r.Lm.ValidPerplexity[^1]);
        report.Metric("test_accuracy_lm_vector", r.LmProbe.TestAccuracy);
        report.Metric("test_accuracy_untrained_lm_vector", r.RandomProbe.TestAccuracy);
        report.Metric("test_accuracy_lm_mean_vector", r.LmMeanProbe.TestAccuracy);
        report.Metric("test_accuracy_untrained_lm_mean_vector", r.RandomMeanProbe.TestAccuracy);
    }

    private static SentenceRun BetterProbe(SentenceRun last, SentenceRun mean) => mean.ValidAccuracy > last.ValidAccuracy ? mean : last;

    private static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    private static void DesignSection(LabReport report, SentenceRnnSettings s, SentenceDesign d)
    {
        int h = s.DesignHidden, dim = s.DesignEmbeddingDim;
        report.Heading("AMMI Q3(b): the asked design");
        report.Paragraph($"""
            AMMI assignment 1, question 3(b)2–3 asks for a simple RNN that maps a sentence of {s.DesignWords} words (looked up in the trained
            {s.DesignVocabulary:N0} × {dim} table) to a vector of length {h}, then to {s.DesignClasses} class probabilities by a fully connected layer
            and softmax, with the size of every component, the cell state included — so the recurrent layer is an LSTM with H = {h}: at each of
            the {s.DesignWords} steps it takes the {dim}-d word vector and the previous h, c and returns the next ones; h after the last word is the
            sentence vector. Built here with the library's `SentenceLstm`. {SentenceTraining.NoGloveText}
            A plain (Elman) RNN in the same place would have H(D + H) + 2H = {(long)h * (dim + h) + 2 * h:N0} recurrent parameters and no cell state.
            """);
        SentenceTraining.SizeTable(report, "Designed LSTM", d.Sizes, 1, s.DesignWords);
        SentenceTraining.ParameterTable(report, d.Parameters);
        report.Paragraph($"Run on one random {s.DesignWords}-word sentence (untrained weights, so the numbers only show the shapes): the sentence vector has " +
                         $"{d.SentenceVector.Length} components (first ones {string.Join(", ", d.SentenceVector.Take(5).Select(F3))}, …), class probabilities " +
                         $"({string.Join(", ", d.Probabilities.Select(F3))}), summing to {F3(d.Probabilities.Sum())}.");
    }

    private static void LanguageModelSection(LabReport report, SentenceRnnSettings s, SentenceRnnResult r)
    {
        var (lm, t, u, tm, um) = (r.Lm, r.LmProbe, r.RandomProbe, r.LmMeanProbe, r.RandomMeanProbe);
        report.Heading("AMMI Q3(b)1: a sentence vector from a language model");
        report.Paragraph($"""
            A language model reads a sentence word by word and predicts the next word; to do so its hidden state after word t must summarise
            words 1..t, so the state after the last word is a vector for the whole sentence, learned without labels. Here the library's
            `RnnLanguageModel` (embedding D = {s.LmEmbeddingDim} → LSTM H = {s.LmHiddenSize} → linear layer over the {r.Data.Vocabulary:N0}-word vocabulary;
            {lm.Parameters:N0} parameters) is trained on the {r.Data.Train:N0} training questions only (their labels unused) for {s.LmEpochs} epoch{(s.LmEpochs == 1 ? "" : "s")}
            (Adam η = {LabReport.Format(s.LmLearningRate)}, batch {s.BatchSize}). Then the LM is frozen and its sentence vector ({s.LmHiddenSize} numbers) feeds a
            linear classifier (6 × {s.LmHiddenSize} + 6 = {6 * s.LmHiddenSize + 6:N0} trained parameters; Adam η = {LabReport.Format(s.ProbeLearningRate)},
            {s.ProbeEpochs} epochs, the epoch with the best validation accuracy kept). Two sentence vectors: `SentenceVector`, the state h after the
            question's last real token (in TREC almost always "?"), and the mean of the states over the question's tokens. Baseline: the same network with
            the same initial weights but untrained — random embeddings and random LSTM weights — feeding an identical classifier.
            """);
        report.Table(["epoch", "0 (initial)", .. Enumerable.Range(1, lm.TrainLoss.Count).Select(e => e.ToString(CultureInfo.InvariantCulture))],
        [
            ["training loss", "–", .. lm.TrainLoss.Select(x => (object)x)],
            ["validation perplexity", .. lm.ValidPerplexity.Select(x => (object)Math.Round(x, 1))],
        ]);
        report.Table(["sentence vector from", "trained parameters", "epoch kept", "train acc.", "valid acc.", "**test acc.**"],
            new[] { t, u, tm, um }.Select(x => (IReadOnlyList<object>)[x.Name, x.Parameters.ToString("N0", CultureInfo.InvariantCulture), $"{x.ChosenEpoch} of {x.History.Count}",
                SentenceTraining.Pct(x.TrainAccuracy), SentenceTraining.Pct(x.ValidAccuracy), $"**{SentenceTraining.Pct(x.TestAccuracy)}**"]));
        report.Paragraph(string.Join(" ", new[]
        {
            PerplexityVerdict(lm.ValidPerplexity),
            SentenceTraining.CompareVerdict("The trained language model's last state", t.TestAccuracy, "the untrained network's", u.TestAccuracy, r.Data.Test),
            SentenceTraining.CompareVerdict("Its mean of states", tm.TestAccuracy, "the untrained network's", um.TestAccuracy, r.Data.Test),
            SentenceTraining.CompareVerdict($"The better LM vector on validation ({BetterProbe(t, tm).Name})", BetterProbe(t, tm).TestAccuracy,
                $"the LSTM trained end to end on the labels ({r.BestLstm.Name}, above)", r.BestLstm.TestAccuracy, r.Data.Test),
            SentenceTraining.FitVerdict([t, u, tm, um]),
        }));
    }

    /// <summary>Whether the language model learned anything: validation perplexity after training against before
    /// (below half = clearly learned).</summary>
    public static string PerplexityVerdict(IReadOnlyList<double> perplexity)
    {
        double first = perplexity[0], last = perplexity[^1];
        string nums = $"validation perplexity {LabReport.Format(Math.Round(first, 1))} before training, {LabReport.Format(Math.Round(last, 1))} after";
        return last < first / 2
            ? $"The language model learned the questions' word order ({nums}: it hesitates between about {LabReport.Format(Math.Round(last, 0))} words instead of {LabReport.Format(Math.Round(first, 0))})."
            : $"The language model learned little ({nums}, less than a halving), so its sentence vectors carry little beyond the random network's.";
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
