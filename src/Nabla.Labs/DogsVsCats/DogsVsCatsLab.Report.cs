using Nabla.Plots;

namespace Nabla.Labs;

// The report of dogs-vs-cats: setup, the settings table on the hold-out, the choice tested once, curves, figures, the
// galleries' discussion and what was not tried — every interpreting sentence chosen by the rules of DogsVsCatsSays.
public sealed partial class DogsVsCatsLab
{
    public override void Report(LabReport report, DogsVsCatsSettings s, DogsVsCatsResult r)
    {
        string Pct(double v) => CnnLabTraining.Pct(v);
        var f = r.Final;
        var run = f.Run;
        var sp = run.Spec;
        int nh = r.HoldoutCount, nt = r.TestCount;
        var k = r.Classes;

        report.Paragraph($"""
            IFT6135-H2019 Assignment 1, Problem 3. The data has two folders: `train/` ({r.TrainCount + r.HoldoutCount} photos used here)
            and `validation/`. As the assignment asks, the lab splits `train/` itself into a fit set ({r.TrainCount} photos: the first
            {s.TrainPerClass} files of each class) and a hold-out ({r.HoldoutCount}: the next {s.HoldoutPerClass} of each class), on which
            every setting is compared and the choice is made. The `validation/` folder ({r.TestCount} photos) plays the part of the
            Kaggle test set: it is scored once, for the chosen setting only, and its predictions are written to `{f.SubmissionFile}`.
            """);

        report.Heading("Model and recipe");
        report.Paragraph($"""
            Base network (`DogsVsCatsCnn`): per stage conv 3×3 (pad 1) → BatchNorm2d → ReLU → max-pool 2, channels 32-64-128-128 (four
            stages), then flatten → dropout {s.Dropout} → Linear(·, 256) → ReLU → dropout {s.Dropout} → Linear(256, 2), cross-entropy
            over the classes {string.Join(", ", k)}. The chosen setting, '{sp.Key}', has {run.Parameters:N0} parameters
            ({sp.Channels.Length} stages of {string.Join("-", sp.Channels)} channels{(sp.BatchNorm ? ", batch norm" : ", no batch norm")},
            dropout {sp.Dropout}, input {sp.Size}×{sp.Size}, so the flattened width is {sp.Channels[^1]}·{sp.Size >> sp.Channels.Length}² =
            {sp.Channels[^1] * (sp.Size >> sp.Channels.Length) * (sp.Size >> sp.Channels.Length):N0}). Batch norm and dropout are Nabla's
            own implementations (the assignment allows them when implemented, not taken from a library).
            """);
        report.Table(["setting", "value"],
        [
            ["input", "photos resized to the setting's side (aspect not kept), standardised per channel with the fit set's mean/std"],
            ["augmentation (all but 'no-augmentation')", "RandomResizedCrop (area 0.6–1, aspect 3/4–4/3) → HorizontalFlip(0.5) → ColorJitter(brightness 0.2, contrast 0.2, saturation 0.2) → Normalize"],
            ["optimiser (every setting)", $"Adam lr {s.LearningRate} with cosine decay over {s.Epochs} epochs, weight decay {s.WeightDecay}, batch {s.BatchSize}, through `Trainer` — the equal budget"],
            ["model selection", "each setting's weights after its last epoch (schedule fixed in advance); the setting with the highest hold-out accuracy is chosen (ties: lower hold-out loss)"],
            ["training curves", "training loss and error re-evaluated on the whole fit set at each epoch's end, in eval mode, without augmentation; the running mean over the epoch's (augmented, dropout-active) train-mode batches is drawn beside"],
        ]);

        report.Heading("Settings compared on the hold-out");
        var baseRun = r.Runs.FirstOrDefault(x => x.Spec.Key == "base");
        report.Table(["setting", "change from the base", "input", "parameters", "fit loss", "fit error", "hold-out loss", "**hold-out accuracy**", "time"],
            r.Runs.Select((x, i) => (IReadOnlyList<object>)[
                i == r.ChosenIndex ? $"**{x.Spec.Key}** (chosen)" : x.Spec.Key, x.Spec.Key == "base" ? "—" : x.Spec.Change, $"{x.Spec.Size}×{x.Spec.Size}",
                x.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), x.FitLoss[^1], Pct(x.FitError[^1]), x.HoldoutLoss[^1],
                i == r.ChosenIndex ? $"**{Pct(x.HoldoutAccuracy)}**" : Pct(x.HoldoutAccuracy),
                $"{x.Seconds:F0} s{(x.Reused ? " (reused)" : "")}"]));
        var others = r.Runs.Where((_, i) => i != r.ChosenIndex).ToList();
        var runnerUp = others.Count == 0 ? null : others[DogsVsCatsSays.Choose(others)];
        var lines = new List<string> { DogsVsCatsSays.Lead(sp.Key, run.HoldoutAccuracy, runnerUp?.Spec.Key, runnerUp?.HoldoutAccuracy ?? double.NaN, nh) };
        if (baseRun is not null)
            foreach (var x in r.Runs.Where(x => x.Spec.Key != "base"))
                lines.Add(DogsVsCatsSays.VersusBase(x.Spec.Key, x.Spec.Change, x.HoldoutAccuracy, baseRun.HoldoutAccuracy, nh));
        if (baseRun is not null) lines.Add(DogsVsCatsSays.Fitting("base", baseRun.FitAccuracy, r.TrainCount, baseRun.HoldoutAccuracy, nh));
        var noAug = r.Runs.FirstOrDefault(x => x.Spec.Key == "no-augmentation");
        if (baseRun is not null && noAug is not null)
            lines.Add(DogsVsCatsSays.AugmentationGap(baseRun.FitAccuracy - baseRun.HoldoutAccuracy, noAug.FitAccuracy - noAug.HoldoutAccuracy, nh));
        report.Paragraph(string.Join("\n", lines.Select(l => "- " + l)));
        report.Paragraph($"One hold-out photo is {100.0 / Math.Max(1, nh):F1} points; at the chosen setting's {Pct(run.HoldoutAccuracy)} the binomial standard error is ≈ {100 * CnnLabTraining.StandardError(run.HoldoutAccuracy, nh):F1} points, so differences of a few points between settings are within noise.");
        var chart = new LineChart { Title = "Hold-out error per epoch, every setting", XLabel = "epoch", YLabel = "hold-out error", IntegerXTicks = true };
        foreach (var x in r.Runs) chart.Add(x.Spec.Key, Epochs(x.HoldoutError.Length), x.HoldoutError);
        chart.SavePng(report.PathOf("settings.png"));
        report.Figure("settings.png", "Hold-out error after each epoch for every compared setting (eval mode)");

