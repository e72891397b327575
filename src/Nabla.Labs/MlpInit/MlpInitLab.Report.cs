using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class MlpInitLab
{
    public override void Report(LabReport report, MlpInitSettings s, MlpInitResult r)
    {
        int[] widths = [784, .. s.Hidden, 10];
        string terms = string.Join(" + ", widths.Zip(widths.Skip(1)).Select(p => $"{p.First}·{p.Second} + {p.Second}"));
        string glorot = string.Join(", ", widths.Zip(widths.Skip(1)).Select(p => $"{Math.Sqrt(6.0 / (p.First + p.Second)):0.####}"));
        report.Paragraph($"""
            **Model.** MLP {string.Join("-", widths)} with ReLU after each hidden layer and a softmax cross-entropy loss:
            {r.Parameters:N0} parameters ({terms}).
            **Data.** MNIST standardised with mean 0.1307 and std 0.3081; {r.TrainCount:N0} training,
            {r.ValidationCount:N0} validation and {r.TestCount:N0} test images (prefixes of the standard 50k/10k/10k split).
            **Training.** Plain mini-batch SGD (no momentum, no weight decay), learning rate {s.LearningRate}, batch
            {s.BatchSize}, {s.Epochs} epochs, the same shuffling seed for every scheme. Biases start at zero in every scheme.
            **Initialisations.** Zero: W = 0. N(0, 1): W_ij ~ N(0, 1). Glorot/Xavier uniform: W_ij ~ U(−d, d) with
            d = √(6 / (fan_in + fan_out)) (d = {glorot} for the layers in order).
            """);

        var runs = r.Runs;
        report.Heading("Average training loss per epoch");
        report.Paragraph($"""
            The assignment's number: the average cross-entropy over all {r.TrainCount:N0} training images, measured at the
            end of each epoch with the weights of that moment (eval mode, no gradient recorded).
            """);
        report.Table(["epoch", .. runs.Select(x => x.Label)],
            Enumerable.Range(0, s.Epochs).Select(e => (IReadOnlyList<object>)[e + 1, .. runs.Select(x => (object)x.TrainLoss[e])]));
        report.Paragraph("""
            Beside it, the running mean of the minibatch losses over each epoch: the loss the optimiser saw while the
            weights were still changing (it mixes in the losses of the epoch's earlier weights).
            """);
        report.Table(["epoch", .. runs.Select(x => x.Label)],
            Enumerable.Range(0, s.Epochs).Select(e => (IReadOnlyList<object>)[e + 1, .. runs.Select(x => (object)x.RunningTrainLoss[e])]));
        var chart = new LineChart { Title = "MLP on MNIST: training loss by initialisation", XLabel = "epoch", YLabel = "average training loss (log scale)", LogY = true, IntegerXTicks = true };
        foreach (var x in runs) chart.Add($"{x.Label}: whole training set, end of epoch", x.TrainLoss);
        foreach (var x in runs) chart.Add($"{x.Label}: running minibatch mean", x.RunningTrainLoss);
        chart.SavePng(report.PathOf("init_loss.png"));
        report.Figure("init_loss.png", "Average training loss per epoch for the three initialisations (log-scale y axis): measured on the whole training set at the end of each epoch, and the running mean of the minibatch losses during the epoch.");
        report.Paragraph(RunningMeanSays(runs.Select(x => (x.Label, x.TrainLoss[0], x.RunningTrainLoss[0])).ToList()));

        report.Heading("Accuracy");
        report.Table(["init", "val loss before training", "train loss epoch 1", $"train loss epoch {s.Epochs}", "validation accuracy", "test accuracy",
            "dead ReLUs after training (per hidden layer)", "run"],
            runs.Select(x => (IReadOnlyList<object>)[x.Label, x.Before.Loss, x.TrainLoss[0], x.TrainLoss[^1], Pct(x.FinalValidationAccuracy),
                Pct(x.TestAccuracy), string.Join(" / ", x.After.Dead.Select(Pct)), x.Outcome]));
        report.Paragraph("Validation accuracy after each epoch:");
        report.Table(["epoch", .. runs.Select(x => x.Label)],
            Enumerable.Range(0, s.Epochs).Select(e => (IReadOnlyList<object>)[e + 1, .. runs.Select(x => (object)Pct(x.ValidationAccuracy[e]))]));

        report.Heading("Pre-activation scale at initialisation");
        report.Paragraph($"Standard deviation of each layer's pre-activation z = W·h + b over the first {r.ProbeImages} validation images, before any training step.");
        report.Table(["init", .. Enumerable.Range(1, s.Hidden.Length).Select(l => $"layer {l}"), "output (logits)"],
            runs.Select(x => (IReadOnlyList<object>)[x.Label, .. x.Before.PreStd.Select(v => (object)v)]));

        report.Heading("Discussion");
        report.Paragraph(Discussion(r));
        foreach (var x in runs)
        {
            report.Metric($"{x.Key}_final_train_loss", x.TrainLoss[^1]).Metric($"{x.Key}_val_accuracy", x.FinalValidationAccuracy)
                  .Metric($"{x.Key}_test_accuracy", x.TestAccuracy);
            report.Metric($"{x.Key}_final_running_train_loss", x.RunningTrainLoss[^1]);
            for (int e = 0; e < s.Epochs; e++)
                report.Metric($"{x.Key}_train_loss_epoch{e + 1}", x.TrainLoss[e]).Metric($"{x.Key}_running_train_loss_epoch{e + 1}", x.RunningTrainLoss[e]);
        }
    }

    private static string Pct(double a) => double.IsNaN(a) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100 * a:F2}%");

    private static string F(double v) => LabReport.Format(v);

    private static string Discussion(MlpInitResult r)
    {
        InitRun Run(string key) => r.Runs.Single(x => x.Key == key);
        InitRun z = Run("zeros"), n = Run("normal"), g = Run("glorot");
        int nBest = Array.IndexOf(n.ValidationAccuracy, n.ValidationAccuracy.Max());
        return $"""
            **Zero.** Every hidden unit computes the same function and receives the same gradient, so the units would
            stay identical to each other forever (the symmetry is never broken). Worse, with ReLU the hidden
            pre-activations are exactly 0, ReLU'(0) = 0 and h = 0, so ∂L/∂W = 0 in every layer and for the hidden
            biases: only the output bias can learn. The network then outputs the same logits for every image, the best of
            which are the log class frequencies, so the training loss can only fall to the entropy of the label
            distribution (≈ 2.30 = ln 10 for nearly balanced classes): {F(z.TrainLoss[0])} → {F(z.TrainLoss[^1])} here.
            {ZeroInitSays(r.Zero, Pct(z.TestAccuracy))}

            **N(0, 1).** With unit-variance weights each layer multiplies the pre-activation variance by about
            fan_in·E[h²] (784 standardised inputs, then ReLUs of which about half are active): standard deviations of
            {string.Join(", ", n.Before.PreStd.Select(F))} from the first layer to the logits, against
            {string.Join(", ", g.Before.PreStd.Select(F))} with Glorot. {SaturationSays(n.Before.PreStd[^1], g.Before.PreStd[^1], n.Before.Loss, g.Before.Loss)}
            The training-set loss is {F(n.TrainLoss[0])} after the first epoch and {F(n.TrainLoss[^1])} after the last, which
            {LossRatioSays(n.TrainLoss[^1], g.TrainLoss[^1])}. After one epoch the validation accuracy is {Pct(n.ValidationAccuracy[0])}
            ({RandomFeaturesSays(n.ValidationAccuracy[0])}); {BestEpochSays(nBest, Pct(n.ValidationAccuracy[Math.Max(nBest, 0)]))}.
            Final test accuracy: {Says.Compare("N(0, 1)", 100 * n.TestAccuracy, "Glorot", 100 * g.TestAccuracy, 0.5, " %")}.
            {DeadUnitsSays(n.After.Dead, g.After.Dead, r.ProbeImages)}

            **Glorot.** d = √(6/(fan_in + fan_out)) keeps the variance of the activations and of the back-propagated
            gradients roughly constant from layer to layer; the initial validation loss is {GlorotStartSays(g.Before.Loss)}.
            Training loss {F(g.TrainLoss[0])} after the first epoch, {F(g.TrainLoss[^1])} after the last, and
            {Pct(g.FinalValidationAccuracy)} validation / {Pct(g.TestAccuracy)} test accuracy with nothing more than plain SGD at a
            small learning rate; {StillFallingSays(g.TrainLoss)}.
            """;
    }

    /// <summary>How the first epoch's end-of-epoch loss compares with its running minibatch mean, per initialisation:
    /// lower (the weights improved during the epoch), higher, or the same within 1 %.</summary>
    public static string RunningMeanSays(IReadOnlyList<(string Label, double EndOfEpoch, double Running)> firstEpoch)
    {
        var parts = firstEpoch.Select(f =>
            !double.IsFinite(f.EndOfEpoch) || !double.IsFinite(f.Running) ? $"{f.Label}: a value is missing"
            : Math.Abs(f.EndOfEpoch - f.Running) <= 0.01 * Math.Abs(f.Running) ? $"{f.Label}: {F(f.EndOfEpoch)} and {F(f.Running)}, the same within 1 %"
            : f.EndOfEpoch < f.Running ? $"{f.Label}: {F(f.EndOfEpoch)} at the end against a running mean of {F(f.Running)} (lower: the weights improved during the epoch)"
            : $"{f.Label}: {F(f.EndOfEpoch)} at the end against a running mean of {F(f.Running)} (higher: the last steps made the weights worse on the whole set)");
        return $"After the first epoch — {string.Join("; ", parts)}.";
    }

    /// <summary>Whether zero initialisation stayed frozen (every weight and hidden bias still exactly 0, as the
    /// argument predicts) or something besides the output bias moved.</summary>
    public static string ZeroInitSays(ZeroInitState z, string testAccuracy)
    {
        string bias = string.Join(", ", z.OutputBias.Select(b => b.ToString("0.###", CultureInfo.InvariantCulture)));
        int top = Array.IndexOf(z.OutputBias, z.OutputBias.Max());
        if (z.MaxWeight == 0 && z.MaxHiddenBias == 0)
            return $"After training every weight and hidden bias is still exactly 0: only the output bias moved, to b = [{bias}], " +
                   $"largest for class {top}. The net predicts class {top} for every image, hence a test accuracy of {testAccuracy}, " +
                   "the share of that class in the test set.";
        return $"After training the weights are not all zero (max |W| = {F(z.MaxWeight)}, max hidden |b| = {F(z.MaxHiddenBias)}): " +
               $"something besides the output bias (b = [{bias}]) moved, which the argument above rules out for exact arithmetic; " +
               $"test accuracy {testAccuracy}.";
    }

    /// <summary>Whether the N(0, 1) logits are spread widely enough to saturate the softmax (std above 10 and ten times
    /// Glorot's).</summary>
    public static string SaturationSays(double normalLogitStd, double glorotLogitStd, double normalLoss, double glorotLoss)
    {
        if (normalLogitStd > 10 && normalLogitStd > 10 * glorotLogitStd)
            return $"Logits this far apart saturate the softmax (one class gets probability ≈ 1), so every mistake costs a loss of the " +
                   $"order of the logit gap: {F(normalLoss)} on validation images before training (Glorot: {F(glorotLoss)}), and the " +
                   "gradients are as large, so the first SGD steps are violent.";
        return $"These logits are not spread widely enough to saturate the softmax: the validation loss before training is " +
               $"{F(normalLoss)} (Glorot: {F(glorotLoss)}).";
    }

    /// <summary>How the final N(0, 1) training loss compares with Glorot's (a factor 1.5 either way counts as close).</summary>
    public static string LossRatioSays(double normalLoss, double glorotLoss)
    {
        double ratio = normalLoss / glorotLoss;
        if (!double.IsFinite(ratio)) return "cannot be compared with the Glorot loss (a value is missing)";
        string rs = ratio.ToString(ratio >= 10 ? "F0" : "F1", CultureInfo.InvariantCulture);
        return ratio > 1.5 ? $"stays about {rs}× the Glorot loss"
             : ratio < 1 / 1.5 ? $"is below the Glorot loss ({rs}×)"
             : $"is within a factor 1.5 of the Glorot loss ({rs}×)";
    }

    /// <summary>Whether the huge random weights already act as useful random features after one epoch (accuracy above 50 %).</summary>
    public static string RandomFeaturesSays(double firstEpochAccuracy) => firstEpochAccuracy > 0.5
        ? "the huge random weights act as random features that are already fairly discriminative"
        : "the huge random weights are poor features at first";

    /// <summary>Which epoch of N(0, 1) had the best validation accuracy (index 0 = epoch 1).</summary>
    public static string BestEpochSays(int bestIndex, string bestAccuracy) => bestIndex <= 0
        ? "training does not improve on them: validation accuracy is best after epoch 1"
        : $"training improves on them: the best epoch is epoch {bestIndex + 1} ({bestAccuracy})";

    /// <summary>Dead ReLUs after training (no activation on any probe image): worth a remark above 5 % in any layer.</summary>
    public static string DeadUnitsSays(double[] normalDead, double[] glorotDead, int probeImages)
    {
        string Show(double[] d) => string.Join(" / ", d.Select(Pct));
        string head = $"Dead ReLUs after training (no activation on any of {probeImages} validation images): {Show(normalDead)} for N(0, 1), {Show(glorotDead)} for Glorot";
        return normalDead.DefaultIfEmpty(0).Max() > 0.05
            ? head + " — units that the huge early updates pushed into the flat half of the ReLU for good, where they get no gradient."
            : head + ": no layer lost more than 5 % of its units.";
    }

    /// <summary>Whether Glorot's initial loss is near the ln 10 ≈ 2.30 of a uniform guess (within 0.5).</summary>
    public static string GlorotStartSays(double initialLoss) => Math.Abs(initialLoss - Math.Log(10)) < 0.5
        ? $"{F(initialLoss)}, near the ln 10 ≈ 2.30 of a uniform guess, so SGD starts in a well-conditioned regime"
        : $"{F(initialLoss)}, away from the ln 10 ≈ 2.30 of a uniform guess";

    /// <summary>Whether the last epoch still lowered the training loss by more than 1 %.</summary>
    public static string StillFallingSays(IReadOnlyList<double> losses)
    {
        if (losses.Count < 2) return "with a single epoch there is no trend to read";
        return losses[^1] < 0.99 * losses[^2]
            ? "the curve is still falling at the last epoch: more epochs or a larger rate would gain more"
            : "the curve has flattened by the last epoch";
    }
}
