using ScottPlot;

namespace Nabla.Plots;

/// <summary>
/// Several named (x, y) series as lines with a title, axis labels, a legend and optional logarithmic axes, saved
/// as PNG or SVG. Non-finite points (NaN for "not measured this epoch") and, on a log axis, non-positive points are
/// left out of the line.
/// </summary>
/// <example><code>
/// new LineChart { Title = "MNIST", XLabel = "epoch", YLabel = "loss", LogY = true }
///     .Add("train", epochs, trainLoss).Add("validation", epochs, valLoss).SavePng("loss.png");
/// </code></example>
public sealed class LineChart
{
    private readonly List<(string Name, double[] X, double[] Y)> _series = [];

    /// <summary>Heading above the plot; null = none.</summary>
    public string? Title { get; set; }
    /// <summary>Label of the x axis; null = none.</summary>
    public string? XLabel { get; set; }
    /// <summary>Label of the y axis; null = none.</summary>
    public string? YLabel { get; set; }
    /// <summary>Logarithmic x axis (non-positive x values are left out).</summary>
    public bool LogX { get; set; }
    /// <summary>Logarithmic y axis (non-positive y values are left out), e.g. for losses.</summary>
    public bool LogY { get; set; }
    /// <summary>Draw the legend of series names (default true).</summary>
    public bool ShowLegend { get; set; } = true;

    /// <summary>Only whole numbers on the x axis (epochs).</summary>
    public bool IntegerXTicks { get; set; }

    /// <summary>Corner of the data area that holds the legend.</summary>
    public Alignment LegendAlignment { get; set; } = Alignment.UpperRight;

    /// <summary>Draw a marker on every point (defaults to on when a series has at most 50 points).</summary>
    public bool? Markers { get; set; }

    /// <summary>Image width in pixels (default 800, at least 50).</summary>
    public int Width { get; set; } = 800;
    /// <summary>Image height in pixels (default 500, at least 50).</summary>
    public int Height { get; set; } = 500;

    /// <summary>Number of series added.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Adds a series; <paramref name="x"/> and <paramref name="y"/> must have equal lengths.</summary>
    public LineChart Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"LineChart.Add: series '{name}' has {x.Count} x values and {y.Count} y values");
        _series.Add((name ?? "", x.ToArray(), y.ToArray()));
        return this;
    }

    /// <summary>Adds a series plotted against 1, 2, ..., n (epochs).</summary>
    public LineChart Add(string name, IReadOnlyList<double> y) =>
        Add(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);

    /// <summary>Writes the chart as a PNG file at <paramref name="path"/> (overwriting).</summary>
    /// <exception cref="ArgumentException">a size below 50×50</exception>
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    /// <summary>Writes the chart as an SVG file at <paramref name="path"/> (overwriting).</summary>
    /// <exception cref="ArgumentException">a size below 50×50</exception>
    public void SaveSvg(string path) => File.WriteAllText(path, ToSvg());

    /// <summary>The chart encoded as PNG bytes.</summary>
    public byte[] ToPng() => BuildPlot().GetImageBytes(CheckSize().Width, Height, ImageFormat.Png);

    /// <summary>The chart as an SVG document.</summary>
    public string ToSvg() => BuildPlot().GetSvgXml(CheckSize().Width, Height);

    private LineChart CheckSize()
    {
        if (Width < 50 || Height < 50) throw new ArgumentException($"LineChart: size {Width}x{Height} is too small (at least 50x50)");
        return this;
    }

    /// <summary>The configured ScottPlot plot (also used by <see cref="TrainingCurves"/> to draw panels).</summary>
    internal Plot BuildPlot()
    {
        var plot = new Plot();
        PlotFonts.Apply(plot);
        double xLo = double.PositiveInfinity, xHi = double.NegativeInfinity, yLo = xLo, yHi = xHi;
        foreach (var (name, x, y) in _series)
        {
            var (xs, ys) = Visible(x, y);
            if (xs.Length > 0) { xLo = Math.Min(xLo, xs.Min()); xHi = Math.Max(xHi, xs.Max()); yLo = Math.Min(yLo, ys.Min()); yHi = Math.Max(yHi, ys.Max()); }
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = (Markers ?? x.Length <= 50) ? 5 : 0;
        }
        if (Title is not null) plot.Title(Title);
        if (XLabel is not null) plot.XLabel(XLabel);
        if (YLabel is not null) plot.YLabel(YLabel);
        if (LogX && xLo <= xHi) plot.Axes.Bottom.TickGenerator = LogTicks(xLo, xHi);
        else if (IntegerXTicks) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (LogY && yLo <= yHi) plot.Axes.Left.TickGenerator = LogTicks(yLo, yHi);
        if (ShowLegend && _series.Any(s => s.Name.Length > 0))
        {
            plot.ShowLegend(LegendAlignment);
            plot.Legend.FontName = PlotFonts.Sans;
        }
        return plot;
    }

    /// <summary>The points that can be drawn; on a log axis the coordinate becomes log10(value).</summary>
    private (double[] X, double[] Y) Visible(double[] x, double[] y)
    {
        var xs = new List<double>(x.Length);
        var ys = new List<double>(y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], yi = y[i];
            if (!double.IsFinite(xi) || !double.IsFinite(yi) || (LogX && xi <= 0) || (LogY && yi <= 0)) continue;
            xs.Add(LogX ? Math.Log10(xi) : xi);
            ys.Add(LogY ? Math.Log10(yi) : yi);
        }
        return (xs.ToArray(), ys.ToArray());
    }

    /// <summary>Ticks for an axis whose coordinate is log10(value), over data spanning [lo, hi] in log10 units:
    /// labelled majors at 10^k (plus 2·10^k and 5·10^k when the data spans under two decades, and every m·10^k
    /// under half a decade), unlabelled minors at the other m·10^k, m = 2..9. ScottPlot has no native log axis.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double lo, double hi)
    {
        double span = hi - lo;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int k = (int)Math.Floor(lo) - 1; k <= (int)Math.Ceiling(hi) + 1; k++)
            for (int m = 1; m <= 9; m++)
            {
                double pos = k + Math.Log10(m);
                bool major = m == 1 || (span < 2 && m is 2 or 5) || span < 0.5;
                if (major) ticks.AddMajor(pos, (m * Math.Pow(10, k)).ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
                else ticks.AddMinor(pos);
            }
        return ticks;
    }
}
