using ScottPlot;

namespace Nabla.Plots;

/// <summary>
/// A confusion matrix as a heatmap: rows are true classes, columns predicted classes, each cell shows its count,
/// and the colour is the row fraction count / Σ_row (the per-class recall on the diagonal), so that rare classes
/// are as visible as common ones.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Writes the heatmap of <paramref name="counts"/>[true, predicted] to <paramref name="path"/>.</summary>
    public static void SavePng(string path, int[,] counts, IReadOnlyList<string>? classNames = null, string? title = null, int size = 0) =>
        File.WriteAllBytes(path, ToPng(counts, classNames, title, size));

    /// <summary>The heatmap as PNG bytes; <paramref name="size"/> 0 picks a size from the class count.</summary>
    public static byte[] ToPng(int[,] counts, IReadOnlyList<string>? classNames = null, string? title = null, int size = 0)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.GetLength(0);
        if (k == 0 || counts.GetLength(1) != k)
            throw new ArgumentException($"ConfusionMatrixPlot: counts must be a non-empty square matrix, got {counts.GetLength(0)}x{counts.GetLength(1)}");
        if (classNames is not null && classNames.Count != k)
            throw new ArgumentException($"ConfusionMatrixPlot: {classNames.Count} class names for {k} classes");
        var names = classNames ?? Enumerable.Range(0, k).Select(i => i.ToString()).ToArray();

        var fraction = new double[k, k];
        for (int r = 0; r < k; r++)
        {
            long rowSum = 0;
            for (int c = 0; c < k; c++)
            {
                if (counts[r, c] < 0) throw new ArgumentException($"ConfusionMatrixPlot: negative count at [{r}, {c}]");
                rowSum += counts[r, c];
            }
            for (int c = 0; c < k; c++) fraction[r, c] = rowSum == 0 ? 0 : (double)counts[r, c] / rowSum;
        }

        var plot = new Plot();
        PlotFonts.Apply(plot);
        var heatmap = plot.Add.Heatmap(fraction);
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());   // white = 0, dark blue = 1
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Rectangle = new CoordinateRect(0, k, 0, k);       // row 0 drawn at the top, cell (r, c) centred at (c + ½, k − r − ½)
        var bar = plot.Add.ColorBar(heatmap);
        bar.Axis.TickLabelStyle.FontName = PlotFonts.Sans;

        float fontSize = Math.Clamp(200f / k, 7, 16);
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
            {
                var text = plot.Add.Text(counts[r, c].ToString(), c + 0.5, k - r - 0.5);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontName = PlotFonts.Sans;
                text.LabelFontSize = fontSize;
                text.LabelFontColor = fraction[r, c] > 0.5 ? Colors.White : Colors.Black;
            }

        var centres = Enumerable.Range(0, k).Select(i => i + 0.5).ToArray();
        plot.Axes.Bottom.SetTicks(centres, names.ToArray());
        plot.Axes.Left.SetTicks(centres.Select(y => k - y).ToArray(), names.ToArray());
        int longest = names.Max(s => s.Length);
        if (longest > 3)
        {
            // Vertical labels hanging from each tick: long names never run into their neighbours. The axis panel
            // does not measure rotated text, so reserve room for it (~7 px per character at the default size).
            plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 30 + 7 * longest;
        }
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(0, k, 0, k);
        plot.HideGrid();
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        if (title is not null) plot.Title(title);

        int side = size > 0 ? size : Math.Clamp(140 + 48 * k, 400, 1400);
        return plot.GetImageBytes(side + 120, side, ImageFormat.Png);
    }
}
