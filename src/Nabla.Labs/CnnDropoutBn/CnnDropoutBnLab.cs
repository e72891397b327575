using Nabla.Models;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// The configurable CNN with batch normalisation after each convolution and dropout before the classifier, on MNIST;
/// the dropout rate is chosen by validation error among a few values, then the chosen model is examined: first-layer
/// kernels, feature maps of both conv stages for one test image, confusion matrix, galleries of clearly
/// misclassified and of unsure test images.
/// </summary>
public sealed class CnnDropoutBnLab : ILab
{
    public string Name => "cnn-dropout-bn";

    public string Description => "CNN with BatchNorm and dropout on MNIST: dropout chosen on validation, kernels, feature maps, confusion matrix, galleries";

    private sealed record Settings(int Train, int Valid, int Test, int Epochs, int BatchSize, double LearningRate, double Momentum, double[] Rates);

    private sealed record RateRun(double Rate, Sequential Model, EpochCurves Curves);

    public LabResult Run(LabContext ctx)
    {
        var s = ctx.Quick
            ? new Settings(1500, 500, 500, 1, 64, 0.01, 0.9, [0.0, 0.5])
            : new Settings(10_000, 10_000, 10_000, 5, 64, 0.01, 0.9, [0.0, 0.25, 0.5]);
        var report = new LabReport(Name, "CNN with batch normalisation and dropout on MNIST");
        ctx.Out.WriteLine("loading MNIST");
        var d = CnnLabTraining.LoadMnist(ctx, s.Train, s.Valid, s.Test);
        var baseOptions = new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true, MaxPooling: true, BatchNorm: true);

        // 1. One model per dropout rate, same initial weights and data order; pick the lowest final validation error.
        var runs = new List<RateRun>();
        foreach (double rate in s.Rates)
        {
            var model = Cnn.Create(baseOptions with { Dropout = rate }, new Generator(ctx.Seed + 21));
            var opt = new Sgd(model.Parameters(), new SgdOptions(s.LearningRate, s.Momentum, WeightDecay: 5e-4));
            var sched = new CosineAnnealingLR(opt, s.Epochs);
            runs.Add(new RateRun(rate, model, CnnLabTraining.Train(model, opt, sched, d, s.Epochs, s.BatchSize, ctx.Seed + 7, ctx.Out, $"p={rate}")));
        }
        var best = runs.MinBy(r => r.Curves.ValidError[^1])!;
        var chosen = best.Model;
        var predictions = Visualize.Predict(chosen, d.XTest, d.YTest);
        double testError = predictions.Error;
        ctx.Out.WriteLine($"  chosen dropout {best.Rate}: test error {testError:P2}");

        // 2. Figures of the chosen model.
        var sweep = new LineChart { Title = "Validation error per epoch by dropout rate", XLabel = "epoch", YLabel = "validation error", LogY = true, IntegerXTicks = true };
        var epochs = Enumerable.Range(1, s.Epochs).Select(e => (double)e).ToArray();
        foreach (var r in runs) sweep.Add($"p = {r.Rate}", epochs, r.Curves.ValidError.Select(v => Math.Max(v, 1e-4)).ToArray());
        sweep.SavePng(ctx.PathOf("dropout_sweep.png"));

        var convs = chosen.Layers.OfType<Conv2d>().ToList();
        var relus = chosen.Layers.OfType<ReLU>().ToList();
        Visualize.Kernels(ctx.PathOf("kernels.png"), convs[0]);
        int sample = 0;
        var image = d.XTest.Select(0, sample);
        string caption = $"test image {sample} (label {predictions.Labels[sample]}, predicted {predictions.Predicted(sample)})";
        Visualize.Gallery(ctx.PathOf("input.png"), d.XTest, predictions, [sample], "input");
        Visualize.SaveFeatureMaps(ctx.PathOf("feature_maps_1.png"), chosen, relus[0], image, $"conv1 → BN → ReLU, 28×28: {caption}");
        Visualize.SaveFeatureMaps(ctx.PathOf("feature_maps_2.png"), chosen, relus[1], image, $"conv2 → BN → ReLU, 14×14: {caption}");
        Visualize.ConfusionMatrix(ctx.PathOf("confusion.png"), predictions, $"Test confusion matrix (dropout {best.Rate}, error {testError:P2})");
        var wrong = predictions.ClearlyMisclassified(16);
        var unsure = predictions.Unsure(16);
        Visualize.Gallery(ctx.PathOf("misclassified.png"), d.XTest, predictions, wrong, "Most confident mistakes (true→predicted probability)");
        Visualize.Gallery(ctx.PathOf("unsure.png"), d.XTest, predictions, unsure, "Least sure (true: top-1 p / top-2 p)", showSecond: true);

