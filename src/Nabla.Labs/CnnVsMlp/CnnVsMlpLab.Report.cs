using Nabla.Plots;

namespace Nabla.Labs;

// The report of cnn-vs-mlp: setup, results table, the error figure and a discussion whose claims are chosen by the
// rules below from the measured errors and times.
public sealed partial class CnnVsMlpLab
{
    public override void Report(LabReport report, CnnVsMlpSettings s, CnnVsMlpResult r)
    {
        var chart = new LineChart { Title = "MNIST: CNN vs MLP (same parameter budget)", XLabel = "epoch", YLabel = "error (fraction misclassified)", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        foreach (var run in new[] { r.Mlp, r.Cnn })
        {
            var epochs = Enumerable.Range(1, run.Curves.TrainError.Count).Select(e => (double)e).ToArray();
            chart.Add($"{run.Name} train", epochs, run.Curves.TrainError.Select(v => Math.Max(v, 1e-4)).ToArray())
                 .Add($"{run.Name} validation", epochs, run.Curves.ValidError.Select(v => Math.Max(v, 1e-4)).ToArray());
        }
        chart.SavePng(report.PathOf("errors.png"));

        report.Paragraph($"""
            IFT6135 Problem 2: a CNN with about as many parameters as Problem 1's MLP, both trained identically for
            {s.Epochs} epoch(s). The MLP is Problem 1's as `mlp-init` builds it: 784-512-512-10 with ReLU
            ({r.Mlp.Parameters:N0} parameters = 784·512 + 512 + 512·512 + 512 + 512·10 + 10), here with dropout {s.Dropout} after each
            hidden layer. The CNN: conv 5×5 (1→{Conv1Channels}, padding 2) → ReLU → max-pool 2 → conv 5×5 ({Conv1Channels}→{Conv2Channels}, padding 2) → ReLU →
            max-pool 2 → flatten ({Conv2Channels}·7·7 = {Flattened:N0}) → Linear({Flattened}, {CnnHidden}) → ReLU → dropout {s.Dropout} → Linear({CnnHidden}, 10):
            {r.Cnn.Parameters:N0} parameters ({r.Cnn.ConvParameters:N0} in the convolutions, {Flattened * CnnHidden + CnnHidden:N0} + {CnnHidden * 10 + 10:N0} in the linear
            layers). The hidden width {CnnHidden} is the one that brings the total closest to the MLP's; {ParameterMatchSays(r.Cnn.Parameters, r.Mlp.Parameters)}
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"{(r.TrainCount == 50_000 ? "all 50,000" : $"the first {r.TrainCount:N0} of the 50,000")} MNIST training images (standardised), {r.ValidCount:N0} validation images (standard 50k/10k split, the end of the training file), {r.TestCount:N0} test images (scored once, after training)"],
            ["optimiser", $"SGD, Nesterov momentum {s.Momentum}, lr {s.LearningRate} with cosine decay over {s.Epochs} epochs, weight decay {s.WeightDecay}"],
            ["batch / epochs", $"{s.BatchSize} / {s.Epochs} (same shuffling and initial-weight seed for both)"],
            ["loss", "mean softmax cross-entropy (trained through `Trainer`)"],
        ]);
        report.Heading("Results");
        report.Table(["model", "parameters", "multiply-adds per image", "final train error", "final validation error", "best validation error", "test error", "train time (s)", "time / epoch (s)"],
            new[] { r.Mlp, r.Cnn }.Select(x => (IReadOnlyList<object>)[x.Name, x.Parameters, x.MultiplyAdds, CnnLabTraining.Pct(x.Curves.TrainError[^1]),
                CnnLabTraining.Pct(x.Curves.ValidError[^1]), CnnLabTraining.Pct(x.Curves.ValidError.Min()), CnnLabTraining.Pct(x.TestError),
                Math.Round(x.Curves.Seconds, 1), Math.Round(x.Curves.Seconds / Math.Max(1, x.Curves.TrainError.Count), 1)]));
        report.Paragraph("Error after each epoch (training error on the whole training set in eval mode, validation error on the validation split):");
        report.Table(["epoch", "MLP train", "MLP validation", "CNN train", "CNN validation"],
            Enumerable.Range(0, r.Mlp.Curves.TrainError.Count).Select(e => (IReadOnlyList<object>)[e + 1,
                CnnLabTraining.Pct(r.Mlp.Curves.TrainError[e]), CnnLabTraining.Pct(r.Mlp.Curves.ValidError[e]),
                e < r.Cnn.Curves.TrainError.Count ? CnnLabTraining.Pct(r.Cnn.Curves.TrainError[e]) : "–",
                e < r.Cnn.Curves.ValidError.Count ? CnnLabTraining.Pct(r.Cnn.Curves.ValidError[e]) : "–"]));
        report.Figure("errors.png", "Training and validation error per epoch of both models (log scale; training error measured in eval mode after each epoch; an error of 0 is drawn at 10⁻⁴)");
        report.Heading("Discussion");
        report.Paragraph(ComparisonSentence(r.Cnn.TestError, r.Mlp.TestError, r.TestCount, r.Cnn.ConvParameters, r.Cnn.Parameters));
        report.Paragraph(ComputeSentence(r.Cnn.Curves.Seconds, r.Mlp.Curves.Seconds, r.Cnn.MultiplyAdds, r.Mlp.MultiplyAdds));
        if (r.TrainCount < 50_000)
            report.Paragraph($"Only {r.TrainCount:N0} of the 50,000 training images were used to keep the run short on a shared machine; " +
                             "these errors are for that subset, not for the full training set.");
        report.Metric("mlp_parameters", r.Mlp.Parameters);
        report.Metric("cnn_parameters", r.Cnn.Parameters);
        report.Metric("mlp_test_error", r.Mlp.TestError);
        report.Metric("cnn_test_error", r.Cnn.TestError);
        report.Metric("mlp_valid_error", r.Mlp.Curves.ValidError[^1]);
        report.Metric("cnn_valid_error", r.Cnn.Curves.ValidError[^1]);
        report.Metric("mlp_seconds", r.Mlp.Curves.Seconds);
        report.Metric("cnn_seconds", r.Cnn.Curves.Seconds);
        report.Metric("mlp_multiply_adds", r.Mlp.MultiplyAdds);
        report.Metric("cnn_multiply_adds", r.Cnn.MultiplyAdds);
        report.Metric("train_images", r.TrainCount);
        for (int e = 0; e < r.Mlp.Curves.TrainError.Count; e++)
            report.Metric($"mlp_train_error_epoch{e + 1}", r.Mlp.Curves.TrainError[e]).Metric($"mlp_valid_error_epoch{e + 1}", r.Mlp.Curves.ValidError[e]);
        for (int e = 0; e < r.Cnn.Curves.TrainError.Count; e++)
            report.Metric($"cnn_train_error_epoch{e + 1}", r.Cnn.Curves.TrainError[e]).Metric($"cnn_valid_error_epoch{e + 1}", r.Cnn.Curves.ValidError[e]);
    }

    /// <summary>Which test error is lower, and whether by more than the binomial noise of <paramref name="n"/> test images;
    /// the weight-sharing explanation is given only when the CNN is clearly better.</summary>
    public static string ComparisonSentence(double cnnError, double mlpError, int n, long cnnConvParameters, long cnnParameters)
    {
        string numbers = $"With the same number of parameters the CNN reaches a test error of {CnnLabTraining.Pct(cnnError)} against the MLP's {CnnLabTraining.Pct(mlpError)}";
        if (!CnnLabTraining.ClearlyDifferent(cnnError, n, mlpError, n))
            return numbers + $": on {n:N0} test images the difference is within two binomial standard errors, so this run does not separate the two models.";
        if (cnnError > mlpError)
            return numbers + $": the MLP is clearly better in this run (more than two standard errors on {n:N0} test images), so the CNN's built-in structure did not pay off at these sizes.";
        return numbers + $", clearly lower (more than two standard errors on {n:N0} test images). The convolution layers hold only " +
               $"{cnnConvParameters:N0} of the CNN's {cnnParameters:N0} parameters, but each is reused at every image position and sees local " +
               "neighbourhoods, which builds in translation equivariance the MLP has to learn from examples; most of the CNN's parameters sit " +
               $"in its hidden linear layer, which works on {Flattened:N0} pooled features instead of raw pixels.";
    }

    /// <summary>Whether the CNN's parameter count is within ±10 % of the MLP's (the "about as many" the problem asks for).</summary>
    public static string ParameterMatchSays(long cnn, long mlp)
    {
        double rel = (double)(cnn - mlp) / mlp;
        string diff = $"{cnn - mlp:+#,0;−#,0;0} parameters ({100 * rel:+0.00;−0.00;0} %)";
        return Math.Abs(rel) <= 0.10
            ? $"the CNN has {diff} against the MLP, within the ±10 % that \"about as many parameters\" allows."
            : $"the CNN has {diff} against the MLP, outside ±10 %: the two are not of comparable size.";
    }

    /// <summary>The training-time ratio CNN/MLP in words (a price when above 1.1, an advantage below 0.9, else a tie),
    /// with the two forward passes' multiply-adds per image.</summary>
    public static string ComputeSentence(double cnnSeconds, double mlpSeconds, long cnnMacs, long mlpMacs)
    {
        double ratio = cnnSeconds / Math.Max(1e-9, mlpSeconds);
        string cost = $"the CNN's forward pass costs {cnnMacs / 1e6:0.0} M multiply-adds per image against {mlpMacs / 1e6:0.00} M for the MLP ({(double)cnnMacs / Math.Max(1, mlpMacs):0}×): " +
                      "each convolution weight is used at every position of its feature map, each MLP weight once";
        string times = $"{Sec(cnnSeconds)} vs {Sec(mlpSeconds)}";
        return ratio > 1.1
            ? $"The price is compute: the CNN took {ratio:F1}× the MLP's training time here ({times}); {cost}."
            : ratio < 0.9
                ? $"The CNN trained faster than the MLP here ({ratio:F1}× its time: {times}), although on paper it needs more arithmetic: {cost}."
                : $"Both took about the same training time here ({times}), although on paper {cost}.";
    }

    private static string Sec(double s) => s < 10 ? $"{s:F1} s" : $"{s:F0} s";
}
