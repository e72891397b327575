using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class MlpMnistCsvLab
{
    public override void Report(LabReport report, MlpMnistCsvSettings s, MlpMnistCsvResult r)
    {
        var best = r.Best;
        report.Paragraph($"""
            The homework's multilayer perceptron, written as a course class with a PyTorch-like API
            (`Nabla.Course.ClassicMlp`: `Forward`, `GetLoss` (softmax cross-entropy), `Backward`, `Step(lr)`,
            `ZeroGrads`, `GetError`, `Save`/`FromFile` as .npz). Its gradients come from Nabla's autograd, not from a
            second hand-written backpropagation. Architecture {string.Join("–", s.Sizes)} ({best.Parameters:N0} parameters),
            hidden activation {string.Join(", ", s.Activations)}, logits → softmax cross-entropy.
            """);
        report.Heading("Data: MNIST as CSV");
        report.Paragraph($"""
            The CSV files were produced from the IDX files with the library's converter (the code path of
            `nabla data convert --from idx --to csv`: `Mnist.ReadSplit` then `MnistCsv.Write`; one line per image, the
            label then 784 pixel values 0–255) and read back with `MnistCsv.Read`: {r.TrainLines:N0} training lines from
            `{r.TrainCsv}` and {r.TestLines:N0} test lines from `{r.TestCsv}` (read in {r.ReadSeconds:F1} s).
            Features are pixel/255 ∈ [0, 1]; the last {s.ValidationLines:N0} training lines are the validation set, the other
            {r.TrainLines - s.ValidationLines:N0} train the network.
            """);
        report.Heading("Training");
        report.Table(["setting", "value"],
        [
            ["layer sizes", string.Join(", ", s.Sizes)],
            ["initialisation", $"{InitLabel(s.Init)} for the main rows{(s.Init != "normal" && s.NormalInitActivations.Length > 0 ? $"; {string.Join(", ", s.NormalInitActivations)} again with the template's random_normal_weight_init, the standard normal W ~ N(0, 1)" : "")}; biases 0 (zeros_bias_init)"],
            ["optimiser", $"plain minibatch SGD θ ← θ − η·∇θ, η = {s.LearningRate}, no momentum, no weight decay"],
            ["batch size / epochs", $"{s.BatchSize} / {s.Epochs} (examples reshuffled every epoch, same order for every network)"],
            ["loss", "mean softmax cross-entropy"],
            ["selection", "the network with the lowest final validation error is saved; the test curves are drawn for the figure the assignment shows (Fig. 7: train vs test) and read by no choice"],
        ]);
        report.Heading("Results");
        report.Table(["network", "train loss before training", "train loss", "train error", "valid error", "test loss", "test error", "time (s)", "run"],
            r.Runs.Select(x => (IReadOnlyList<object>)[x.Label, x.InitialTrainLoss, Last(x.TrainLoss), Pct(Last(x.TrainError)), Pct(Last(x.ValidError)),
                x.TestLoss, Pct(x.TestError), Math.Round(x.Seconds, 1), x.DivergedEpoch > 0 ? $"diverged in epoch {x.DivergedEpoch}" : "completed"]));
        var main = r.Runs.Where(x => x.Init == s.Init).ToList();
        var normal = r.Runs.Where(x => x.Init != s.Init).ToList();
        Plot(report, main, "");
        report.Figure("loss.png", $"Cross-entropy on the training and test sets after each epoch, {InitLabel(s.Init)} weights (log scale), as in the assignment's Fig. 7");
        report.Figure("error.png", $"Fraction misclassified on the training and test sets after each epoch, {InitLabel(s.Init)} weights (log scale), as in the assignment's Fig. 7");
        if (normal.Count > 0)
        {
            Plot(report, normal, "_normal");
            report.Figure("loss_normal.png", "The same with the standard-normal N(0, 1) weights: cross-entropy, training and test sets (log scale; a run that diverged stops)");
            report.Figure("error_normal.png", "The same with the standard-normal N(0, 1) weights: error, training and test sets (log scale)");
        }
        var valid = new LineChart { Title = "Validation error per epoch (the selection criterion)", XLabel = "epoch", YLabel = "validation error", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        foreach (var x in r.Runs) valid.Add(x.Label, x.ValidError);
        valid.SavePng(report.PathOf("valid_error.png"));
        report.Figure("valid_error.png", "Validation error after each epoch of every network (log scale): the numbers the saved model is chosen by");
        report.Paragraph($"""
            The best network by final validation error is **{best.Label}** (test error {best.TestError:P2}). It was
            saved as `model.npz` (arrays fc1.weight, fc1.bias, ..., plus layer_sizes and activation) and rebuilt with
            `ClassicMlp.FromFile`: {ReloadSays(r.ReloadedTestError, best.TestError)}.
            """);
        report.Heading("Discussion");
        report.Paragraph(Discussion(main, best));
        foreach (var n in normal)
            if (main.FirstOrDefault(m => m.Activation == n.Activation) is { } m)
                report.Paragraph(NormalInitSays(n.Activation, InitLabel(s.Init), n.InitialTrainLoss, m.InitialTrainLoss, n.DivergedEpoch,
                    n.TestError, m.TestError, r.TestLines, Last(n.TrainLoss)));
        foreach (var x in r.Runs)
        {
            report.Metric($"test_error_{x.Key}", x.TestError);
            if (x.Init != s.Init) report.Metric($"diverged_epoch_{x.Key}", x.DivergedEpoch).Metric($"initial_train_loss_{x.Key}", x.InitialTrainLoss);
        }
        report.Metric("best_test_error", best.TestError);
        report.Metric("reloaded_test_error", r.ReloadedTestError);
        report.Metric("csv_train_lines", r.TrainLines);
        report.Metric("csv_test_lines", r.TestLines);
    }

    /// <summary>How the template's initialisation names read in the report.</summary>
    public static string InitLabel(string init) => init switch
    {
        "normal" => "N(0, 1)",
        "glorot" => "Glorot",
        "zeros" => "zeros",
        _ => init,
    };

    private static double Last(IReadOnlyList<double> v) => v.Count == 0 ? double.NaN : v[^1];

    private static void Plot(LabReport report, IReadOnlyList<ActivationRun> runs, string suffix)
    {
        var loss = new LineChart { Title = "Cross-entropy per epoch", XLabel = "epoch", YLabel = "loss", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        var error = new LineChart { Title = "Error per epoch", XLabel = "epoch", YLabel = "error (fraction misclassified)", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        foreach (var x in runs)
        {
            loss.Add($"{x.Activation} train", x.TrainLoss).Add($"{x.Activation} test", x.TestLossCurve);
            error.Add($"{x.Activation} train", x.TrainError).Add($"{x.Activation} test", x.TestErrorCurve);
        }
        loss.SavePng(report.PathOf($"loss{suffix}.png"));
        error.SavePng(report.PathOf($"error{suffix}.png"));
    }

    /// <summary>What the template's standard-normal initialisation did to one activation's network, against the same
    /// network with the main initialisation: diverged, clearly worse (more than two binomial standard errors on
    /// <paramref name="testCount"/> test images), clearly better, or no clear difference.</summary>
    public static string NormalInitSays(string activation, string mainInit, double normalStartLoss, double mainStartLoss, int divergedEpoch,
        double normalTestError, double mainTestError, int testCount, double normalFinalTrainLoss)
    {
        string start = $"With the standard-normal weights the {activation} network starts at a training loss of {LabReport.Format(normalStartLoss)} " +
                       $"(against {LabReport.Format(mainStartLoss)} with {mainInit})" + (normalStartLoss > 2 * mainStartLoss
                           ? ": unit-variance weights summed over the 784 inputs (and again over each hidden layer's units) spread the pre-activations over tens of units or more, " +
                             "so the hidden units start saturated (sigmoid, tanh) or very large (ReLU) and the softmax starts confident and mostly wrong."
                           : ": no worse a start than that.");
        if (divergedEpoch > 0)
            return start + $" Training diverged: the minibatch loss became NaN/∞ in epoch {divergedEpoch}, so this initialisation does not train at this learning rate " +
                   $"(the test error in the table, {Pct(normalTestError)}, is that of a network whose outputs are no longer numbers).";
        string numbers = $"After training its test error is {Pct(normalTestError)} against {Pct(mainTestError)} (final training loss {LabReport.Format(normalFinalTrainLoss)})";
        if (normalTestError > 0.8 && Math.Abs(normalFinalTrainLoss - Math.Log(10)) < 0.05)
            return start + $" {numbers}: a training loss at ln 10 ≈ 2.303, that of a uniform guess over the ten classes — the network came out of its violent first steps no longer separating the classes, and plain SGD did not bring it back.";
        if (!CnnLabTraining.ClearlyDifferent(normalTestError, testCount, mainTestError, testCount))
            return start + $" {numbers}: within two binomial standard errors on {testCount:N0} test images, so training recovered from the bad start here.";
        return normalTestError > mainTestError
            ? start + $" {numbers}: clearly worse (more than two standard errors on {testCount:N0} test images) — the scale of the initial weights still costs accuracy after training."
            : start + $" {numbers}: clearly better than {mainInit} here (more than two standard errors on {testCount:N0} test images).";
    }

    /// <summary>What the table and curves show, worded from the numbers of this run.</summary>
    private static string Discussion(IReadOnlyList<ActivationRun> runs, ActivationRun best)
    {
        if (runs.Count == 0) return "";
        var text = new List<string> { $"Ranking by test error: {string.Join(" < ", runs.OrderBy(x => x.TestError).Select(x => $"{x.Label} ({Pct(x.TestError)})"))}." };
        var worst = runs.MaxBy(x => x.TestError)!;
        text.Add(WorstSays(worst.Activation));
        text.Add(UnderTrainedSays(worst.Activation, worst.TrainLoss));
        text.Add($"The best ({best.Label}) network reaches {Pct(best.TrainError[^1])} training error against {Pct(best.ValidError[^1])} on " +
                 $"validation: {GapSays(best.ValidError[^1] - best.TrainError[^1])}");
        text.Add(SecondHalfSays(best.TrainLoss, best.ValidLoss));
        return string.Join(" ", text.Where(t => t.Length > 0));
    }

    /// <summary>Whether the model loaded back from model.npz scores exactly as the saved one.</summary>
    public static string ReloadSays(double reloaded, double original) => reloaded == original
        ? $"the reloaded network's test error is {reloaded:P2}, identical"
        : $"the reloaded network's test error is {reloaded:P2} against {original:P2} — DIFFERENT, a bug";

    /// <summary>The textbook explanation when sigmoid is the worst activation; otherwise a note that this run disagrees.</summary>
    public static string WorstSays(string worst) => worst == "sigmoid"
        ? "With the same learning rate and initialisation the sigmoid network lags: every sigmoid layer multiplies the " +
          "back-propagated gradient by σ′ ≤ 1/4, and its outputs (all positive, around 0.5) are not centred, which " +
          "slows plain SGD further; tanh (derivative up to 1, centred outputs) and ReLU (derivative 1 on active units) do not have " +
          "these problems."
        : $"The worst network here uses {worst}, not sigmoid as the usual argument (σ′ ≤ 1/4 shrinks back-propagated gradients) predicts.";

    /// <summary>Whether the worst network's training loss still fell in the last epoch (under-trained rather than limited).</summary>
    public static string UnderTrainedSays(string activation, IReadOnlyList<double> trainLoss)
    {
        if (trainLoss.Count < 2) return "";
        return trainLoss[^1] < trainLoss[^2]
            ? $"The {activation} network's training loss is still falling at the last epoch: it is under-trained rather than " +
              "limited in capacity, and a larger learning rate or more epochs would narrow the gap."
            : $"The {activation} network's training loss no longer falls at the last epoch.";
    }

    /// <summary>The generalisation gap (validation − training error) in words.</summary>
    public static string GapSays(double gap) => gap > 0
        ? $"a generalisation gap of {100 * gap:F2} points, with no regularisation at all (no weight decay, dropout or early stopping)."
        : $"no generalisation gap (validation error {100 * -gap:F2} points below the training error).";

    /// <summary>How the training and validation losses moved over the second half of training; "longer training would widen
    /// the gap" only when the validation loss fell by a smaller factor than the training loss.</summary>
    public static string SecondHalfSays(IReadOnlyList<double> trainLoss, IReadOnlyList<double> validLoss)
    {
        int mid = trainLoss.Count / 2;
        if (mid < 1) return "";
        double trainRatio = trainLoss[^1] / trainLoss[mid - 1], validRatio = validLoss[^1] / validLoss[mid - 1];
        return $"Over the second half of training its training loss went from {trainLoss[mid - 1]:F4} to {trainLoss[^1]:F4} " +
               $"(×{trainRatio:F2}) and its validation loss from {validLoss[mid - 1]:F4} to {validLoss[^1]:F4} (×{validRatio:F2})" +
               (validRatio > trainRatio ? ": the validation loss falls more slowly, so longer training would mostly widen the gap." : ".");
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : $"{100 * v:F2} %";
}
