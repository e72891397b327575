using Nabla.Data;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Labs;

// The report of the CIFAR-10 labs: setup, per-epoch table, figures and an honest discussion. Every result line
// carries the data set's display name ("CIFAR-10 (JPEG copy)" for the lossy copy).
public abstract partial class Cifar10Lab
{
    private LabReport WriteReport(LabContext ctx, Settings s, Cifar10Splits data, Sequential model, IReadOnlyList<EpochRecord> h,
        FitResult fit, Predictions p, Predictions flipped, FigureSet f, bool resumed, double loadSeconds, double wallSeconds)
    {
        string dn = data.DisplayName;
        double testAcc = 1 - p.Error;
        double trainSeconds = h.Sum(e => e.Seconds);
        double ips = h.Count == 0 ? double.NaN : h.Sum(e => e.SamplesPerSecond * e.Seconds) / Math.Max(trainSeconds, 1e-9);
        // Expected wall time of the full recipe (45k images × the recipe's epochs) at the measured (or benchmark) throughput.
        double rate = double.IsFinite(ips) && ips > 0 ? ips : BenchmarkImagesPerSecond;
        double fullHours = 45_000.0 * recipe.Epochs / rate / 3600;
        var first = model.NamedModules().Select(m => m.Module).OfType<Conv2d>().First();
        var report = new LabReport(Name, $"{recipe.DisplayName} on {dn}");
        report.Paragraph($"""
            All numbers below are measured on **{dn}** read from `{data.Path}`{(data.Format == Cifar10Format.Jpeg
                ? " — a lossy JPEG export of CIFAR-10 (exact labels, pixels off by about 6/255), so accuracies are not directly comparable with published CIFAR-10 figures"
                : "")}.
            Model: {(s.Model == "resnet9"
                ? $"`ResNet9.Create(new ResNet9Options(Width: {s.Width}))`, the layout of the fast CIFAR-10 training recipes (Myrtle.ai / D. Page): prep conv3×3({s.Width})-BN-ReLU → conv3×3({2 * s.Width})-BN-ReLU-pool → residual block({2 * s.Width}) → conv3×3({4 * s.Width})-BN-ReLU-pool → conv3×3({8 * s.Width})-BN-ReLU-pool → residual block({8 * s.Width}) → global max-pool → Linear({8 * s.Width}, 10) → ×0.125"
                : "`Vgg.Vgg11()`: eight 3×3 convolutions (64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M), each followed by BatchNorm2d and ReLU, five 2×2 max-poolings, flatten (512) → Linear(512, 10)")};
            {model.ParameterCount():N0} parameters.
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"{dn}: first {s.Train:N0} of the 45,000 training images (the last 5,000 of the training set are the validation split; {s.Valid:N0} of them used), {s.Test:N0} test images{(ctx.Quick ? " — quick mode" : s.Shortened ? " — shortened run (environment knobs)" : "")}"],
            ["preprocessing", $"per-channel standardisation with the training split's mean ({string.Join(", ", data.Mean.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}) and std ({string.Join(", ", data.Std.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))})"],
            ["augmentation", $"random crop 32 with padding 4 (zero = channel mean), horizontal flip p = 0.5{(s.Cutout > 0 ? $", cutout {s.Cutout}×{s.Cutout}" : ", no cutout")}"],
            ["optimiser", $"SGD, Nesterov momentum {s.Momentum}, weight decay {s.WeightDecay}, batch {s.BatchSize}"],
            ["schedule", $"one-cycle (cosine) per batch: max lr {s.MaxLr}, from {s.MaxLr / 25:G3} up over 30 % of {s.Epochs} epoch(s), down to {s.MaxLr / 25 / 1e4:G3}"],
            ["loss", s.LabelSmoothing > 0 ? $"cross-entropy with label smoothing {s.LabelSmoothing}" : "cross-entropy (no label smoothing; NABLA_CIFAR_SMOOTHING=0.1 turns it on)"],
            ["checkpoint", $"`checkpoint.npz` in the output folder after every epoch{(resumed ? "; this run resumed from it" : "")}; rerun with the same --out to resume"],
        ]);
        report.Heading("Training");
        report.Table(["epoch", "train loss", "train acc", "valid loss", "valid acc", "lr at start", "seconds", "img/s"],
            h.Select(e => (IReadOnlyList<object>)[e.Epoch, Math.Round(e.TrainLoss, 4), Acc(e.TrainAccuracy),
                Math.Round(e.ValidationLoss, 4), Acc(e.ValidationAccuracy), e.LearningRate.ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
                Math.Round(e.Seconds, 1), Math.Round(e.SamplesPerSecond, 0)]));
        report.Figure("curves.png", $"Loss and accuracy per epoch, train (augmented batches, running mean) vs validation ({dn})");
        report.Heading("Test");
        report.Paragraph($"Test accuracy: **{testAcc:P2}** on {p.Count:N0} test images of **{dn}** (one pass, after training; {fit.StopReason}). " +
            $"With test-time flip averaging (mean of the probabilities for each image and its mirror): {1 - flipped.Error:P2}. " +
            "The single-view figure is the headline; the other is reported beside it.");
        report.Figure("confusion.png", $"Confusion matrix on the test images of {dn} (rows: true class, columns: predicted)");
        report.Figure("misclassified.png", $"The {f.MistakeCount} test images of {dn} misclassified with the highest confidence (caption: true→predicted and its probability)");
        report.Figure("kernels.png", $"The {first.OutChannels} first-layer 3×3 kernels as RGB patches on one shared scale");
        report.Heading("Wall time");
        report.Paragraph($"""
            Loading {dn}: {loadSeconds:F0} s; training: {trainSeconds:F0} s for {h.Count} epoch(s) ({ips:F0} images/s, augmentation included);
            whole lab: {wallSeconds:F0} s. The full recipe (45,000 images × {recipe.Epochs} epochs) needs about {fullHours:F1} h at this rate
            ({45_000 / rate:F0} s per epoch).
            Shorter runs: `NABLA_CIFAR_EPOCHS=5 NABLA_CIFAR_TRAIN=10000 ./nabla lab run {Name} --out DIR`
            (also `NABLA_CIFAR_TEST`, `NABLA_CIFAR_LR`, `NABLA_CIFAR_CUTOUT`, `NABLA_CIFAR_SMOOTHING`, `NABLA_CIFAR_WIDTH`, `NABLA_CIFAR_BATCH`; `NABLA_CIFAR_AUGMENT=0`, `NABLA_CIFAR_NESTEROV=0` for ablations).
            """);
        var (ti, pj, n) = f.TopConfusion;
        report.Heading("Discussion");
        report.Paragraph(ctx.Quick
            ? $"Quick mode ({s.Train} images, one epoch) only exercises the code path; its accuracy ({testAcc:P2} on {dn}) is not meaningful."
            : $"""
               After {h.Count} epoch(s) on {s.Train:N0} images the network reaches {Acc(h.Count > 0 ? h[^1].ValidationAccuracy : double.NaN)}
               validation and {testAcc:P2} test accuracy on {dn}. {(s.Shortened
                   ? $"This is a shortened run: the recipe targets ≥ 90 % only with the full 45,000 images and {recipe.Epochs} epochs, so this number says nothing about that target."
                   : testAcc >= 0.9 ? "The recipe reaches the ≥ 90 % target." : "The recipe falls short of the ≥ 90 % target in this run.")}
               The most frequent confusion is a true {data.ClassNames[ti]} predicted as {data.ClassNames[pj]} ({n} times); the
               gallery of confident mistakes shows which of them are ambiguous at 32×32 and which are plain errors.
               Training accuracy is measured on augmented batches while the weights change, so it lags the validation accuracy early on.
               """);
        report.Metric("test_accuracy", testAcc);
        report.Metric("valid_accuracy", h.Count > 0 ? h[^1].ValidationAccuracy : double.NaN);
        report.Metric("test_accuracy_flip_tta", 1 - flipped.Error);
        report.Metric("epochs", h.Count);
        report.Metric("train_images", s.Train);
        report.Metric("test_images", p.Count);
        report.Metric("parameters", model.ParameterCount());
        report.Metric("images_per_second", ips);
        report.Metric("wall_seconds", wallSeconds);
        report.Metric("jpeg_copy", data.Format == Cifar10Format.Jpeg ? 1 : 0);
        return report;
    }

    private static string Acc(double v) => double.IsNaN(v) ? "—" : $"{100 * v:F2} %";
}