        // 3. Report.
        report.Paragraph($"""
            Model: `Cnn.Create(new CnnOptions(ConvKernelSize: 5, PoolingKernelSize: 2, StrideSize: 1, ZeroPadding: true,
            MaxPooling: true, BatchNorm: true, Dropout: p))`, i.e. conv 5×5 (1→16, same) → BatchNorm2d → ReLU → max-pool 2 →
            conv 5×5 (16→32, same) → BatchNorm2d → ReLU → max-pool 2 → flatten (1,568) → dropout p → Linear(1568, 10);
            {chosen.ParameterCount():N0} parameters (BatchNorm adds a scale and a shift per channel, 96 in all).
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"first {s.Train:N0} MNIST training images (standardised), {s.Valid:N0} validation images of the standard split, {s.Test:N0} test images{(ctx.Quick ? " — quick mode" : "")}"],
            ["optimiser", $"SGD momentum {s.Momentum}, lr {s.LearningRate} with cosine decay over {s.Epochs} epochs, weight decay 5e-4, batch {s.BatchSize}"],
            ["dropout rates tried", string.Join(", ", s.Rates)],
            ["selection", "lowest validation error after the last epoch (the test set is used only for the chosen model)"],
        ]);
        report.Heading("Dropout sweep");
        report.Table(["dropout", "final train error", "final validation error", "train time (s)"],
            runs.Select(r => (IReadOnlyList<object>)[r.Rate, CnnLabTraining.Pct(r.Curves.TrainError[^1]), CnnLabTraining.Pct(r.Curves.ValidError[^1]), Math.Round(r.Curves.Seconds, 1)]));
        report.Figure("dropout_sweep.png", "Validation error per epoch for each dropout rate (log scale)");
        report.Paragraph($"Chosen rate: **{best.Rate}**; its test error is **{testError:P2}** on {predictions.Count:N0} test images.");
        report.Heading("What the network learned");
        report.Figure("kernels.png", "The 16 first-layer 5×5 kernels on one shared scale (black = most negative weight, white = most positive)");
        report.Figure("input.png", "The test image whose feature maps follow");
        report.Figure("feature_maps_1.png", "Feature maps after the first conv → BN → ReLU (each map stretched to its own range)");
        report.Figure("feature_maps_2.png", "Feature maps after the second conv → BN → ReLU");
        report.Figure("confusion.png", "Confusion matrix on the test images (rows: true digit, columns: predicted)");
        report.Figure("misclassified.png", "Test images misclassified with the highest confidence (caption: true→predicted and its probability)");
        report.Figure("unsure.png", "Test images with the smallest gap between the two most probable classes (caption: true: top-1 p / top-2 p)");
        var cm = predictions.ConfusionMatrix();
        var (ti, pj, n) = Enumerable.Range(0, 10).SelectMany(i => Enumerable.Range(0, 10).Where(j => j != i).Select(j => (i, j, cm[i, j]))).MaxBy(t => t.Item3);
        report.Heading("Discussion");
        report.Paragraph(ctx.Quick
            ? "Quick mode (one epoch on 1,500 images) only exercises the code path; the numbers are not meaningful."
            : $"""
               With batch normalisation after each convolution the network reaches {CnnLabTraining.Pct(best.Curves.ValidError[^1])}
               validation error after {s.Epochs} epochs on only {s.Train:N0} images (no run without BN was made, so this lab
               does not isolate BN's own effect). Dropout acts only on the
               1,568 features fed to the classifier; the validation errors of the rates tried differ by
               {100 * (runs.Max(r => r.Curves.ValidError[^1]) - runs.Min(r => r.Curves.ValidError[^1])):F2} points, which with
               {s.Valid:N0} validation images (one image = 0.01 point) is {(runs.Max(r => r.Curves.ValidError[^1]) - runs.Min(r => r.Curves.ValidError[^1]) < 0.003 ? "within noise, so the choice is weak" : "a visible but small effect")}.
               The most frequent confusion is a true {ti} predicted as {pj} ({n} times). The kernels figure shows the sixteen 5×5 filters of the first layer (after
               so little training they are still partly noisy); the first-stage feature maps keep the digit's shape with
               different strokes or edge directions highlighted, the second-stage maps are coarser (14×14) and respond to
               parts of strokes. The gallery of confident mistakes separates systematic errors (several images of one
               writing style the small training subset rarely shows, e.g. crossed sevens) from isolated sloppy digits; the
               unsure gallery shows digits between two plausible readings. Runs were kept small
               ({s.Train:N0} training images, {s.Epochs} epochs per rate) because the machine is shared.
               """);
        foreach (var r in runs) report.Metric($"valid_error_p{r.Rate}", r.Curves.ValidError[^1]);
        report.Metric("chosen_dropout", best.Rate);
        report.Metric("test_error", testError);
        report.Metric("parameters", chosen.ParameterCount());
        return report.Save(ctx);
    }
}
