using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

// The report: the network the homework prescribes (Q6.1), its test accuracy (Q6.2), the Q6.3 table with the choice
// made on validation and the one test score of that choice, the wide VGG11-BN row, and sentences chosen by the rules
// of Cifar10Vgg11Says. Every result line carries the data set's display name.
public sealed partial class Cifar10Vgg11Lab
{
    public override void Report(LabReport report, Cifar10Vgg11Settings s, Cifar10Vgg11Result r)
    {
        string dn = r.DataName;
        var inv = CultureInfo.InvariantCulture;
        int nv = r.ValidCount, nt = r.TestCount;
        var b = r.Baseline.Run;
        report.Paragraph($"""
            EECS 498/598 (UMich, Winter 2019), Homework 1, question 6. All numbers are measured on **{dn}** read from `{r.DataPath}`{(r.Jpeg
                ? " — a lossy JPEG export of CIFAR-10 (exact labels, pixels off by about 6/255), so accuracies are not directly comparable with published CIFAR-10 figures"
                : "")}. The homework builds "VGG11 as described in vgg.py's comments"; that template is not part of the assignment text here, so the
            network below follows the public copies of it: VGG11's layout at one eighth of the width, no batch normalisation, a 64→64→10 classifier,
            Adam at 1e-3 and batch 100.
            """);
        report.Heading("Q6.1 — the homework's VGG11");
        report.Paragraph($"`Vgg.Vgg11Narrow()`: 3×3 convolutions with padding 1, each followed by ReLU, max-pooling 2×2 after convolutions 1, 2, 4, 6 and 8; {b.Parameters:N0} parameters. Layer by layer for a 3×32×32 image:");
        report.Table(["layer", "output (C, H, W)", "parameters"], r.NarrowLayers.Select(l => (IReadOnlyList<object>)[l.Layer, l.Shape, l.Parameters]));
        report.Table(["setting", "value"],
        [
            ["data", $"{dn}: first {r.TrainCount:N0} of the 45,000 training images for training, {nv:N0} of the last 5,000 for validation, {nt:N0} test images"],
            ["training (the homework's)", $"Adam (β 0.9, 0.999), learning rate {s.Lr.ToString("G3", inv)} constant, batch {s.BatchSize}, cross-entropy, no weight decay, {s.Epochs} epoch(s); per-channel standardisation with the training split's mean ({string.Join(", ", r.Mean.Select(v => v.ToString("F3", inv)))}) and std ({string.Join(", ", r.Std.Select(v => v.ToString("F3", inv)))})"],
            ["seed", "every run starts from the same initial weights for its architecture and sees the same batch order"],
        ]);

        report.Heading("Q6.2 — test accuracy");
        var rows = new List<IReadOnlyList<object>>
        {
            new object[] { "narrow VGG11 as the homework prescribes (baseline)", b.Parameters, $"{b.History.Count}", Pct(b.ValidAccuracy), $"**{Pct(r.Baseline.TestAccuracy)}**" },
        };
        if (!ReferenceEquals(r.Final, r.Baseline))
            rows.Add(new object[] { $"narrow VGG11, the Q6.3 choice: {Cifar10Vgg11Says.Describe(r.Choice)}", r.Final.Run.Parameters, $"{r.Final.Run.History.Count}", Pct(r.Final.Run.ValidAccuracy), $"**{Pct(r.Final.TestAccuracy)}**" });
        if (r.Wide is { } w)
            rows.Add(new object[] { "wide VGG11-BN (64–512 channels, BatchNorm, Linear(512, 10)); its own recipe: SGD Nesterov 0.9, wd 5e-4, one-cycle peak 0.1, batch 128, crop + flip", w.Run.Parameters, $"{w.Run.History.Count}", Pct(w.Run.ValidAccuracy), $"**{Pct(w.TestAccuracy)}**" });
        report.Table(["model", "parameters", "epochs", $"valid acc ({nv:N0})", $"test acc ({nt:N0}, {dn})"], rows);
        report.Paragraph($"""
            The test set is read only by the models in this table, each scored in one pass after its training: the homework's network as prescribed
            (fixed before any experiment — Q6.2's answer), the final choice of Q6.3 (chosen on validation accuracy alone, scored **once**), and the wide
            VGG11-BN row. No ablation variant is scored on the test set and no choice looks at a test number.
            {(r.Wide is null ? "The wide VGG11-BN row was left out of this run (`wide-epochs` = 0)." : "")}
            """);

        report.Heading("Q6.3 — one factor at a time");
        report.Paragraph($"""
            Baseline: the homework's network and training ({Cifar10Vgg11Says.Describe(s.Baseline)}). Each row changes one factor and trains
            from the same initial weights for the same {s.Epochs} epoch(s) on the same {r.TrainCount:N0} images; the choice for each factor is the level with the
            best validation accuracy after the last epoch (ties keep the baseline), and the final choice combines them. SGD + momentum uses rate
            {s.SgdLr.ToString("G3", inv)} and momentum {s.Momentum.ToString("G3", inv)}; "step" multiplies the rate by 0.1 after {VggLabRunner.StepEpoch(s.Epochs)} of
            {s.Epochs} epochs; one-cycle rises from peak/25 to a peak of {s.OneCycleFactor.ToString("G3", inv)}× the base rate over 30 % of the steps, then
            anneals (cosine) to peak/25/10⁴; augmentation is a random 32×32 crop of the image padded by 4 (padding = channel mean) plus a horizontal flip with p = 0.5.
            The 2 s.e. column is two binomial standard errors of a validation accuracy on {nv:N0} images.
            """);
        var table = new List<IReadOnlyList<object>>();
        foreach (var (factor, _) in Cifar10Vgg11Settings.Levels)
        {
            var cands = Cifar10Vgg11Says.Candidates(factor, r.Ablation);
            var winner = Cifar10Vgg11Says.Winner(cands);
            foreach (var run in cands)
            {
                string level = Cifar10Vgg11Says.LevelName(run.Spec.Level(factor));
                table.Add(new object[]
                {
                    Cifar10Vgg11Says.FactorName(factor), run.Factor is null ? $"{level} (baseline)" : level, run.Key,
                    Pct(run.TrainAccuracy), Pct(run.ValidAccuracy), $"{200 * CnnLabTraining.StandardError(run.ValidAccuracy, nv):F1}",
                    Math.Round(run.Seconds, 0), ReferenceEquals(run, winner) ? "**chosen**" : "",
                });
            }
        }
        if (!r.Ablation.Any(a => a.Spec == r.Choice))
        {
            var f = r.Final.Run;
            table.Add(new object[] { "combination", Cifar10Vgg11Says.Describe(r.Choice), f.Key, Pct(f.TrainAccuracy), Pct(f.ValidAccuracy),
                $"{200 * CnnLabTraining.StandardError(f.ValidAccuracy, nv):F1}", Math.Round(f.Seconds, 0), "final" });
        }
        report.Table(["factor", "level", "run", "train acc (last epoch)", $"valid acc ({dn})", "2 s.e. (points)", "seconds", "choice"], table);
        report.Paragraph("(The baseline run appears once per factor: it is the same run.)");
        foreach (var (factor, _) in Cifar10Vgg11Settings.Levels)
            report.Paragraph(Cifar10Vgg11Says.FactorSentence(factor, Cifar10Vgg11Says.Candidates(factor, r.Ablation), s.Baseline, nv));
        report.Paragraph($"""
            **Final choice:** {Cifar10Vgg11Says.Describe(r.Choice)}. {Cifar10Vgg11Says.CombinationSentence(s.Baseline, r.Final.Run, r.Ablation, nv)}
            Scored once on the test set: **{Pct(r.Final.TestAccuracy)}** on {nt:N0} images of {dn}
            ({Pct(r.Baseline.TestAccuracy)} for the homework's network as prescribed).
            {Cifar10Vgg11Says.TestVsValidSentence(r.Final.Run.ValidAccuracy, nv, r.Final.TestAccuracy, nt)}
            {CnnLabTraining.ConfusionSentence(r.Final.TopConfusion, r.ClassNames)}
            """);

        var chart = new LineChart { Title = $"Validation accuracy per epoch, narrow VGG11 ablation ({dn})", XLabel = "epoch", YLabel = "validation accuracy", IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerRight };
        foreach (var run in r.Ablation.Append(r.Final.Run).Distinct())
            chart.Add(run.Key, run.History.Select(e => (double)e.Epoch).ToArray(), run.History.Select(e => e.ValidationAccuracy).ToArray());
        chart.SavePng(report.PathOf("ablation.png"));
        report.Figure("ablation.png", $"Validation accuracy after each epoch of every narrow run ({dn}); the table reads the last point of each line");
        var h = r.Final.Run.History;
        TrainingCurves.Save(report.PathOf("curves.png"), h.Select(e => e.TrainLoss).ToArray(), h.Select(e => e.ValidationLoss).ToArray(),
            h.Select(e => e.TrainAccuracy).ToArray(), h.Select(e => e.ValidationAccuracy).ToArray(), $"narrow VGG11, final choice, {dn}");
        report.Figure("curves.png", $"Loss and accuracy per epoch of the final choice, train (running mean over the epoch's batches) vs validation ({dn})");
        report.Figure("confusion.png", $"Confusion matrix of the final choice on the test images of {dn} (rows: true class, columns: predicted)");

        report.Heading("Discussion");
        var parts = new List<string>
        {
            Cifar10Vgg11Says.OverfitSentence("The homework's network", b, nv),
            ReferenceEquals(r.Final, r.Baseline) ? "" : Cifar10Vgg11Says.OverfitSentence("The final choice", r.Final.Run, nv),
        };
        if (r.Wide is { } wide)
        {
            parts.Add(Cifar10Vgg11Says.NarrowVsWideSentence(r.Final.TestAccuracy, r.Final.Run.Parameters, wide.TestAccuracy, wide.Run.Parameters, nt));
            parts.Add($"The wide row trains {wide.Run.History.Count} epoch(s) with its own recipe (not the narrow runs' budget), in {wide.Run.Seconds / 60:F1} min against {b.Seconds / 60:F1} min for one narrow run.");
        }
        parts.Add($"""
            Each factor is judged at one budget ({s.Epochs} epoch(s)) from one seed, so a difference within two standard errors is noise; one-at-a-time
            changes miss interactions (the combination row measures the one that matters here). The question's other knobs — convolutional feature
            size and architecture — are {(r.Wide is null ? "the wide VGG11-BN row (left out of this run)" : "the wide row (eight times the channels, with batch normalisation)")} and the `cifar10-resnet9` lab.
            """);
        report.Paragraph(string.Join(" ", parts.Where(p => p.Length > 0)));
        report.Heading("Wall time and files");
        double trainSeconds = r.Ablation.Append(r.Final.Run).Distinct().Sum(x => x.Seconds) + (r.Wide?.Run.Seconds ?? 0);
        report.Paragraph($"""
            Loading {dn}: {r.LoadSeconds:F0} s; training: {trainSeconds / 60:F1} min over all runs; whole lab: {r.WallSeconds / 60:F1} min{(r.Ablation.Any(a => a.Reused) || r.Wide?.Run.Reused == true ? " (some runs were finished by an earlier invocation with the same output folder and were read back, not retrained)" : "")}.
            Each run keeps `runs/KEY/` in the output folder (checkpoint every epoch, `model.npz`, `run.json` with its history); rerunning with the same
            `--out` resumes an interrupted run and reuses finished ones whose settings match. `model.npz` in the output folder holds the final choice's
            weights alone (`numpy.load` reads it).
            """);

        report.Metric("baseline_test_accuracy", r.Baseline.TestAccuracy);
        report.Metric("baseline_valid_accuracy", b.ValidAccuracy);
        report.Metric("final_test_accuracy", r.Final.TestAccuracy);
        report.Metric("final_valid_accuracy", r.Final.Run.ValidAccuracy);
        report.Metric("wide_test_accuracy", r.Wide?.TestAccuracy ?? double.NaN);
        report.Metric("narrow_parameters", b.Parameters);
        report.Metric("wide_parameters", r.Wide?.Run.Parameters ?? double.NaN);
        report.Metric("ablation_runs", r.Ablation.Count);
        report.Metric("epochs", s.Epochs);
        report.Metric("train_images", r.TrainCount);
        report.Metric("valid_images", nv);
        report.Metric("test_images", nt);
        report.Metric("wall_seconds", r.WallSeconds);
        report.Metric("jpeg_copy", r.Jpeg ? 1 : 0);
    }

    private static string Pct(double v) => CnnLabTraining.Pct(v);
}
