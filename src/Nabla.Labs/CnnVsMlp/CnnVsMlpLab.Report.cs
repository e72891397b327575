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
            Two networks with the same parameter budget, trained identically: the MLP of `./nabla train mlp`
            (784-1024-1024-10, ReLU, dropout {s.Dropout} after each hidden layer) and a CNN
            conv 5×5 (1→32, padding 2) → ReLU → max-pool 2 → conv 5×5 (32→64, padding 2) → ReLU → max-pool 2 → flatten
            (64·7·7 = 3,136) → Linear(3136, 576) → ReLU → dropout {s.Dropout} → Linear(576, 10). The hidden width 576 was
            chosen so that the totals match within 0.1 %.
            """);
        report.Table(["setting", "value"],
        [
            ["data", $"first {r.TrainCount:N0} MNIST training images (standardised), {r.ValidCount:N0} validation images (standard split, end of the training file), {r.TestCount:N0} test images"],
            ["optimiser", $"SGD, Nesterov momentum {s.Momentum}, lr {s.LearningRate} with cosine decay over {s.Epochs} epochs, weight decay {s.WeightDecay}"],
            ["batch / epochs", $"{s.BatchSize} / {s.Epochs} (same shuffling and initial-weight seed for both)"],
            ["loss", "mean softmax cross-entropy (trained through `Trainer`)"],
        ]);
        report.Heading("Results");
        report.Table(["model", "parameters", "final train error", "final validation error", "best validation error", "test error", "train time (s)", "time / epoch (s)"],
            new[] { r.Mlp, r.Cnn }.Select(x => (IReadOnlyList<object>)[x.Name, x.Parameters, CnnLabTraining.Pct(x.Curves.TrainError[^1]),
                CnnLabTraining.Pct(x.Curves.ValidError[^1]), CnnLabTraining.Pct(x.Curves.ValidError.Min()), CnnLabTraining.Pct(x.TestError),
                Math.Round(x.Curves.Seconds, 1), Math.Round(x.Curves.Seconds / Math.Max(1, x.Curves.TrainError.Count), 1)]));
        report.Figure("errors.png", "Training and validation error per epoch of both models (log scale; training error measured in eval mode after each epoch; an error of 0 is drawn at 10⁻⁴)");
        report.Heading("Discussion");
        report.Paragraph(ComparisonSentence(r.Cnn.TestError, r.Mlp.TestError, r.TestCount, r.Cnn.ConvParameters, r.Cnn.Parameters));
        report.Paragraph(ComputeSentence(r.Cnn.Curves.Seconds, r.Mlp.Curves.Seconds));
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
               "in its hidden linear layer, which works on 3,136 pooled features instead of raw pixels.";
    }

    /// <summary>The training-time ratio CNN/MLP in words (a price when above 1.1, an advantage below 0.9, else a tie).</summary>
    public static string ComputeSentence(double cnnSeconds, double mlpSeconds)
    {
        double ratio = cnnSeconds / Math.Max(1e-9, mlpSeconds);
        string cost = "the CNN's forward pass costs ~25 MFLOP per image (20 of them in the second convolution) against ~3.7 MFLOP (2 per parameter) for the MLP";
        string times = $"{Sec(cnnSeconds)} vs {Sec(mlpSeconds)}";
        return ratio > 1.1
            ? $"The price is compute: the CNN took {ratio:F1}× the MLP's training time here ({times}); {cost}."
            : ratio < 0.9
                ? $"The CNN trained faster than the MLP here ({ratio:F1}× its time: {times}), although on paper it needs more arithmetic: {cost}."
                : $"Both took about the same training time here ({times}), although on paper {cost}.";
    }

    private static string Sec(double s) => s < 10 ? $"{s:F1} s" : $"{s:F0} s";
}
