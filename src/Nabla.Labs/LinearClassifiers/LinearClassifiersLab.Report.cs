using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class LinearClassifiersLab
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["logistic"] = "logistic regression (4 vs 9)",
        ["svm"] = "linear SVM, hinge loss (4 vs 9)",
        ["softmax"] = "softmax regression (10 digits)",
    };

    public override void Report(LabReport report, LinearClassifiersSettings s, LinearClassifiersResult r)
    {
        var soft = r["softmax"];
        string counts = string.Join(", ", r.BinaryCounts.Select(c => $"{c.Split} {c.Fours} fours / {c.Nines} nines"));
        report.Paragraph($"""
            Three classifiers, each first as a linear model (no hidden layer: score = w·x + b) and then with one hidden layer of
            h ReLU units (Linear(784, h) → ReLU → Linear(h, ·)), h chosen by validation accuracy among
            {string.Join(", ", s.BinaryWidths)} (binary) and {string.Join(", ", s.SoftmaxWidths)} (softmax):

            - **Logistic regression**: one score s, P(9 | x) = σ(s), loss `BinaryCrossEntropyWithLogits` = log(1 + e^(−s)) for a 9,
              log(1 + e^s) for a 4; predict 9 when s > 0.
            - **Binary SVM**: one score s, targets t = +1 (9) / −1 (4), hinge loss `HingeLoss` = max(0, 1 − t·s); the weight decay
              below plays the role of the SVM's ‖w‖² term; predict 9 when s > 0.
            - **Softmax regression**: ten scores, loss `CrossEntropy` = −log softmax(z)_y; predict argmax z.
            """);
        report.Heading("Data");
        report.Paragraph($"""
            MNIST, pixels standardised ((p/255 − 0.1307)/0.3081), images flattened to 784 features. **Binary tasks: 4 vs 9**,
            chosen because it is the pair of digits most often confused by MNIST classifiers (a 4 with a closed top looks like a 9),
            so the comparison is not decided by an easy pair such as 0 vs 1 where every model is near 100 %. As in the homework,
            {s.BinaryTrain}/{s.BinaryValid}/{s.BinaryTest} train/valid/test examples, drawn with a fixed seed from the 4s and 9s of the
            50k training part, the 10k validation part and the test file respectively ({counts}). **Softmax**:
            {soft.TrainCount:N0}/{soft.ValidCount:N0}/{soft.TestCount:N0} train/valid/test, the first examples of the standard
            50k/10k/10k split (the last 10k training images validate).
            """);
        report.Heading("Training");
        report.Table(["task", "optimiser", "weight decay λ", "batch", "epochs"],
        [
            ["logistic, SVM", $"SGD η = {s.BinaryLearningRate}, momentum {s.BinaryMomentum}", s.BinaryWeightDecay, s.BinaryBatchSize, s.BinaryEpochs],
            ["softmax", $"SGD η = {s.SoftmaxLearningRate}, momentum {s.SoftmaxMomentum}", s.SoftmaxWeightDecay, s.SoftmaxBatchSize, s.SoftmaxEpochs],
        ]);
        report.Paragraph("Weights start from PyTorch's default U(±1/√fan_in), biases 0; each model sees its own shuffled order " +
                         "(fixed seeds). The hidden width is chosen by the validation accuracy after the last epoch (ties: the narrower network); " +
                         "the test set is used only for the numbers reported below.");

        report.Heading("Results");
        report.Table(["classifier", "no hidden layer: test acc.", "chosen width h", "one hidden layer: test acc."],
            r.Tasks.Select(t => (IReadOnlyList<object>)[Titles[t.Name], Pct(t.Linear.TestAccuracy), t.Hidden.Hidden, Pct(t.Hidden.TestAccuracy)]));
        report.Paragraph("Every model trained (the chosen widths in bold):");
        report.Table(["classifier", "model", "train acc.", "valid acc.", "test acc.", "final train loss"],
            r.Tasks.SelectMany(t => t.Fits.Select(f => (IReadOnlyList<object>)[
                t.Name, f == t.Hidden ? $"**{f.ModelName}**" : f.ModelName, Pct(f.TrainAccuracy), Pct(f.ValidAccuracyFinal), Pct(f.TestAccuracy), f.TrainLoss[^1]])));
        Plot(report, r);
        report.Figure("width_selection.png", "Validation accuracy after the last epoch against the hidden width");
        report.Figure("binary_loss.png", "4 vs 9: mean training loss per epoch (linear model and chosen hidden width; epochs where the hinge loss is exactly 0 cannot be drawn on the log scale)");
        report.Figure("binary_accuracy.png", "4 vs 9: validation accuracy per epoch");
        report.Figure("softmax_loss.png", "Softmax regression: mean training loss per epoch");
        report.Figure("softmax_accuracy.png", "Softmax regression: validation accuracy per epoch");

        report.Heading("Discussion");
        foreach (var t in r.Tasks)
            report.Paragraph($"**{Titles[t.Name]}**: {Pct(t.Linear.TestAccuracy)} linear, {Pct(t.Hidden.TestAccuracy)} with {t.Hidden.Hidden} hidden units " +
                             $"({(t.Hidden.TestAccuracy - t.Linear.TestAccuracy) * 100:+0.0;−0.0;0} points); training accuracy {Pct(t.Linear.TrainAccuracy)} → {Pct(t.Hidden.TrainAccuracy)}.");
        report.Paragraph(Discussion(r));

        foreach (var t in r.Tasks)
        {
            report.Metric($"test_accuracy_{t.Name}_linear", t.Linear.TestAccuracy);
            report.Metric($"test_accuracy_{t.Name}_hidden", t.Hidden.TestAccuracy);
            report.Metric($"chosen_width_{t.Name}", t.Hidden.Hidden);
        }
    }

    private static void Plot(LabReport report, LinearClassifiersResult r)
    {
        foreach (var (file, tasks) in new[] { ("binary", new[] { "logistic", "svm" }), ("softmax", new[] { "softmax" }) })
        {
            var loss = new LineChart { Title = $"{(file == "binary" ? "4 vs 9" : "Softmax")}: training loss", XLabel = "epoch", YLabel = "mean training loss", LogY = true, IntegerXTicks = true };
            var acc = new LineChart { Title = $"{(file == "binary" ? "4 vs 9" : "Softmax")}: validation accuracy", XLabel = "epoch", YLabel = "validation accuracy", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
            foreach (var t in tasks)
                foreach (var f in new[] { r[t].Linear, r[t].Hidden })
                {
                    loss.Add($"{t} {f.ModelName}", f.TrainLoss);
                    acc.Add($"{t} {f.ModelName}", f.ValidAccuracy);
                }
            loss.SavePng(report.PathOf($"{file}_loss.png"));
            acc.SavePng(report.PathOf($"{file}_accuracy.png"));
        }
        var widths = new LineChart { Title = "Choosing the hidden width", XLabel = "hidden units (log scale)", YLabel = "validation accuracy", LogX = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var t in r.Tasks)
        {
            var hidden = t.Fits.Where(f => f.Hidden > 0).ToList();
            widths.Add(t.Name, hidden.Select(f => (double)f.Hidden).ToArray(), hidden.Select(f => f.ValidAccuracyFinal).ToArray());
        }
        widths.SavePng(report.PathOf("width_selection.png"));
    }

    /// <summary>What the numbers support, with the sampling error of a test accuracy, √(p(1 − p)/n), as the yardstick.</summary>
    private static string Discussion(LinearClassifiersResult r)
    {
        var parts = r.Tasks.Select(t => $"{t.Name}: {HiddenLayerSays(t.Linear.TestAccuracy, t.Hidden.TestAccuracy, t.TestCount)}");
        var log = r["logistic"];
        var svm = r["svm"];
        var soft = r["softmax"];
        int spread = new[] { log, svm }.Max(t =>
        {
            var v = t.Fits.Where(f => f.Hidden > 0).Select(f => f.ValidAccuracyFinal).ToList();
            return (int)Math.Round((v.Max() - v.Min()) * t.ValidCount);
        });
        double meanValid = new[] { log, svm }.SelectMany(t => t.Fits.Where(f => f.Hidden > 0)).Average(f => f.ValidAccuracyFinal);
        return SeparableSays(log.Linear.TrainAccuracy, log.TrainCount) + "Hidden layer against linear model — " + string.Join("; ", parts) + ". " +
               SelectionSays(spread, log.ValidCount, meanValid, (double)soft.ValidCount / log.ValidCount) +
               LossesSays(log.Linear.TestAccuracy, svm.Linear.TestAccuracy, log.TestCount, svm.Linear.TrainLoss.Min()) +
               TenClassSays(soft.Linear.TestAccuracy, soft.Hidden.TestAccuracy, soft.TestCount);
    }

    /// <summary>The gain of the hidden layer on test, judged against two standard errors of the (unpaired) difference.</summary>
    public static string HiddenLayerSays(double linear, double hidden, int testCount)
    {
        double p = (linear + hidden) / 2, se = Math.Sqrt(p * (1 - p) / testCount) * Math.Sqrt(2);
        double gain = hidden - linear;
        string verdict = Math.Abs(gain) <= 2 * se
            ? $"within two standard errors of the difference (±{200 * se:F1} points on {testCount} test examples, unpaired and so conservative): no evidence that the hidden layer helps"
            : gain > 0 ? $"more than two standard errors (±{200 * se:F1} points): the hidden layer helps"
            : $"more than two standard errors (±{200 * se:F1} points) worse with the hidden layer";
        return string.Create(CultureInfo.InvariantCulture, $"{100 * gain:+0.0;−0.0;0} points, {verdict}");
    }

    /// <summary>Whether the linear logistic model fits its training set perfectly (≥ 99.9 %): then the data are linearly separable.</summary>
    public static string SeparableSays(double linearTrainAccuracy, int trainCount) => linearTrainAccuracy >= 0.999
        ? $"With 784 features and only {trainCount} training examples the 4 vs 9 data are linearly separable: the linear models already fit the " +
          "training set perfectly, so a hidden layer cannot improve the fit, only (at best) the generalisation. "
        : "";

    /// <summary>Whether the binary widths' validation accuracies differ by more than two binomial standard errors (in
    /// examples, √(n·p(1 − p))): if not, the chosen width is a coin toss among near-equals.</summary>
    public static string SelectionSays(int spreadExamples, int validCount, double meanAccuracy, double softmaxRatio)
    {
        double se = Math.Sqrt(validCount * meanAccuracy * (1 - meanAccuracy));
        string head = $"On 4 vs 9 the widths differ by at most {spreadExamples} of {validCount} validation examples";
        string tail = string.Create(CultureInfo.InvariantCulture, $"the ten-class validation set is {softmaxRatio:0.#} times larger. ");
        return spreadExamples <= 2 * se
            ? string.Create(CultureInfo.InvariantCulture, $"{head}, within two standard errors (±{2 * se:F1} examples), so the chosen width is close to a coin toss among near-equals; {tail}")
            : string.Create(CultureInfo.InvariantCulture, $"{head}, more than two standard errors (±{2 * se:F1} examples), so the selection separates the widths; {tail}");
    }

    /// <summary>Logistic against hinge loss on test (two standard errors), and whether the hinge training loss reached exactly 0.</summary>
    public static string LossesSays(double logistic, double svm, int testCount, double minHingeLoss)
    {
        double p = (logistic + svm) / 2, se = Math.Sqrt(2 * p * (1 - p) / testCount);
        if (Math.Abs(logistic - svm) <= 2 * se)
            return "The logistic and hinge losses give test accuracies within sampling error of each other: both are convex surrogates of the 0–1 " +
                   "loss and differ mainly in how they treat well-classified points (the hinge ignores them beyond the margin" +
                   (minHingeLoss == 0 ? ", which is why the SVM's training loss reaches exactly 0 once every training example is beyond the margin, while the logistic loss only tends to 0). " : "). ");
        return string.Create(CultureInfo.InvariantCulture, $"The logistic and hinge losses differ by {100 * (logistic - svm):+0.0;−0.0} points on test, more than two ") +
               "standard errors: the hinge ignores well-classified points beyond the margin while the logistic loss keeps pushing them. ";
    }

    /// <summary>The ten-class explanation (one template per class) only when the hidden layer helps there by more than two
    /// standard errors.</summary>
    public static string TenClassSays(double linear, double hidden, int testCount)
    {
        double p = (linear + hidden) / 2, se = Math.Sqrt(2 * p * (1 - p) / testCount);
        return hidden - linear > 2 * se
            ? "The ten-class problem is where the hidden layer matters: a linear map gives each class one template, which cannot " +
              "separate all writing styles of ten digits, while a hidden layer learns features shared by the classes."
            : "On the ten-class problem the hidden layer shows no gain beyond two standard errors in this run, although a linear map " +
              "gives each class only one template.";
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : $"{100 * v:F1} %";
}
