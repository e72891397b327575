using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

// The report of cnn-dropout-bn: setup, the sweep table and figure, the chosen model's figures and a discussion whose
// claims are chosen by the rules below from the validation errors.
public sealed partial class CnnDropoutBnLab
{
    public override void Report(LabReport report, CnnDropoutBnSettings s, CnnDropoutBnResult r)
    {
        var sweep = new LineChart { Title = "Validation error per epoch by dropout rate", XLabel = "epoch", YLabel = "validation error", LogY = true, IntegerXTicks = true };
        foreach (var run in r.Runs)
            sweep.Add($"p = {run.Rate.ToString(CultureInfo.InvariantCulture)}", Enumerable.Range(1, run.Curves.ValidError.Count).Select(e => (double)e).ToArray(),
                run.Curves.ValidError.Select(v => Math.Max(v, 1e-4)).ToArray());
        sweep.SavePng(report.PathOf("dropout_sweep.png"));

        report.Paragraph($"""
            Model: `Cnn.Create(new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true,
            MaxPooling: true, BatchNorm: true, Dropout: p))`, i.e. conv 5×5 (1→16, same) → BatchNorm2d → ReLU → max-pool 2 →
            conv 5×5 (16→32, same) → BatchNorm2d → ReLU → max-pool 2 → flatten (1,568) → dropout p → Linear(1568, 10);
            {r.Parameters:N0} parameters (BatchNorm adds a scale and a shift per channel, 96 in all).
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"first {r.TrainCount:N0} MNIST training images (standardised), {r.ValidCount:N0} validation images of the standard split, {r.TestCount:N0} test images"],
            ["optimiser", $"SGD momentum {s.Momentum}, lr {s.LearningRate} with cosine decay over {s.Epochs} epochs, weight decay {s.WeightDecay}, batch {s.BatchSize} (through `Trainer`)"],
            ["dropout rates tried", string.Join(", ", s.DropoutRates.Select(p => p.ToString(CultureInfo.InvariantCulture)))],
            ["selection", "lowest validation error after the last epoch (the test set is used only for the chosen model)"],
        ]);
        report.Heading("Dropout sweep");
        report.Table(["dropout", "final train error", "final validation error", "train time (s)"],
            r.Runs.Select(x => (IReadOnlyList<object>)[x.Rate, CnnLabTraining.Pct(x.Curves.TrainError[^1]), CnnLabTraining.Pct(x.Curves.ValidError[^1]), Math.Round(x.Curves.Seconds, 1)]));
        report.Figure("dropout_sweep.png", "Validation error per epoch for each dropout rate (log scale)");
        report.Paragraph($"Chosen rate: **{r.ChosenRate.ToString(CultureInfo.InvariantCulture)}**; its test error is **{r.TestError:P2}** on {r.TestCount:N0} test images.");
        report.Heading("What the network learned");
        report.Figure("kernels.png", "The 16 first-layer 5×5 kernels on one shared scale (black = most negative weight, white = most positive)");
        report.Figure("input.png", "The test image whose feature maps follow");
        report.Figure("feature_maps_1.png", "Feature maps after the first conv → BN → ReLU (each map stretched to its own range)");
        report.Figure("feature_maps_2.png", "Feature maps after the second conv → BN → ReLU");
        report.Figure("confusion.png", "Confusion matrix on the test images (rows: true digit, columns: predicted)");
        report.Figure("misclassified.png", "Test images misclassified with the highest confidence (caption: true→predicted and its probability)");
        report.Figure("unsure.png", "Test images with the smallest gap between the two most probable classes (caption: true: top-1 p / top-2 p)");
        var chosen = r.Runs.First(x => x.Rate == r.ChosenRate);
        string[] digits = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        report.Heading("Discussion");
        report.Paragraph($"""
            With batch normalisation after each convolution the chosen network reaches {CnnLabTraining.Pct(chosen.Curves.ValidError[^1])}
            validation error after {s.Epochs} epoch(s) on {r.TrainCount:N0} images (no run without BN was made, so this lab does
            not isolate BN's own effect). Dropout acts only on the 1,568 features fed to the classifier.
            {SpreadSentence(r.Runs.Select(x => x.Curves.ValidError[^1]).ToList(), r.ValidCount)}
            {CnnLabTraining.ConfusionSentence(r.TopConfusion, digits)}
            """);
        report.Paragraph("""
            What to look for in the figures: the kernels figure shows the sixteen 5×5 filters of the first layer; the
            first-stage feature maps (28×28) can be compared with the input digit to see which strokes or edge directions
            each filter responds to, the second-stage maps are coarser (14×14). The gallery of confident mistakes separates
            systematic errors (several images of one writing style) from isolated sloppy digits; the unsure gallery shows
            digits between two plausible readings.
            """);
        foreach (var x in r.Runs) report.Metric($"valid_error_p{x.Rate.ToString(CultureInfo.InvariantCulture)}", x.Curves.ValidError[^1]);
        report.Metric("chosen_dropout", r.ChosenRate);
        report.Metric("test_error", r.TestError);
        report.Metric("parameters", r.Parameters);
    }

    /// <summary>How far apart the rates' final validation errors are, and whether that spread exceeds the binomial noise
    /// of <paramref name="n"/> validation images (then the choice means something; else it is weak).</summary>
    public static string SpreadSentence(IReadOnlyList<double> validErrors, int n)
    {
        if (validErrors.Count < 2) return "Only one rate was tried, so nothing was chosen.";
        double lo = validErrors.Min(), hi = validErrors.Max();
        string spread = $"The validation errors of the rates tried differ by {100 * (hi - lo):F2} points (one image = {100.0 / Math.Max(1, n):G2} point{(n == 100 ? "" : "s")} with {n:N0} validation images)";
        return CnnLabTraining.ClearlyDifferent(lo, n, hi, n)
            ? spread + ", more than two binomial standard errors: a visible effect of the rate."
            : spread + ", within two binomial standard errors: within noise, so the choice is weak.";
    }
}
