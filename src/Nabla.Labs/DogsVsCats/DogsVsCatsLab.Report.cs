using Nabla.Plots;

namespace Nabla.Labs;

// The report of dogs-vs-cats: model and setup (with the history of how the image size and the model selection were
// chosen), results, figures, and a discussion whose claims are chosen by the rules below from the accuracies.
public sealed partial class DogsVsCatsLab
{
    /// <summary>The image size the README's runs chose, and the validation accuracies of the full runs that chose it.</summary>
    public const int ChosenSize = 96;

    public override void Report(LabReport report, DogsVsCatsSettings s, DogsVsCatsResult r)
    {
        var c = r.Curves;
        var epochs = Enumerable.Range(1, c.TrainLoss.Count).Select(e => (double)e).ToArray();
        TrainingCurves.Save(report.PathOf("curves.png"), c.TrainLoss, null, c.TrainError.Select(e => 1 - e).ToList(),
            c.ValidError.Select(e => 1 - e).ToList(), "Dogs vs Cats (validation = hold-out)", epochs: epochs);
        string Pct(double v) => CnnLabTraining.Pct(v);
        int best = c.BestEpoch;

        report.Paragraph($"""
            Model: `DogsVsCatsCnn.Create(new DogsVsCatsCnnOptions(ImageSize: {s.Size}, Dropout: {s.Dropout}))`: four stages of
            conv 3×3 (pad 1) → BatchNorm2d → ReLU → max-pool 2 with 32, 64, 128, 128 channels, then flatten ({r.FlatWidth:N0}) →
            dropout {s.Dropout} → Linear({r.FlatWidth}, 256) → ReLU → dropout {s.Dropout} → Linear(256, 2); {r.Parameters:N0} parameters.
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"{r.Directory}: train/ split per class into the first {s.TrainPerClass} files (fit, {r.TrainCount} images) and the next {s.HoldoutPerClass} (hold-out, {r.HoldoutCount}); validation/ ({r.ValidCount} images) scored once at the end"],
            ["input", $"photos resized to {s.Size}×{s.Size} (aspect not kept), standardised per channel with the fit set's mean/std"],
            ["augmentation", "RandomResizedCrop (area 0.6–1, aspect 3/4–4/3) → HorizontalFlip(0.5) → ColorJitter(brightness 0.2, contrast 0.2, saturation 0.2) → Normalize"],
            ["optimiser", $"Adam lr {s.LearningRate} with cosine decay over {s.Epochs} epochs, weight decay {s.WeightDecay}, batch {s.BatchSize} (through `Trainer`)"],
            ["model selection", "the last epoch's weights (schedule fixed in advance); the hold-out is only monitored — two earlier full runs that restored the best hold-out epoch (24 and 50 epochs) picked noisy spikes and scored 75.2 % and 73.2 % on validation; that switch was made after seeing those two validation figures, so the final figure is not fully untouched"],
            ["image size", SizeNote(s.Size)],
        ]);
        report.Heading("Results");
        report.Table(["split", "images", "accuracy"],
        [
            ["fit (no augmentation, eval mode)", r.TrainCount, Pct(r.FitAccuracy)],
            [$"hold-out, last epoch (best was epoch {best}: {Pct(1 - c.ValidError[best - 1])})", r.HoldoutCount, Pct(1 - c.ValidError[^1])],
            ["**validation folder (final)**", r.ValidCount, $"**{Pct(r.ValidAccuracy)}**"],
            ["validation folder, mean of each photo and its mirror (test-time flip averaging, reported beside)", r.ValidCount, Pct(r.ValidAccuracyFlip)],
        ]);
        var cm = r.Confusion;
        var k = r.Classes;
        report.Paragraph($"Training took {c.Seconds:F0} s for {c.TrainLoss.Count} epochs. Confusion (rows true, columns predicted): " +
                         $"{k[0]}→{k[0]} {cm[0, 0]}, {k[0]}→{k[1]} {cm[0, 1]}, {k[1]}→{k[0]} {cm[1, 0]}, {k[1]}→{k[1]} {cm[1, 1]}.");
        report.Figure("curves.png", "Training loss, accuracy on the augmented training batches (train mode) and hold-out accuracy per epoch");
        report.Heading("What the network learned");
        report.Figure("kernels.png", "The 32 first-layer 3×3 RGB kernels on one shared scale");
        report.Figure("input.png", "The validation image whose feature maps follow");
        report.Figure("feature_maps_1.png", "Feature maps after the first conv → BN → ReLU (each map stretched to its own range)");
        report.Figure("feature_maps_2.png", "Feature maps after the second conv → BN → ReLU");
        report.Figure("confusion.png", "Confusion matrix on the validation folder");
        report.Figure("misclassified.png", "Validation photos misclassified with the highest confidence");
        report.Figure("unsure.png", "Validation photos closest to a 50/50 call");
        report.Heading("Discussion");
        double se = CnnLabTraining.StandardError(r.ValidAccuracy, r.ValidCount);
        report.Paragraph($"""
            On the {r.ValidCount} validation photos the network reaches {Pct(r.ValidAccuracy)} accuracy (binomial standard
            error ≈ {100 * se:F1} points), having seen {r.TrainCount} training photos at {s.Size}×{s.Size}.
            {GapSentence(r.FitAccuracy, r.TrainCount, r.ValidAccuracy, r.ValidCount)}
            The hold-out has only {r.HoldoutCount} images, so its per-epoch accuracy moves in steps of
            {100.0 / Math.Max(1, r.HoldoutCount):F1} points (one image).
            """);
        report.Paragraph($"""
            What to look for in the figures: at {s.Size}×{s.Size} fine detail (fur texture, ears) is partly lost; the mistakes
            gallery shows whether the confident errors are photos where the animal is small, partly hidden or shares the
            frame with people, and the 50/50 gallery which photos the network cannot decide. The first-layer kernels can be
            read as colour and edge detectors; the first feature maps can be compared with the input photo's outlines, the
            second ones are half the size.
            """);
        report.Metric("validation_accuracy", r.ValidAccuracy);
        report.Metric("validation_accuracy_flip_tta", r.ValidAccuracyFlip);
        report.Metric("holdout_accuracy_last", 1 - c.ValidError[^1]);
        report.Metric("holdout_accuracy_best", 1 - c.ValidError[best - 1]);
        report.Metric("fit_accuracy", r.FitAccuracy);
        report.Metric("best_epoch", best);
        report.Metric("train_seconds", c.Seconds);
        report.Metric("validation_images", r.ValidCount);
        report.Metric("parameters", r.Parameters);
    }

    /// <summary>The image-size row: at <see cref="ChosenSize"/> the history of that choice and its selection bias; at
    /// another size, that this run departs from it.</summary>
    public static string SizeNote(int size)
    {
        const string history = "full runs at 64, 96 and 128 scored 78.2 %, 80.2 % and 77.6 % on the validation folder (hold-out at the last epoch: 80 % at 96, 78 % at 128)";
        return size == ChosenSize
            ? $"{size}×{size} (`--set size=…`), chosen after {history} — a choice made on the validation figures, within their noise, so the {size} figure is optimistic by selection"
            : $"{size}×{size} (`--set size=…`), not the default {ChosenSize}×{ChosenSize}, which was chosen after {history}";
    }

    /// <summary>Fit accuracy (eval mode, no augmentation) against validation accuracy: clearly above (part of what was
    /// learned is specific to the training photos), clearly below, or within two binomial standard errors.</summary>
    public static string GapSentence(double fitAccuracy, int nFit, double validAccuracy, int nValid)
    {
        string numbers = $"Fit accuracy is {CnnLabTraining.Pct(fitAccuracy)} against {CnnLabTraining.Pct(validAccuracy)} on validation";
        if (!CnnLabTraining.ClearlyDifferent(fitAccuracy, nFit, validAccuracy, nValid))
            return numbers + ": the two are within two binomial standard errors, so this run shows no measurable gap between the training photos and new ones.";
        return fitAccuracy > validAccuracy
            ? numbers + $": a gap of {100 * (fitAccuracy - validAccuracy):F1} points, more than two standard errors, so part of what the network learned is specific to the training photos. " +
                        "Augmentation and dropout are meant to slow the growth of that gap; no run without them was made, so this lab does not measure their effect."
            : numbers + ": validation is clearly higher than the fit set, which is unusual (a small or unrepresentative fit set, or an easy validation subset).";
    }
}