        report.Heading("The choice, scored once on the test split");
        report.Table(["split", "photos", "accuracy"],
        [
            ["fit set (eval mode, no augmentation)", r.TrainCount, Pct(run.FitAccuracy)],
            ["hold-out (the choice was made on it)", nh, Pct(run.HoldoutAccuracy)],
            ["**test split = validation/ folder (once)**", nt, $"**{Pct(f.Accuracy)}**"],
            ["test split, mean of each photo and its mirror (flip averaging, reported beside)", nt, Pct(f.AccuracyFlip)],
        ]);
        var cm = f.Predictions.ConfusionMatrix();
        report.Paragraph($"""
            {DogsVsCatsSays.HoldoutVersusTest(run.HoldoutAccuracy, nh, f.Accuracy, nt)}
            {DogsVsCatsSays.Gap(run.FitAccuracy, r.TrainCount, f.Accuracy, nt)}
            Binomial standard error of the test figure ≈ {100 * CnnLabTraining.StandardError(f.Accuracy, nt):F1} points. Confusion
            (rows true, columns predicted): {k[0]}→{k[0]} {cm[0, 0]}, {k[0]}→{k[1]} {cm[0, 1]}, {k[1]}→{k[0]} {cm[1, 0]}, {k[1]}→{k[1]} {cm[1, 1]}.
            """);
        report.Paragraph($"""
            Predictions: `{f.SubmissionFile}` ({f.SubmissionRows} rows) in the in-class Kaggle competition's format — header `id,label`,
            label `Cat` or `Dog`. Kaggle's test photos were named by a number; here `cats/cat.2000.jpg` and `dogs/dog.2000.jpg` share
            their number, so the id is the file name without its extension (`cat.2000`), which is unique. This invocation took
            {r.Seconds / 60:F1} min{(r.Runs.Any(x => x.Reused) ? " (settings marked 'reused' were read back from runs/; their training times are in the table)" : "")}.
            """);

