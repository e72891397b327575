using ScottPlot;
using SkiaSharp;

namespace Nabla.Plots;

/// <summary>
/// The typeface every Nabla plot uses: a subset of DejaVu Sans embedded in this assembly (see Fonts/LICENSE.txt),
/// so that text renders identically on a machine with no system fonts at all (a bare CI container) and on a
/// desktop. ScottPlot finds it through an <see cref="IFontResolver"/> registered under <see cref="Sans"/>.
/// </summary>
public static class PlotFonts
{
    /// <summary>The ScottPlot font name that resolves to the embedded typeface.</summary>
    public const string Sans = "Nabla Sans";

    private static readonly SKData _regular = LoadResource("DejaVuSans-Subset.ttf");
    private static readonly SKData _bold = LoadResource("DejaVuSans-Bold-Subset.ttf");
    private static readonly object _gate = new();
    private static bool _registered;

    /// <summary>A typeface for direct SkiaSharp drawing (caller disposes it).</summary>
    public static SKTypeface CreateTypeface(bool bold = false) =>
        SKTypeface.FromData(bold ? _bold : _regular) ?? throw new InvalidOperationException("embedded font failed to load");

    /// <summary>Registers the resolver with ScottPlot once (ScottPlot's resolver list is process-wide).</summary>
    internal static void EnsureRegistered()
    {
        lock (_gate)
        {
            if (_registered) return;
            ScottPlot.Fonts.FontResolvers.Insert(0, new Resolver());
            _registered = true;
        }
    }

    /// <summary>Sets the embedded typeface on every text element of <paramref name="plot"/> (title, axis labels,
    /// ticks, legend).</summary>
    internal static void Apply(Plot plot)
    {
        EnsureRegistered();
        plot.Font.Set(Sans);
        plot.Legend.FontName = Sans;
        plot.Legend.SetBestFontOnEachRender = false;    // no fallback hunt among (possibly absent) system fonts
    }

    private static SKData LoadResource(string file)
    {
        using var s = typeof(PlotFonts).Assembly.GetManifestResourceStream("Nabla.Plots.Fonts." + file)
            ?? throw new InvalidOperationException($"embedded font {file} is missing from {typeof(PlotFonts).Assembly.GetName().Name}");
        return SKData.Create(s);
    }

    private sealed class Resolver : IFontResolver
    {
        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == Sans ? PlotFonts.CreateTypeface(bold) : null!;

        public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            fontName == Sans ? PlotFonts.CreateTypeface(weight >= FontWeight.SemiBold) : null!;
    }
}
