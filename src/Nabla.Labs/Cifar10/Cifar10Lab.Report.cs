using System.Globalization;
using Nabla.Plots;
using Nabla.Training;

namespace Nabla.Labs;

// The report of the CIFAR-10 labs: setup, per-epoch table, figures and a discussion whose claims are chosen by the
// rules below from the numbers. Every result line carries the data set's display name ("CIFAR-10 (JPEG copy)" for
// the lossy copy).
public abstract partial class Cifar10Lab<TSettings>
{
    public override void Report(LabReport report, TSettings s, Cifar10Result r)
    {
        string dn = r.DataName;
        var h = r.History;
        var inv = CultureInfo.InvariantCulture;
        TrainingCurves.Save(report.PathOf("curves.png"), h.Select(e => e.TrainLoss).ToArray(), h.Select(e => e.ValidationLoss).ToArray(),
            h.Select(e => e.TrainAccuracy).ToArray(), h.Select(e => e.ValidationAccuracy).ToArray(), $"{ModelName(s)}, {dn}");
        double trainSeconds = h.Sum(e => e.Seconds);
        double ips = h.Count == 0 ? double.NaN : h.Sum(e => e.SamplesPerSecond * e.Seconds) / Math.Max(trainSeconds, 1e-9);
        // Expected wall time of the full recipe (its images × its epochs) at the measured (or benchmark) throughput.
        double rate = double.IsFinite(ips) && ips > 0 ? ips : BenchmarkImagesPerSecond;
        double fullHours = (double)Full.Train * Full.Epochs / rate / 3600;
        bool recipe = IsFullRecipe(s);

        report.Paragraph($"""
            All numbers below are measured on **{dn}** read from `{r.DataPath}`{(r.Jpeg
                ? " — a lossy JPEG export of CIFAR-10 (exact labels, pixels off by about 6/255), so accuracies are not directly comparable with published CIFAR-10 figures"
                : "")}.
            Model: {ModelDescription(s)}. {r.Parameters:N0} parameters.
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"{dn}: first {r.TrainCount:N0} of the 45,000 training images (the last 5,000 of the training set are the validation split; {r.ValidCount:N0} of them used), {r.TestCount:N0} test images{(recipe ? "" : " — not the full recipe (see the settings at the end)")}"],
            ["preprocessing", $"per-channel standardisation with the training split's mean ({string.Join(", ", r.Mean.Select(v => v.ToString("F3", inv)))}) and std ({string.Join(", ", r.Std.Select(v => v.ToString("F3", inv)))})"],
            ["augmentation", !s.Augment ? "none (`augment` is false)" : $"random crop 32 with padding 4 (zero = channel mean), horizontal flip p = 0.5{(s.Cutout > 0 ? $", cutout {s.Cutout}×{s.Cutout}" : ", no cutout")}"],
            ["optimiser", $"SGD, {(s.Nesterov ? "Nesterov" : "heavy-ball")} momentum {s.Momentum}, weight decay {s.WeightDecay}, batch {s.BatchSize}"],
            ["schedule", $"one-cycle (cosine) per batch: max lr {s.MaxLr}, from {(s.MaxLr / 25).ToString("G3", inv)} up over 30 % of {s.Epochs} epoch(s), down to {(s.MaxLr / 25 / 1e4).ToString("G3", inv)}"],
            ["loss", s.LabelSmoothing > 0 ? $"cross-entropy with label smoothing {s.LabelSmoothing}" : "cross-entropy (no label smoothing; `--set smoothing=0.1` turns it on)"],
            ["checkpoint", $"`checkpoint.npz` in the output folder after every epoch{(r.Resumed ? "; this run resumed from it" : "")}; rerun with the same --out to resume (full runs)"],
            ["saved model", "`model.npz` beside the checkpoint after training: the weights alone (every parameter and BatchNorm buffer under its state-dict key; no optimizer state), as `nabla train` writes them — `numpy.load(\"model.npz\")` reads it"],
        ]);
        report.Heading("Training");
        report.Table(["epoch", "train loss", "train acc", "valid loss", "valid acc", "lr at start", "seconds", "img/s"],
            h.Select(e => (IReadOnlyList<object>)[e.Epoch, Math.Round(e.TrainLoss, 4), Acc(e.TrainAccuracy),
                Math.Round(e.ValidationLoss, 4), Acc(e.ValidationAccuracy), e.LearningRate.ToString("G3", inv),
                Math.Round(e.Seconds, 1), Math.Round(e.SamplesPerSecond, 0)]));
        report.Figure("curves.png", $"Loss and accuracy per epoch, train (augmented batches, running mean) vs validation ({dn})");
        report.Heading("Test");
        report.Paragraph($"Test accuracy: **{100 * r.TestAccuracy:F2} %** on {r.TestCount:N0} test images of **{dn}** (one pass, after training; {r.StopReason}). " +
            $"With test-time flip averaging (mean of the probabilities for each image and its mirror): {100 * r.TestAccuracyFlip:F2} %. " +
            "The single-view figure is the headline; the other is reported beside it.");
        report.Figure("confusion.png", $"Confusion matrix on the test images of {dn} (rows: true class, columns: predicted)");
        report.Figure("misclassified.png", $"The {r.MistakeCount} test images of {dn} misclassified with the highest confidence (caption: true→predicted and its probability)");
        report.Figure("kernels.png", $"The {r.FirstConvChannels} first-layer 3×3 kernels as RGB patches on one shared scale");
        report.Heading("Wall time");
        report.Paragraph($"""
            Loading {dn}: {r.LoadSeconds:F0} s; training: {trainSeconds:F0} s for {h.Count} epoch(s) ({ips:F0} images/s, augmentation included);
            whole lab: {r.WallSeconds:F0} s. The full recipe ({Full.Train:N0} images × {Full.Epochs} epochs) needs about {fullHours:F1} h at this rate
            ({Full.Train / rate:F0} s per epoch).
            Shorter runs: `./nabla lab run {Name} --set epochs=5 --set train=10000 --out DIR`; `./nabla lab show {Name}` lists every
            setting (test, lr, cutout, smoothing, batch-size, …; `--set augment=false`, `--set nesterov=false` for ablations).
            """);
        report.Heading("Discussion");
        double validAcc = h.Count > 0 ? h[^1].ValidationAccuracy : double.NaN;
        report.Paragraph($"""
            After {h.Count} epoch(s) on {r.TrainCount:N0} images the network reaches {Acc(validAcc)} validation and
            {100 * r.TestAccuracy:F2} % test accuracy on {dn}. {Cifar10Says.TargetSentence(recipe, r.TestAccuracy, Full.Epochs, Full.Train)}
            {CnnLabTraining.ConfusionSentence(r.TopConfusion, r.ClassNames)} The gallery of confident mistakes lets one judge which of them
            are ambiguous at 32×32 and which are plain errors.
            {Cifar10Says.TrainValidSentence(h, r.ValidCount)}
            """);
        report.Metric("test_accuracy", r.TestAccuracy);
        report.Metric("valid_accuracy", validAcc);
        report.Metric("test_accuracy_flip_tta", r.TestAccuracyFlip);
        report.Metric("epochs", h.Count);
        report.Metric("train_images", r.TrainCount);
        report.Metric("test_images", r.TestCount);
        report.Metric("parameters", r.Parameters);
        report.Metric("images_per_second", ips);
        report.Metric("wall_seconds", r.WallSeconds);
        report.Metric("jpeg_copy", r.Jpeg ? 1 : 0);
    }

    private static string Acc(double v) => double.IsNaN(v) ? "—" : $"{100 * v:F2} %";
}

/// <summary>The tested rules that choose the CIFAR-10 reports' interpreting sentences.</summary>
public static class Cifar10Says
{
    /// <summary>The course's target test accuracy for the CIFAR-10 labs.</summary>
    public const double TargetAccuracy = 0.90;

    /// <summary>Whether the test accuracy meets the 90 % target — said only of the full recipe; any other run is
    /// declared unable to speak to the target.</summary>
    public static string TargetSentence(bool fullRecipe, double testAccuracy, int fullEpochs, int fullTrain) => fullRecipe
        ? Says.Bar("The full recipe's test accuracy", Math.Round(100 * testAccuracy, 2), 100 * TargetAccuracy, " %") + "."
        : $"This run is not the full recipe (which trains {fullEpochs} epochs on {fullTrain:N0} images), so its number says nothing about the {100 * TargetAccuracy:F0} % target.";

    /// <summary>Training accuracy (augmented batches, running mean while the weights change) against validation
    /// accuracy: in how many epochs it lags, and whether at the end it exceeds validation by more than two binomial
    /// standard errors of the <paramref name="nValid"/> validation images (overfitting).</summary>
    public static string TrainValidSentence(IReadOnlyList<EpochRecord> h, int nValid)
    {
        if (h.Count == 0) return "No epoch was trained.";
        int lag = h.Count(e => e.TrainAccuracy < e.ValidationAccuracy);
        string first = lag == 0
            ? "Training accuracy (measured on augmented batches while the weights change) is above the validation accuracy in every epoch."
            : $"Training accuracy is measured on augmented batches while the weights change, and it is below the validation accuracy in {lag} of {h.Count} epoch(s).";
        double tr = h[^1].TrainAccuracy, va = h[^1].ValidationAccuracy;
        double twoSe = 2 * CnnLabTraining.StandardError(va, nValid);
        string last = tr - va > twoSe
            ? $" In the last epoch it exceeds validation by {100 * (tr - va):F1} points ({Acc(tr)} vs {Acc(va)}, more than two standard errors): the network fits its training images better than new ones."
            : $" In the last epoch the two are within two standard errors or training is lower ({Acc(tr)} vs {Acc(va)}): no sign of overfitting yet.";
        return first + last;
    }

    private static string Acc(double v) => double.IsNaN(v) ? "—" : $"{100 * v:F2} %";
}
