using ScottPlot;
using SkiaSharp;

namespace Nabla.Plots;

/// <summary>
/// The usual picture of a training run in one PNG: a loss panel (train vs validation) and, when accuracies are
/// given, an accuracy panel beside it; the x axis is the epoch. Fed plain arrays (a Trainer's history).
/// </summary>
public static class TrainingCurves
{
    /// <summary>Writes the panels to <paramref name="pathPng"/>. Arrays may differ in length and hold NaN for
    /// epochs without a measurement; <paramref name="epochs"/> defaults to 1..n.</summary>
    public static void Save(string pathPng, IReadOnlyList<double> trainLoss, IReadOnlyList<double>? validationLoss = null,
        IReadOnlyList<double>? trainAccuracy = null, IReadOnlyList<double>? validationAccuracy = null,
        string? title = null, bool logLoss = false, IReadOnlyList<double>? epochs = null) =>
        File.WriteAllBytes(pathPng, ToPng(trainLoss, validationLoss, trainAccuracy, validationAccuracy, title, logLoss, epochs));

    /// <summary>The same picture as PNG bytes.</summary>
    public static byte[] ToPng(IReadOnlyList<double> trainLoss, IReadOnlyList<double>? validationLoss = null,
        IReadOnlyList<double>? trainAccuracy = null, IReadOnlyList<double>? validationAccuracy = null,
        string? title = null, bool logLoss = false, IReadOnlyList<double>? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(trainLoss);
        var panels = new List<LineChart>
        {
            Panel(title is null ? "Loss" : $"{title}: loss", "loss", trainLoss, validationLoss, epochs, logLoss),
        };
        if (trainAccuracy is not null || validationAccuracy is not null)
            panels.Add(Panel(title is null ? "Accuracy" : $"{title}: accuracy", "accuracy", trainAccuracy, validationAccuracy, epochs, false, Alignment.LowerRight));

        const int panelWidth = 640, height = 440;
        var info = new SKImageInfo(panelWidth * panels.Count, height);
        using var surface = SKSurface.Create(info);
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            // Each panel on its own surface: Plot.Render clears the whole canvas it is given.
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, height));
            panels[i].BuildPlot().Render(panel.Canvas, panelWidth, height);
            surface.Canvas.DrawSurface(panel, i * panelWidth, 0);
        }
        return Png.Encode(surface);
    }

    private static LineChart Panel(string title, string yLabel, IReadOnlyList<double>? train, IReadOnlyList<double>? validation,
        IReadOnlyList<double>? epochs, bool logY, Alignment legend = Alignment.UpperRight)
    {
        var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = yLabel, LogY = logY, LegendAlignment = legend, IntegerXTicks = true };
        if (train is not null) chart.Add("train", EpochsFor(train.Count, epochs), train);
        if (validation is not null) chart.Add("validation", EpochsFor(validation.Count, epochs), validation);
        return chart;
    }

    private static double[] EpochsFor(int n, IReadOnlyList<double>? epochs)
    {
        if (epochs is null) return Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        if (epochs.Count < n) throw new ArgumentException($"TrainingCurves: {epochs.Count} epochs given for a series of {n} values");
        return epochs.Take(n).ToArray();
    }
}
