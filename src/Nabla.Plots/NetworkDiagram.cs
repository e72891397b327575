using SkiaSharp;

namespace Nabla.Plots;

/// <summary>What to draw on a <see cref="NetworkDiagram"/> besides the units and edges.</summary>
public sealed record NetworkDiagramOptions
{
    /// <summary>One name per layer (e.g. "input x", "hidden h, ReLU"), written under its column above the true unit
    /// count; null uses "input", "hidden 1", …, "output". A '\n' starts a new line.</summary>
    public IReadOnlyList<string>? LayerLabels { get; init; }

    /// <summary>Per layer, one short label per unit (e.g. "x1", "x2") written inside its circle; a null entry leaves
    /// that layer's circles blank. Labels of units hidden behind the ellipsis are not drawn.</summary>
    public IReadOnlyList<IReadOnlyList<string>?>? UnitLabels { get; init; }

    /// <summary>Draws a bias unit (a grey circle holding "1") on top of every layer but the last, with an edge to each
    /// unit of the next layer.</summary>
    public bool Biases { get; init; }

    /// <summary>Optional weights, one matrix per pair of consecutive layers, shaped [units of layer l + 1, units of
    /// layer l] as a Linear layer stores them, with one more leading column (the bias, column 0) when
    /// <see cref="Biases"/> is set. Each edge is then coloured by the sign of its weight (blue positive, red negative,
    /// grey zero) and drawn thicker the larger |w| is relative to the largest |w| of the figure.</summary>
    public IReadOnlyList<double[,]>? Weights { get; init; }

    /// <summary>At most this many units are drawn per layer (at least 2): a larger layer shows its first
    /// ⌈cap/2⌉ and last ⌊cap/2⌋ units with a vertical ellipsis between them; its label always states the true count.</summary>
    public int MaxUnitsPerLayer { get; init; } = 8;

    /// <summary>Title above the diagram.</summary>
    public string? Title { get; init; }
}

/// <summary>
/// A fully connected network drawn as a node-and-edge diagram: one column of circles per layer (input on the left),
/// every edge between consecutive layers, the layer names and true unit counts under the columns.
/// </summary>
/// <remarks>
/// Layout (pixels), so that a figure's geometry can be checked: column l is centred at
/// x = <see cref="SideMargin"/> + l·<see cref="ColumnSpacing"/>; the canvas is 2·SideMargin + (L − 1)·ColumnSpacing
/// wide. A layer occupies s slots (its drawn units, + 1 for the ellipsis when capped, + 1 for the bias unit on top);
/// with S the largest s, slot k of layer l is centred at y = top + (S − s)·<see cref="RowSpacing"/>/2 +
/// (k + ½)·RowSpacing, where top = <see cref="TopMargin"/> (+ <see cref="TitleHeight"/> with a title). Circles have
/// radius <see cref="Radius"/>; under the units, <see cref="LabelLineHeight"/> px per label line (the most lines of any
/// layer) plus <see cref="TopMargin"/>.
/// </remarks>
public static class NetworkDiagram
{
    /// <summary>Horizontal distance between layer centres, px.</summary>
    public const int ColumnSpacing = 200;

    /// <summary>Vertical distance between unit centres, px.</summary>
    public const int RowSpacing = 56;

    /// <summary>Radius of a unit's circle, px.</summary>
    public const int Radius = 18;

    /// <summary>Distance from the left and right edges to the first and last column centres, px.</summary>
    public const int SideMargin = 100;

    /// <summary>Space above the first slot, and below the label lines, px.</summary>
    public const int TopMargin = 16;

    /// <summary>Height of the title band, px (only with a title).</summary>
    public const int TitleHeight = 30;

    /// <summary>Height of one line of a layer label, px.</summary>
    public const int LabelLineHeight = 17;

    /// <summary>Writes the diagram of a network with <paramref name="layerSizes"/> units per layer to
    /// <paramref name="path"/> as PNG.</summary>
    public static void SavePng(string path, IReadOnlyList<int> layerSizes, NetworkDiagramOptions? options = null) =>
        File.WriteAllBytes(path, ToPng(layerSizes, options));

