using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class MlpSearchLab
{
    public override void Report(LabReport report, MlpSearchSettings s, MlpSearchResult r)
    {
        var outcomes = r.Outcomes;
        report.Paragraph($"""
            **Protocol.** MNIST standardised (mean 0.1307, std 0.3081); models are trained on {r.TrainCount:N0}
            images and compared on {r.ValidationCount:N0} held-out validation images (prefixes of the standard 50k/10k split
            of the training file); the {r.TestCount:N0} test images are used once, for the selected setting only. Every
            setting is an MLP (Flatten → [Linear → activation] per hidden layer → Linear) with Glorot-uniform weights and
            zero biases, trained {s.Epochs} epoch(s) with plain mini-batch SGD on cross-entropy, same seeds everywhere.
            **Search.** One factor at a time around the baseline ({Describe(r.Baseline)}): learning rate, activation,
            hidden widths and batch size; then the best value found for each factor is combined into one more setting
            ({(r.CombinedTrained ? Describe(r.Combined) : "it coincided with a setting already tried")}).
            """);
        report.Heading("Settings and validation accuracy");
        report.Table(["#", "varies", "hidden", "activation", "lr", "batch", "parameters", $"train loss (epoch {s.Epochs})", "validation accuracy", "time (s)"],
            outcomes.Select((o, i) => (IReadOnlyList<object>)[i + 1, o.Setting.Factor, o.Setting.HiddenText, o.Setting.Activation, o.Setting.LearningRate,
                o.Setting.BatchSize, o.Parameters.ToString("N0", CultureInfo.InvariantCulture), o.TrainLoss, Pct(o.ValAccuracy), o.Seconds.ToString("F1", CultureInfo.InvariantCulture)]));
        report.Paragraph("Time is wall-clock on a 2-core machine shared with other jobs, so it reflects the load at the moment as much as the cost of the setting.");
        report.Paragraph($"**Selected:** setting #{r.BestIndex + 1} ({Describe(r.Best.Setting)}) with validation accuracy " +
                         $"{Pct(r.Best.ValAccuracy)}; its **test accuracy is {Pct(r.TestAccuracy)}** (evaluated once). Whole search: {r.SearchSeconds:F0} s.");

        var lrRuns = Sweep(outcomes, "learning rate").OrderBy(o => o.Setting.LearningRate).ToList();
        new LineChart { Title = "Learning-rate sweep (baseline otherwise)", XLabel = "learning rate (log scale)", YLabel = "validation accuracy", LogX = true, ShowLegend = false }
            .Add("validation accuracy", lrRuns.Select(o => o.Setting.LearningRate).ToArray(), lrRuns.Select(o => o.ValAccuracy).ToArray())
            .SavePng(report.PathOf("lr_sweep.png"));
        report.Figure("lr_sweep.png", "Validation accuracy against the learning rate, all else as in the baseline.");
        var h = r.BestHistory;
        TrainingCurves.Save(report.PathOf("best_curves.png"), h.Select(e => e.TrainLoss).ToArray(), h.Select(e => e.ValidationLoss).ToArray(),
            h.Select(e => e.TrainAccuracy).ToArray(), h.Select(e => e.ValidationAccuracy).ToArray(), "selected setting");
        report.Figure("best_curves.png", "Loss and accuracy per epoch of the selected setting (train vs validation).");

        report.Heading("Discussion");
        report.Paragraph(Discussion(r, s.Epochs));
        for (int i = 0; i < outcomes.Count; i++) report.Metric($"setting{i + 1}_val_accuracy", outcomes[i].ValAccuracy);
        report.Metric("best_val_accuracy", r.Best.ValAccuracy).Metric("best_test_accuracy", r.TestAccuracy)
              .Metric("settings", outcomes.Count).Metric("search_seconds", r.SearchSeconds);
    }

    /// <summary>A factor's sweep, which includes the baseline.</summary>
    private static List<SearchOutcome> Sweep(IReadOnlyList<SearchOutcome> outcomes, string factor) =>
        outcomes.Where(o => o.Setting.Factor == factor || o.Setting.Factor == "baseline").ToList();

    private static string Discussion(MlpSearchResult r, int epochs)
    {
        var outcomes = r.Outcomes;
        string List(string factor, Func<SearchSetting, string> value) => string.Join(", ", Sweep(outcomes, factor)
            .OrderBy(o => o.Setting.LearningRate).ThenBy(o => o.Setting.BatchSize).ThenBy(o => o.Parameters).Select(o => $"{value(o.Setting)} → {Pct(o.ValAccuracy)}"));
        double Spread(string factor) => 100 * (Sweep(outcomes, factor).Max(o => Score(o.ValAccuracy)) - Sweep(outcomes, factor).Min(o => Score(o.ValAccuracy)));
        string[] factors = ["learning rate", "activation", "hidden widths", "batch size"];
        string ranking = string.Join(" > ", factors.OrderByDescending(Spread).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f} ({Spread(f):F2} points)")));
        var acts = Sweep(outcomes, "activation").OrderBy(o => Score(o.ValAccuracy)).ToList();
        var batches = Sweep(outcomes, "batch size").OrderBy(o => o.Setting.BatchSize).ToList();
        var widths = Sweep(outcomes, "hidden widths");
        var lrs = Sweep(outcomes, "learning rate").OrderBy(o => o.Setting.LearningRate).Select(o => (o.Setting.LearningRate, o.ValAccuracy)).ToList();
        return $"""
            Ranked by the spread of validation accuracy within each one-factor sweep: {ranking}.
            **Learning rate** ({List("learning rate", x => x.LearningRate.ToString(CultureInfo.InvariantCulture))}):
            {SmallRateSays(lrs, epochs)}; {LearningRateSays(lrs)} **Activation** ({List("activation", x => x.Activation)}):
            {ActivationSays(acts[0].Setting.Activation)} **Hidden widths** ({List("hidden widths", x => x.HiddenText)}):
            {WidthSays(widths.Min(o => o.Parameters), widths.Max(o => o.Parameters), Spread("hidden widths"))} **Batch size**
            ({List("batch size", x => x.BatchSize.ToString(CultureInfo.InvariantCulture))}): at a fixed learning rate and epoch
            budget, a smaller batch takes more (noisier) steps per epoch; {BatchSays(batches[0].Setting.BatchSize, batches[0].ValAccuracy,
                batches[^1].Setting.BatchSize, batches[^1].ValAccuracy)}. The selected setting ({Describe(r.Best.Setting)}) reaches
            {Pct(r.Best.ValAccuracy)} on validation. Caveats: one seed per setting, so differences of a few tenths of a point are
            within seed-to-seed noise; a short budget that favours settings that learn fast; and a coordinate search that
            ignores interactions between factors beyond the one combined setting.
            """;
    }

    /// <summary>Whether the smallest learning rate lags the best one by more than a point (under-training on a short budget).</summary>
    public static string SmallRateSays(IReadOnlyList<(double Rate, double Accuracy)> sweep, int epochs)
    {
        var smallest = sweep.MinBy(p => p.Rate);
        var best = sweep.MaxBy(p => Score(p.Accuracy));
        double gap = 100 * (Score(best.Accuracy) - Score(smallest.Accuracy));
        string lr = smallest.Rate.ToString(CultureInfo.InvariantCulture);
        return gap > 1
            ? string.Create(CultureInfo.InvariantCulture, $"the smallest rate ({lr}) lags the best by {gap:F2} points: with only {epochs} epoch(s) of plain SGD a small rate leaves the net far from converged")
            : string.Create(CultureInfo.InvariantCulture, $"even the smallest rate ({lr}) is within {Math.Max(gap, 0):F2} points of the best, so the budget is long enough for it");
    }

    /// <summary>Where the learning-rate sweep peaks, and whether the largest rate falls off (by more than half a point).</summary>
    public static string LearningRateSays(IReadOnlyList<(double Rate, double Accuracy)> sweep)
    {
        var ordered = sweep.OrderBy(p => p.Rate).ToList();
        var best = ordered.MaxBy(p => Score(p.Accuracy));
        var largest = ordered[^1];
        if (best.Rate == largest.Rate) return "the largest rate tried is also the best, so the useful range may extend further.";
        double drop = 100 * (Score(best.Accuracy) - Score(largest.Accuracy));
        return string.Create(CultureInfo.InvariantCulture,
            $"accuracy peaks at {best.Rate} and is {drop:F2} points lower at {largest.Rate}, {(drop > 0.5 ? "where the steps become too large." : "a difference within seed-to-seed noise: the optimum is broad.")}");
    }

    /// <summary>The textbook reason when sigmoid is the weakest activation, otherwise a note that this run disagrees.</summary>
    public static string ActivationSays(string weakest) => weakest == "sigmoid"
        ? "the weakest is sigmoid. It saturates and its derivative is at most 1/4, so back-propagated gradients shrink layer " +
          "after layer and it learns slowest; tanh is zero-centred with derivative up to 1, ReLU does not saturate for positive inputs."
        : $"the weakest is {weakest}, not sigmoid as the usual argument (σ′ ≤ 1/4 shrinks back-propagated gradients layer after " +
          "layer) would predict; with one seed and a short budget the ordering is not reliable.";

    /// <summary>Whether the width sweep's accuracy spread is small (under a point) next to its spread in parameters.</summary>
    public static string WidthSays(long fewest, long most, double spreadPoints)
    {
        string range = string.Create(CultureInfo.InvariantCulture, $"from {fewest:N0} to {most:N0} parameters");
        return spreadPoints < 1
            ? string.Create(CultureInfo.InvariantCulture, $"all of these nets have ample capacity for MNIST: the parameter count ({range}) varies far more than the accuracy (spread {spreadPoints:F2} points).")
            : string.Create(CultureInfo.InvariantCulture, $"the width matters here: accuracy spreads over {spreadPoints:F2} points ({range}).");
    }

    /// <summary>Which end of the batch-size sweep came out ahead.</summary>
    public static string BatchSays(int smallBatch, double smallAccuracy, int largeBatch, double largeAccuracy)
    {
        if (Score(smallAccuracy) == Score(largeAccuracy)) return $"here batch {smallBatch} and batch {largeBatch} tie";
        return Score(smallAccuracy) > Score(largeAccuracy)
            ? $"here the smaller batch ({smallBatch}) came out ahead of batch {largeBatch}"
            : $"here the larger batch ({largeBatch}) came out ahead of batch {smallBatch}";
    }
}