        report.Heading("Training and hold-out curves of the chosen setting");
        var ep = Epochs(run.FitLoss.Length);
        string running = sp.Augment ? "train (running, augmented batches)" : "train (running, batches)";
        var loss = new LineChart { Title = $"'{sp.Key}': loss", XLabel = "epoch", YLabel = "cross-entropy", IntegerXTicks = true }
            .Add("train (fit set, eval mode)", ep, run.FitLoss).Add(running, ep, run.RunningLoss).Add("hold-out", ep, run.HoldoutLoss);
        loss.SavePng(report.PathOf("curves.png"));
        var err = new LineChart { Title = $"'{sp.Key}': error", XLabel = "epoch", YLabel = "error", IntegerXTicks = true }
            .Add("train (fit set, eval mode)", ep, run.FitError).Add(running, ep, run.RunningError).Add("hold-out", ep, run.HoldoutError);
        err.SavePng(report.PathOf("curves_error.png"));
        report.Figure("curves.png", $"Loss per epoch: fit set re-evaluated at the epoch's end (eval mode, no augmentation), running mean of the epoch's {(sp.Augment ? "augmented " : "")}batches (train mode), hold-out");
        report.Figure("curves_error.png", "Error per epoch, the same three measurements");
        int minEpoch = Array.IndexOf(run.HoldoutLoss, run.HoldoutLoss.Min()) + 1;
        report.Paragraph($"""
            Over {run.FitLoss.Length} epoch(s) the fit-set loss goes from {run.FitLoss[0]:F3} to {run.FitLoss[^1]:F3} and the hold-out loss
            from {run.HoldoutLoss[0]:F3} to {run.HoldoutLoss[^1]:F3}, lowest ({run.HoldoutLoss.Min():F3}) after epoch {minEpoch}.
            {DogsVsCatsSays.RunningVersusFit(run.RunningLoss[^1], run.FitLoss[^1], sp.Augment, sp.Dropout > 0)}
            """);

        report.Heading("What the network learned");
        report.Figure("kernels.png", "The 32 first-layer 3×3 RGB kernels on one shared scale");
        report.Figure("input.png", "The test photo whose feature maps follow");
        report.Figure("feature_maps_1.png", "Feature maps after the first conv stage (each map stretched to its own range)");
        report.Figure("feature_maps_2.png", "Feature maps after the second conv stage");
        report.Figure("confusion.png", "Confusion matrix on the test split");