    /// <summary>The diagram as PNG bytes.</summary>
    /// <exception cref="ArgumentException">Fewer than two layers, a layer without units, labels or weights that do
    /// not match the layer sizes, a non-finite weight, or a cap below 2.</exception>
    public static byte[] ToPng(IReadOnlyList<int> layerSizes, NetworkDiagramOptions? options = null)
    {
        var o = options ?? new NetworkDiagramOptions();
        Validate(layerSizes, o);
        int layers = layerSizes.Count;
        var columns = Enumerable.Range(0, layers).Select(l => Column.Of(layerSizes[l], o.MaxUnitsPerLayer, o.Biases && l < layers - 1)).ToArray();
        int maxSlots = columns.Max(c => c.Slots);
        var labels = Enumerable.Range(0, layers).Select(l => LabelLines(l, layers, layerSizes[l], o)).ToArray();
        int labelLines = labels.Max(x => x.Length);
        int top = TopMargin + (o.Title is null ? 0 : TitleHeight);
        int width = 2 * SideMargin + (layers - 1) * ColumnSpacing;
        int height = top + maxSlots * RowSpacing + labelLines * LabelLineHeight + TopMargin;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"NetworkDiagram: cannot allocate a {width}x{height} surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = PlotFonts.CreateTypeface();
        using var bold = PlotFonts.CreateTypeface(bold: true);
        using var unitFont = new SKFont(typeface, 12);
        using var labelFont = new SKFont(typeface, 13);
        using var titleFont = new SKFont(bold, 16);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        if (o.Title is not null) canvas.DrawText(o.Title, width / 2f, 21, SKTextAlign.Center, titleFont, text);

        float X(int l) => SideMargin + l * ColumnSpacing;
        float Y(int l, int slot) => top + (maxSlots - columns[l].Slots) * RowSpacing / 2f + (slot + 0.5f) * RowSpacing;

        // Edges first, circles over them.
        double maxAbs = o.Weights is null ? 0 : o.Weights.SelectMany(w => w.Cast<double>()).Select(Math.Abs).DefaultIfEmpty(0).Max();
        using var edge = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f, Color = new SKColor(70, 70, 70) };
        for (int l = 0; l + 1 < layers; l++)
        {
            var from = columns[l];
            var to = columns[l + 1];
            foreach (var (sourceSlot, sourceIndex) in from.Sources())            // sourceIndex −1 = bias
                foreach (var (targetSlot, targetIndex) in to.Units())
                {
                    if (o.Weights is not null)
                    {
                        double w = o.Weights[l][targetIndex, sourceIndex + (o.Biases ? 1 : 0)];
                        edge.Color = w > 0 ? new SKColor(33, 102, 172) : w < 0 ? new SKColor(178, 24, 43) : new SKColor(150, 150, 150);
                        edge.StrokeWidth = maxAbs == 0 ? 1 : (float)(0.8 + 3.2 * Math.Abs(w) / maxAbs);
                    }
                    canvas.DrawLine(X(l), Y(l, sourceSlot), X(l + 1), Y(l + 1, targetSlot), edge);
                }
        }

        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var outline = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2, Color = SKColors.Black };
        for (int l = 0; l < layers; l++)
        {
            var c = columns[l];
            float x = X(l);
            if (c.HasBias)
            {
                fill.Color = new SKColor(225, 225, 225);
                canvas.DrawCircle(x, Y(l, 0), Radius, fill);
                canvas.DrawCircle(x, Y(l, 0), Radius, outline);
                canvas.DrawText("1", x, Y(l, 0) + 4.5f, SKTextAlign.Center, unitFont, text);
            }
            fill.Color = SKColors.White;
            var names = o.UnitLabels?[l];
            foreach (var (slot, index) in c.Units())
            {
                float y = Y(l, slot);
                canvas.DrawCircle(x, y, Radius, fill);
                canvas.DrawCircle(x, y, Radius, outline);
                if (names is not null && names[index].Length > 0)
                    DrawFitted(canvas, names[index], x, y + 4.5f, 2 * Radius - 4, unitFont, text);
            }
            if (c.EllipsisSlot >= 0)
            {
                fill.Color = SKColors.Black;
                float y = Y(l, c.EllipsisSlot);
                for (int d = -1; d <= 1; d++) canvas.DrawCircle(x, y + d * 10, 2.5f, fill);
            }
            float baseline = top + maxSlots * RowSpacing + LabelLineHeight - 4;
            for (int i = 0; i < labels[l].Length; i++)
                DrawFitted(canvas, labels[l][i], x, baseline + i * LabelLineHeight, ColumnSpacing - 8, labelFont, text);
        }
        return Png.Encode(surface);
    }

    /// <summary>The label lines of layer <paramref name="l"/>: its name (given or default) and its true unit count.</summary>
    private static string[] LabelLines(int l, int layers, int size, NetworkDiagramOptions o)
    {
        string name = o.LayerLabels?[l] ?? (l == 0 ? "input" : l == layers - 1 ? "output" : layers == 3 ? "hidden" : $"hidden {l}");
        return [.. name.Split('\n'), size == 1 ? "1 unit" : size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " units"];
    }

    /// <summary>Centred text, shrunk (down to 7 px) to fit <paramref name="maxWidth"/>.</summary>
    private static void DrawFitted(SKCanvas canvas, string s, float cx, float baseline, float maxWidth, SKFont font, SKPaint paint)
    {
        float w = font.MeasureText(s);
        if (w <= maxWidth) { canvas.DrawText(s, cx, baseline, SKTextAlign.Center, font, paint); return; }
        using var f = new SKFont(font.Typeface, Math.Max(7, font.Size * maxWidth / w));
        canvas.DrawText(s, cx, baseline, SKTextAlign.Center, f, paint);
    }

    /// <summary>Which units of a layer are drawn, in which slot.</summary>
    private sealed record Column(int Size, int Head, int Tail, bool HasBias)
    {
        public static Column Of(int size, int cap, bool bias) =>
            size <= cap ? new Column(size, size, 0, bias) : new Column(size, (cap + 1) / 2, cap / 2, bias);

        private int First => HasBias ? 1 : 0;

        public int EllipsisSlot => Tail > 0 ? First + Head : -1;

        public int Slots => First + Head + (Tail > 0 ? 1 + Tail : 0);

        /// <summary>(slot, unit index) of every drawn unit.</summary>
        public IEnumerable<(int Slot, int Index)> Units()
        {
            for (int i = 0; i < Head; i++) yield return (First + i, i);
            for (int i = 0; i < Tail; i++) yield return (First + Head + 1 + i, Size - Tail + i);
        }

        /// <summary>The drawn units and, first, the bias (index −1) when there is one.</summary>
        public IEnumerable<(int Slot, int Index)> Sources()
        {
            if (HasBias) yield return (0, -1);
            foreach (var u in Units()) yield return u;
        }
    }

    private static void Validate(IReadOnlyList<int> sizes, NetworkDiagramOptions o)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2) throw new ArgumentException($"NetworkDiagram: a network needs at least 2 layers (input and output), got {sizes.Count}", "layerSizes");
        for (int l = 0; l < sizes.Count; l++)
            if (sizes[l] < 1) throw new ArgumentException($"NetworkDiagram: layer {l} has {sizes[l]} units; every layer needs at least 1", "layerSizes");
        if (o.MaxUnitsPerLayer < 2) throw new ArgumentException($"NetworkDiagram: MaxUnitsPerLayer must be at least 2, got {o.MaxUnitsPerLayer}");
        if (o.LayerLabels is not null && o.LayerLabels.Count != sizes.Count)
            throw new ArgumentException($"NetworkDiagram: {o.LayerLabels.Count} layer labels for {sizes.Count} layers");
        if (o.UnitLabels is not null)
        {
            if (o.UnitLabels.Count != sizes.Count) throw new ArgumentException($"NetworkDiagram: unit labels for {o.UnitLabels.Count} layers, the network has {sizes.Count}");
            for (int l = 0; l < sizes.Count; l++)
                if (o.UnitLabels[l] is { } names && names.Count != sizes[l])
                    throw new ArgumentException($"NetworkDiagram: layer {l} has {sizes[l]} units but {names.Count} unit labels");
        }
        if (o.Weights is not null)
        {
            if (o.Weights.Count != sizes.Count - 1)
                throw new ArgumentException($"NetworkDiagram: {o.Weights.Count} weight matrices for {sizes.Count} layers (expected {sizes.Count - 1}, one per pair of consecutive layers)");
            for (int l = 0; l + 1 < sizes.Count; l++)
            {
                var w = o.Weights[l] ?? throw new ArgumentException($"NetworkDiagram: weight matrix {l} is null");
                int cols = sizes[l] + (o.Biases ? 1 : 0);
                if (w.GetLength(0) != sizes[l + 1] || w.GetLength(1) != cols)
                    throw new ArgumentException($"NetworkDiagram: weight matrix {l} is {w.GetLength(0)}x{w.GetLength(1)}, expected {sizes[l + 1]}x{cols} " +
                        $"(units of layer {l + 1} x units of layer {l}{(o.Biases ? " + 1 bias column first" : "")})");
                foreach (double v in w)
                    if (!double.IsFinite(v)) throw new ArgumentException($"NetworkDiagram: weight matrix {l} holds a non-finite value ({v})");
            }
        }
    }
}
