using Nabla.Plots;

namespace Nabla.Labs;

/// <summary>Figures and report text of the linear-classifiers lab.</summary>
internal static class LinearClassifiersReport
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["logistic"] = "logistic regression (4 vs 9)",
        ["svm"] = "linear SVM, hinge loss (4 vs 9)",
        ["softmax"] = "softmax regression (10 digits)",
    };

    public static void Plot(LabContext ctx, Dictionary<string, List<ClassifierFit>> results, Dictionary<string, ClassifierFit> chosen)
    {
        foreach (var (file, tasks) in new[] { ("binary", new[] { "logistic", "svm" }), ("softmax", new[] { "softmax" }) })
        {
            var loss = new LineChart { Title = $"{(file == "binary" ? "4 vs 9" : "Softmax")}: training loss", XLabel = "epoch", YLabel = "mean training loss", LogY = true, IntegerXTicks = true };
            var acc = new LineChart { Title = $"{(file == "binary" ? "4 vs 9" : "Softmax")}: validation accuracy", XLabel = "epoch", YLabel = "validation accuracy", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
            foreach (var t in tasks)
                foreach (var f in new[] { results[t][0], chosen[t] })
                {
                    loss.Add($"{t} {f.ModelName}", f.TrainLoss);
                    acc.Add($"{t} {f.ModelName}", f.ValidAccuracy);
                }
            loss.SavePng(ctx.PathOf($"{file}_loss.png"));
            acc.SavePng(ctx.PathOf($"{file}_accuracy.png"));
        }
        var widths = new LineChart { Title = "Choosing the hidden width", XLabel = "hidden units (log scale)", YLabel = "validation accuracy", LogX = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var (t, fits) in results)
        {
            var hidden = fits.Where(f => f.Hidden > 0).ToList();
            widths.Add(t, hidden.Select(f => (double)f.Hidden).ToArray(), hidden.Select(f => f.ValidAccuracyFinal).ToArray());
        }
        widths.SavePng(ctx.PathOf("width_selection.png"));
    }

    public static LabReport Write(string labName, LabContext ctx, SgdSettings binary, SgdSettings softmax, string binaryCounts,
        List<ClassifierTask> tasks, Dictionary<string, List<ClassifierFit>> results, Dictionary<string, ClassifierFit> chosen)
    {
        var report = new LabReport(labName, "Linear classifiers on MNIST: logistic regression, SVM, softmax regression");
        var soft = tasks.Single(t => t.Name == "softmax");
        report.Paragraph($"""
            Three classifiers, each first as a linear model (no hidden layer: score = w·x + b) and then with one hidden layer of
            h ReLU units (Linear(784, h) → ReLU → Linear(h, ·)), h chosen by validation accuracy among
            {string.Join(", ", results["logistic"].Where(f => f.Hidden > 0).Select(f => f.Hidden))} (binary) and
            {string.Join(", ", results["softmax"].Where(f => f.Hidden > 0).Select(f => f.Hidden))} (softmax):

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
            {LinearClassifiersLab.BinaryTrain}/{LinearClassifiersLab.BinaryValid}/{LinearClassifiersLab.BinaryTest} train/valid/test
            examples, drawn with a fixed seed (seed {ctx.Seed}) from the 4s and 9s of the 50k training part, the 10k validation part
            and the test file respectively ({binaryCounts}). **Softmax**: {soft.Train.Count:N0}/{soft.Valid.Count:N0}/{soft.Test.Count:N0}
            train/valid/test{(ctx.Quick ? " (quick mode: the first examples of the standard 50k/10k/10k split)" : " (the standard split: the last 10k training images validate)")}.
            """);
        report.Heading("Training");
        report.Table(["task", "optimiser", "weight decay λ", "batch", "epochs"],
        [
            ["logistic, SVM", $"SGD η = {binary.LearningRate}, momentum {binary.Momentum}", binary.WeightDecay, binary.BatchSize, binary.Epochs],
            ["softmax", $"SGD η = {softmax.LearningRate}, momentum {softmax.Momentum}", softmax.WeightDecay, softmax.BatchSize, softmax.Epochs],
        ]);
        report.Paragraph("Weights start from PyTorch's default U(±1/√fan_in), biases 0; each model sees its own shuffled order " +
                         "(fixed seeds). The hidden width is chosen by the validation accuracy after the last epoch (ties: the narrower network); " +
                         "the test set is used only for the numbers reported below.");

        report.Heading("Results");
        report.Table(["classifier", "no hidden layer: test acc.", "chosen width h", "one hidden layer: test acc."],
            tasks.Select(t => (IReadOnlyList<object>)[Titles[t.Name], Pct(results[t.Name][0].TestAccuracy), chosen[t.Name].Hidden, Pct(chosen[t.Name].TestAccuracy)]));
        report.Paragraph("Every model trained (the chosen widths in bold):");
        report.Table(["classifier", "model", "train acc.", "valid acc.", "test acc.", "final train loss"],
            tasks.SelectMany(t => results[t.Name].Select(f => (IReadOnlyList<object>)[
                t.Name, f == chosen[t.Name] ? $"**{f.ModelName}**" : f.ModelName, Pct(f.TrainAccuracy), Pct(f.ValidAccuracyFinal), Pct(f.TestAccuracy), f.TrainLoss[^1]])));
        report.Figure("width_selection.png", "Validation accuracy after the last epoch against the hidden width");
        report.Figure("binary_loss.png", "4 vs 9: mean training loss per epoch (linear model and chosen hidden width; epochs where the hinge loss is exactly 0 cannot be drawn on the log scale)");
        report.Figure("binary_accuracy.png", "4 vs 9: validation accuracy per epoch");
        report.Figure("softmax_loss.png", "Softmax regression: mean training loss per epoch");
        report.Figure("softmax_accuracy.png", "Softmax regression: validation accuracy per epoch");

        report.Heading("Discussion");
        foreach (var t in tasks)
        {
            var lin = results[t.Name][0];
            var hid = chosen[t.Name];
            report.Paragraph($"**{Titles[t.Name]}**: {Pct(lin.TestAccuracy)} linear, {Pct(hid.TestAccuracy)} with {hid.Hidden} hidden units " +
                             $"({(hid.TestAccuracy - lin.TestAccuracy) * 100:+0.0;−0.0;0} points); training accuracy {Pct(lin.TrainAccuracy)} → {Pct(hid.TrainAccuracy)}.");
        }
        report.Paragraph(Discussion(ctx.Quick, tasks, results, chosen));

        foreach (var t in tasks)
        {
            report.Metric($"test_accuracy_{t.Name}_linear", results[t.Name][0].TestAccuracy);
            report.Metric($"test_accuracy_{t.Name}_hidden", chosen[t.Name].TestAccuracy);
            report.Metric($"chosen_width_{t.Name}", chosen[t.Name].Hidden);
        }
        return report;
    }

    /// <summary>What the numbers support, with the sampling error of a test accuracy, √(p(1 − p)/n), as the yardstick.</summary>
    private static string Discussion(bool quick, List<ClassifierTask> tasks, Dictionary<string, List<ClassifierFit>> results, Dictionary<string, ClassifierFit> chosen)
    {
        var parts = new List<string>();
        foreach (var t in tasks)
        {
            var lin = results[t.Name][0];
            var hid = chosen[t.Name];
            double p = (lin.TestAccuracy + hid.TestAccuracy) / 2, se = Math.Sqrt(p * (1 - p) / t.Test.Count) * Math.Sqrt(2);
            double gain = hid.TestAccuracy - lin.TestAccuracy;
            string verdict = Math.Abs(gain) <= 2 * se
                ? $"within two standard errors of the difference (±{200 * se:F1} points on {t.Test.Count} test examples, unpaired and so conservative): no evidence that the hidden layer helps"
                : gain > 0 ? $"more than two standard errors (±{200 * se:F1} points): the hidden layer helps"
                : $"more than two standard errors (±{200 * se:F1} points) worse with the hidden layer";
            parts.Add($"{t.Name}: {100 * gain:+0.0;−0.0;0} points, {verdict}");
        }
        var linBinary = results["logistic"][0];
        string separable = linBinary.TrainAccuracy >= 0.999
            ? "With 784 features and only 500 training examples the 4 vs 9 data are linearly separable: the linear models already fit the training set perfectly, so a hidden layer cannot improve the fit, only (at best) the generalisation. "
            : "";
        // Spread of the binary validation accuracies over the widths, in examples: how much the selection can be trusted.
        var binaryValid = tasks.Where(t => t.Name != "softmax").ToList();
        int spread = binaryValid.Count == 0 ? 0 : binaryValid.Max(t =>
        {
            var v = results[t.Name].Where(f => f.Hidden > 0).Select(f => f.ValidAccuracyFinal).ToList();
            return (int)Math.Round((v.Max() - v.Min()) * t.Valid.Count);
        });
        string selection = binaryValid.Count == 0 ? "" :
            $"On 4 vs 9 the widths differ by at most {spread} of {binaryValid[0].Valid.Count} validation examples, so the chosen width is " +
            $"close to a coin toss among near-equals; the ten-class validation set is {(double)tasks.Single(t => t.Name == "softmax").Valid.Count / binaryValid[0].Valid.Count:0.#} times larger. ";
        var log = results["logistic"][0];
        var svm = results["svm"][0];
        double pl = (log.TestAccuracy + svm.TestAccuracy) / 2, seLs = Math.Sqrt(2 * pl * (1 - pl) / binaryValid[0].Test.Count);
        string losses = Math.Abs(log.TestAccuracy - svm.TestAccuracy) <= 2 * seLs
            ? "The logistic and hinge losses give test accuracies within sampling error of each other: both are convex surrogates of the 0–1 " +
              "loss and differ mainly in how they treat well-classified points (the hinge ignores them beyond the margin" +
              (svm.TrainLoss.Min() == 0 ? ", which is why the SVM's training loss reaches exactly 0 once every training example is beyond the margin, while the logistic loss only tends to 0). " : "). ")
            : $"The logistic and hinge losses differ by {100 * (log.TestAccuracy - svm.TestAccuracy):+0.0;−0.0} points on test, more than two " +
              "standard errors: the hinge ignores well-classified points beyond the margin while the logistic loss keeps pushing them. ";
        string quickNote = quick ? " Quick mode (few epochs, small softmax sets): the numbers only show that the code path works." : "";
        return separable + "Hidden layer against linear model — " + string.Join("; ", parts) + ". " + selection + losses +
               "The ten-class problem is where the hidden layer matters: a linear map gives each class one template, which cannot " +
               "separate all writing styles of ten digits, while a hidden layer learns features shared by the classes." + quickNote;
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : $"{100 * v:F1} %";
}