        report.Heading("Mistakes and 50/50 calls");
        report.Figure("misclassified.png", "Test photos misclassified with the highest confidence (true→predicted, probability)");
        report.Figure("unsure.png", "Test photos closest to a 50/50 call (true: top-1 p / top-2 p)");
        var p = f.Predictions;
        var mistakes = Enumerable.Range(0, p.Count).Where(i => p.Predicted(i) != p.Labels[i]).ToList();
        var correct = Enumerable.Range(0, p.Count).Where(i => p.Predicted(i) == p.Labels[i]).ToList();
        int confident = mistakes.Count(i => p.TopTwo(i).P1 >= 0.9f);
        var unsure = p.Unsure(16);
        int unsureCorrect = unsure.Count(i => p.Predicted(i) == p.Labels[i]);
        int belowSixty = Enumerable.Range(0, p.Count).Count(i => p.TopTwo(i).P1 < 0.6f);
        double meanConf = p.Count == 0 ? double.NaN : Enumerable.Range(0, p.Count).Average(i => (double)p.TopTwo(i).P1);
        report.Paragraph(string.Join("\n", new[]
        {
            DogsVsCatsSays.MistakeDirection(k[0], k[1], cm[0, 1], cm[1, 0]),
            DogsVsCatsSays.ConfidentMistakes(confident, mistakes.Count),
            DogsVsCatsSays.Calibration(meanConf, f.Accuracy, nt),
            DogsVsCatsSays.Unsure(unsureCorrect, unsure.Length, belowSixty, nt),
            DogsVsCatsSays.Property("brightness (mean pixel value)", "brighter", "darker", mistakes.Select(i => f.Brightness[i]).ToList(), correct.Select(i => f.Brightness[i]).ToList()),
            DogsVsCatsSays.Property("contrast (pixel standard deviation)", "higher in contrast", "lower in contrast", mistakes.Select(i => f.Contrast[i]).ToList(), correct.Select(i => f.Contrast[i]).ToList()),
        }.Select(l => "- " + l)));
        report.Paragraph($"""
            What the numbers cannot say, the galleries let a reader check by eye: whether the confident mistakes are photos where the
            animal is small in the frame, partly hidden, shares it with people or other objects, or is cut off by the squashing of a
            non-square photo to {sp.Size}×{sp.Size}; and whether the 50/50 photos are the unusual ones (odd poses, close-ups of fur,
            several animals). These are things to look for, not findings of this run.
            """);

        report.Heading("What could help that was not tried (or only measured beside)");
        var largeRun = r.Runs.FirstOrDefault(x => x.Spec.Key == "large-size");
        var lines2 = new List<string>
        {
            "Transfer learning — fine-tuning a network pretrained on ImageNet is the usual large step on this task, but the assignment forbids external data sources, and a pretrained network is one; it was not tried.",
            $"More data — {r.TrainCount} fit photos is a small fraction of the 25,000 of the original Kaggle training set; more photos is the most reliable way to narrow the gap between fit and new photos, but none beyond the given folders may be used.",
            largeRun is not null && baseRun is not null
                ? "Larger images — measured in the table: " + DogsVsCatsSays.VersusBase(largeRun.Spec.Key, largeRun.Spec.Change, largeRun.HoldoutAccuracy, baseRun.HoldoutAccuracy, nh)
                : "Larger images — not in this run's comparison.",
            "Test-time augmentation — " + DogsVsCatsSays.Beside("flip averaging of the chosen model", f.AccuracyFlip, f.Accuracy, nt, "test split (reported beside, not used for the choice)"),
            r.Runs.Count > 1
                ? "Ensembling — " + DogsVsCatsSays.Beside($"the mean of the {r.Runs.Count} settings' probabilities", r.EnsembleHoldoutAccuracy, run.HoldoutAccuracy, nh, "hold-out against the chosen setting (not tested)")
                : "Ensembling — needs more than one trained model; not tried.",
            "Longer training, stronger regularisation (cutout, mixup), residual connections or a wider network, and a learning-rate range test were not tried within the equal budget.",
        };
        report.Paragraph(string.Join("\n", lines2.Select(l => "- " + l)));

        report.Metric("test_accuracy", f.Accuracy);
        report.Metric("test_accuracy_flip_tta", f.AccuracyFlip);
        report.Metric("holdout_accuracy_chosen", run.HoldoutAccuracy);
        report.Metric("fit_accuracy_chosen", run.FitAccuracy);
        report.Metric("chosen_index", r.ChosenIndex);
        foreach (var x in r.Runs) report.Metric("holdout_accuracy_" + x.Spec.Key.Replace('-', '_'), x.HoldoutAccuracy);
        report.Metric("ensemble_holdout_accuracy", r.EnsembleHoldoutAccuracy);
        report.Metric("settings", r.Runs.Count);
        report.Metric("epochs", run.FitLoss.Length);
        report.Metric("test_images", nt);
        report.Metric("holdout_images", nh);
        report.Metric("fit_images", r.TrainCount);
        report.Metric("predictions_rows", f.SubmissionRows);
        report.Metric("parameters", run.Parameters);
        report.Metric("seconds", r.Seconds);
    }

    private static double[] Epochs(int n) => Enumerable.Range(1, n).Select(e => (double)e).ToArray();
}
