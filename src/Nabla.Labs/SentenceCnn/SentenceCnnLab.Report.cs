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

        DesignSection(report, s, r.Design);
        SweepSection(report, s, r);

        report.Metric("test_accuracy_cnn", c.TestAccuracy);
        report.Metric("test_accuracy_bow", b.TestAccuracy);
        report.Metric("valid_accuracy_cnn", c.ValidAccuracy);
        report.Metric("train_seconds_cnn", c.Seconds);
        report.Metric("vocabulary_size", r.Data.Vocabulary);
        report.Metric("test_questions", r.Data.Test);
        report.Metric("design_trainable_parameters", r.Design.Parameters.Where(p => p.Trainable).Sum(p => p.Count));
        for (int i = 0; i < r.Sweep.Singles.Count; i++) report.Metric($"sweep_valid_accuracy_w{r.Sweep.Widths[i]}", r.Sweep.Singles[i].ValidAccuracy);
        report.Metric("sweep_valid_accuracy_combination", r.Sweep.Combination.ValidAccuracy);
        report.Metric("sweep_chosen_test_accuracy", r.Sweep.Chosen.TestAccuracy);
    }

    private static void DesignSection(LabReport report, SentenceCnnSettings s, SentenceDesign d)
    {
        report.Heading("AMMI Q3(a): the asked design");
        report.Paragraph($"""
            AMMI assignment 1, question 3(a) asks for a one-layer CNN that maps a sentence of {s.DesignWords} words, looked up in a trained
            {s.DesignVocabulary:N0} × {s.DesignEmbeddingDim} embedding table, to a vector of length {s.DesignFilters} by convolution and pooling, then
            to {s.DesignClasses} class probabilities by a fully connected layer and softmax. Built here with the library's `SentenceCnn`: {s.DesignFilters} filters of width
            {s.DesignFilterSize} slide over the {s.DesignWords} word vectors (the {s.DesignEmbeddingDim} embedding components are the input channels), each gives
            {Math.Max(s.DesignWords, s.DesignFilterSize) - s.DesignFilterSize + 1} values (T − k + 1), ReLU, and max over time keeps one number per filter: the sentence
            vector has {s.DesignFilters} components whatever the sentence length. {SentenceTraining.NoGloveText}
            """);
        SentenceTraining.SizeTable(report, "Designed CNN", d.Sizes, 1, s.DesignWords);
        SentenceTraining.ParameterTable(report, d.Parameters);
        report.Paragraph($"Run on one random {s.DesignWords}-word sentence (untrained weights, so the numbers only show the shapes): sentence vector " +
                         $"({string.Join(", ", d.SentenceVector.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}), class probabilities " +
                         $"({string.Join(", ", d.Probabilities.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}), summing to " +
                         $"{d.Probabilities.Sum().ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    private static void SweepSection(LabReport report, SentenceCnnSettings s, SentenceCnnResult r)
    {
        var w = r.Sweep;
        string combo = $"widths {string.Join(", ", s.FilterSizes)} (the CNN above)";
        report.Heading("Filter width (AMMI Q3(a)3)");
        report.Paragraph($"""
            A filter of width k sees k consecutive words: width 1 is a weighted bag of words, width 2–3 sees "how many", "who was",
            wider filters see longer phrases but have D·k weights each ({s.EmbeddingDim}·k here) and each pattern they match is rarer in the data.
            Widths are hyper-parameters, so they are chosen on validation data: a CNN with {s.Filters} filters of one width
            ({string.Join(", ", w.Widths)}) is trained exactly like the CNN above, and the CNN above ({s.Filters} filters of each of
            {string.Join(", ", s.FilterSizes)}) is the combination. Only the model with the best validation accuracy is scored on the test set.
            """);
        var rows = w.Singles.Select((run, i) => (IReadOnlyList<object>)[$"width {w.Widths[i]}", run.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            SentenceTraining.Pct(run.ValidAccuracy), SentenceTraining.Pct(run.TestAccuracy), Math.Round(run.Seconds, 1)]).ToList();
        rows.Add([combo, w.Combination.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), SentenceTraining.Pct(w.Combination.ValidAccuracy),
            SentenceTraining.Pct(w.Combination.TestAccuracy), Math.Round(w.Combination.Seconds, 1)]);
        report.Table(["filters", "trainable parameters", "valid acc.", "test acc. (scored models only)", "time (s)"], rows);
        var chart = new Nabla.Plots.LineChart { Title = "Validation accuracy by filter width", XLabel = "filter width k", YLabel = "validation accuracy", Markers = true, IntegerXTicks = true };
        chart.Add($"{s.Filters} filters of one width", w.Widths.Select(x => (double)x).ToList(), w.Singles.Select(x => x.ValidAccuracy).ToList());
        chart.Add($"combination {string.Join("/", s.FilterSizes)}", [w.Widths.Min(), w.Widths.Max()], [w.Combination.ValidAccuracy, w.Combination.ValidAccuracy]);
        chart.SavePng(report.PathOf("filter_widths.png"));
        report.Figure("filter_widths.png", "Validation accuracy after the last epoch for each single filter width; the line is the combination of widths");
        report.Paragraph(WidthVerdict(w.Widths, w.Singles.Select(x => x.ValidAccuracy).ToList(), w.Combination.ValidAccuracy, combo, r.Data.Validation) +
                         $" Chosen on validation: {(ReferenceEquals(w.Chosen, w.Combination) ? combo : w.Chosen.Name)}, test accuracy {SentenceTraining.Pct(w.Chosen.TestAccuracy)} " +
                         $"({r.Data.Test} questions, scored once).");
    }

    /// <summary>Where validation accuracy peaks over the single widths (smallest, largest or in between) and whether the
    /// combination beats the best single width by more than the 95 % interval of an accuracy on the validation questions.</summary>
    public static string WidthVerdict(IReadOnlyList<int> widths, IReadOnlyList<double> valid, double comboValid, string combo, int nValid)
    {
        int bi = Enumerable.Range(0, widths.Count).MaxBy(i => valid[i]);
        int bw = widths[bi];
        string shape = widths.Count == 1 ? $"Only width {bw} was tried alone ({SentenceTraining.Pct(valid[bi])} validation accuracy)."
            : bw == widths.Min() ? $"Among single widths the narrowest, {bw}, is best on validation ({SentenceTraining.Pct(valid[bi])}): on these short questions single words and short n-grams already carry the class."
            : bw == widths.Max() ? $"Among single widths the widest, {bw}, is best on validation ({SentenceTraining.Pct(valid[bi])}): longer phrases still add information at this width."
            : $"Among single widths validation accuracy peaks at width {bw} ({SentenceTraining.Pct(valid[bi])}), between too narrow filters that miss phrases and too wide ones whose patterns are rarer.";
        double margin = SentenceTraining.Margin95((valid[bi] + comboValid) / 2, nValid);
        double gap = comboValid - valid[bi];
        string pts = (100 * Math.Abs(gap)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        string m = (100 * margin).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        string vs = gap > margin ? $" The combination of {combo} is {pts} points better still, more than the ±{m}-point interval on {nValid} validation questions: different widths catch different n-grams."
            : gap < -margin ? $" The combination of {combo} is {pts} points worse than width {bw}, more than the ±{m}-point interval on {nValid} validation questions."
            : $" The combination of {combo} is within {pts} points of width {bw}, inside the ±{m}-point interval on {nValid} validation questions: no clear gain from mixing widths here.";
        return shape + vs;
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
