using System.Globalization;
using Nabla.Models;

namespace Nabla.Labs;

public sealed partial class GanLab
{
    private LabReport Write(LabContext ctx, Settings s, int n, Gan gan, List<EpochRow> rows, double judgeError, double wallSeconds)
    {
        var o = s.Model;
        var last = rows[^1];
        var best = rows.MaxBy(r => r.Confidence)!;
        var report = new LabReport(Name, "Generative adversarial network (MLP) on MNIST");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Generator G: z ~ N(0, I_{o.NoiseSize}) → {string.Join(" → ", o.GeneratorSizes.Select(h => $"Linear {h} → LeakyReLU({o.LeakySlope})"))} →
            Linear {o.DataSize} → tanh ({gan.Generator.ParameterCount():N0} parameters). Discriminator D:
            x → {string.Join(" → ", o.DiscriminatorSizes.Select(h => $"Linear {h} → LeakyReLU({o.LeakySlope}) → Dropout({o.DiscriminatorDropout})"))} → Linear 1 = logit ℓ,
            D(x) = σ(ℓ) ({gan.Discriminator.ParameterCount():N0} parameters). Real images are scaled to [−1, 1].
            Each step (batch {s.BatchSize}) first updates D to descend L_D = −mean log D(x) − mean log(1 − D(G(z))) (i.e.
            ascend log D(x) + log(1 − D(G(z)))), written as BCE-with-logits with targets 1 and 0 on a detached G(z); then it
            updates G on a fresh z with the non-saturating loss L_G = −mean log D(G(z)) (BCE-with-logits with target 1).
            Both use Adam (lr 2e-4, β1 0.5, β2 0.999). Data: {n:N0} MNIST training images{(s.Train is null ? " (the 50,000 not held out for validation)" : " (quick mode subset)")},
            {s.Epochs} epochs.
            """));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            To put a number on "recognisable", an independent judge — a 784–256–10 ReLU MLP trained for {s.ClassifierEpochs}
            epoch(s) on the same real images (test error {judgeError:P2}) — classifies the {FixedSamples} samples of the
            fixed noise batch after each epoch. The table gives its mean max-softmax probability ("confidence") and how many
            distinct digits it sees among the {FixedSamples} (10 = all classes represented; few = mode collapse). The judge's
            labels are the captions under the samples. This is a rough proxy (a classifier can be confident on
            unnatural images), so the PNGs are the real evidence.
            """));
        report.Heading("Per-epoch results");
        report.Table(["epoch", "L_D", "L_G", "D(x)", "D(G(z))", "judge confidence", "distinct digits", "time (s)"],
            rows.Select(r => (IReadOnlyList<object>)[r.Epoch, r.LossD, r.LossG, r.RealScore, r.FakeScore, r.Confidence, r.DistinctDigits, Math.Round(r.Seconds)]));
        report.Figure("losses.png", "Mean discriminator and generator losses per epoch");
        report.Figure("losses_per_step.png", "The same losses per step (moving average of 50 steps)");
        report.Figure("scores.png", "Mean D(x) on real and D(G(z)) on generated batches, and the judge's confidence on the fixed-noise samples");
        report.Heading("Samples (the same 64 noise vectors after every epoch)");
        report.Figure("samples_epoch_00.png", "Before training");
        foreach (var r in rows) report.Figure($"samples_epoch_{r.Epoch:D2}.png", $"After epoch {r.Epoch} (captions: the judge's digit)");
        report.Heading("Discussion");
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            At the optimum of the minimax game D(x) = D(G(z)) = ½ and L_D = 2 log 2 ≈ 1.386, L_G = log 2 ≈ 0.693. After
            {last.Epoch} epochs the discriminator still tells real from fake better than chance (D(x) = {last.RealScore:F2} vs
            D(G(z)) = {last.FakeScore:F2}; L_D = {last.LossD:F2}, L_G = {last.LossG:F2}). The losses are no measure of
            sample quality: L_D went from {rows[0].LossD:F2} after epoch 1 to {last.LossD:F2} as G improved and D's task got
            harder, while the samples kept changing. The judge's confidence rose from {SamplesConfidence(rows, 1):F2} after
            epoch 1 to {last.Confidence:F2} after epoch {last.Epoch} (best {best.Confidence:F2} at epoch {best.Epoch}) with
            {last.DistinctDigits} distinct digits among the {FixedSamples} fixed-noise samples{(last.DistinctDigits >= 9 ? ", so the generator covers (nearly) all classes rather than collapsing onto a few" : ", a sign of partial mode collapse")}.
            Because z is fixed, the sample grids show each noise vector's image evolving from noisy blobs to strokes and
            then digit shapes, some of which change identity between epochs. Dropout in the discriminator matters here: an
            earlier version of this lab without it (D otherwise identical, ReLU in G) had collapsed mostly onto 1s after 8
            epochs (D(G(z)) ≈ 0.09, the judge seeing 6 distinct digits among the 64).
            {(ctx.Quick ? "Quick mode trains a tiny GAN on 2,000 images for 2 epochs: the samples are only blurry blobs; run the full lab for digits." : "")}
            Wall time {wallSeconds:F0} s on this machine.
            """));
        report.Metric("final_loss_d", last.LossD);
        report.Metric("final_loss_g", last.LossG);
        report.Metric("final_real_score", last.RealScore);
        report.Metric("final_fake_score", last.FakeScore);
        report.Metric("final_judge_confidence", last.Confidence);
        report.Metric("final_distinct_digits", last.DistinctDigits);
        report.Metric("judge_test_error", judgeError);
        report.Metric("wall_seconds", wallSeconds);
        return report;
    }

    private static double SamplesConfidence(List<EpochRow> rows, int epoch) => rows.First(r => r.Epoch == epoch).Confidence;
}
