using SkiaSharp;

namespace Nabla.Plots;

/// <summary>
/// A grid of grayscale (C = 1) or RGB (C = 3) images given as float arrays in CHW order — kernels, feature maps,
/// data-set galleries, GAN samples — with optional captions and title, rendered to PNG.
/// </summary>
/// <remarks>Shape legend: N images, C channels, H height, W width.</remarks>
public static class ImageGrid
{
    /// <summary>Writes the images (each C·H·W floats) to <paramref name="path"/>.</summary>
    public static void SavePng(string path, IReadOnlyList<float[]> images, int channels, int height, int width, ImageGridOptions? options = null) =>
        File.WriteAllBytes(path, ToPng(images, channels, height, width, options));

    /// <summary>Writes a batch stored as one NCHW array.</summary>
    public static void SavePng(string path, float[] batch, int count, int channels, int height, int width, ImageGridOptions? options = null) =>
        File.WriteAllBytes(path, ToPng(Split(batch, count, channels * height * width), channels, height, width, options));

    /// <summary>The grid as PNG bytes.</summary>
    public static byte[] ToPng(IReadOnlyList<float[]> images, int channels, int height, int width, ImageGridOptions? options = null)
    {
        var o = options ?? new ImageGridOptions();
        Validate(images, channels, height, width, o);
        int n = images.Count;
        int cols = o.Columns > 0 ? Math.Min(o.Columns, n) : (int)Math.Ceiling(Math.Sqrt(n));
        int rows = (n + cols - 1) / cols;
        int scale = Math.Max(1, (int)Math.Ceiling((double)o.CellSize / Math.Max(height, width)));
        int cellW = width * scale, cellH = height * scale, pad = o.Padding;

        using var captionTypeface = PlotFonts.CreateTypeface();
        using var titleTypeface = PlotFonts.CreateTypeface(bold: true);
        using var captionFont = new SKFont(captionTypeface, 12);
        using var titleFont = new SKFont(titleTypeface, 16);
        bool hasCaptions = o.Captions is { Count: > 0 };
        int captionH = hasCaptions ? 16 : 0;
        int titleH = o.Title is null ? 0 : 26;
        int gridW = pad + cols * (cellW + pad);
        int canvasW = o.Title is null ? gridW : Math.Max(gridW, (int)titleFont.MeasureText(o.Title) + 2 * pad);
        int canvasH = titleH + pad + rows * (cellH + captionH + pad);

        using var surface = SKSurface.Create(new SKImageInfo(canvasW, canvasH, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"ImageGrid: cannot allocate a {canvasW}x{canvasH} surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        if (o.Title is not null) canvas.DrawText(o.Title, canvasW / 2f, 19, SKTextAlign.Center, titleFont, textPaint);

        var (sharedLo, sharedHi) = Range(images.SelectMany(i => i));
        bool inUnit = sharedLo >= 0 && sharedHi <= 1;
        int x0 = (canvasW - gridW) / 2;
        var pixels = new byte[height * width * 4];
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int k = 0; k < n; k++)
        {
            var (lo, hi) = o.Scaling switch
            {
                ImageScaling.Clamp => (0.0, 1.0),
                ImageScaling.Shared => (sharedLo, sharedHi),
                ImageScaling.Auto when inUnit => (0.0, 1.0),
                _ => Range(images[k]),
            };
            ToRgba(images[k], channels, height * width, lo, hi, pixels);
            using var image = SKImage.FromPixelCopy(info, pixels);
            int col = k % cols, row = k / cols;
            float left = x0 + pad + col * (cellW + pad), top = titleH + pad + row * (cellH + captionH + pad);
            canvas.DrawImage(image, SKRect.Create(left, top, cellW, cellH), new SKSamplingOptions(SKFilterMode.Nearest));
            if (hasCaptions && k < o.Captions!.Count && !string.IsNullOrEmpty(o.Captions[k]))
                DrawCaption(canvas, o.Captions[k], left + cellW / 2f, top + cellH + 13, cellW + pad, captionFont, textPaint);
        }
        return Png.Encode(surface);
    }

    /// <summary>Caption centred under a cell, shrunk (down to 7 px) to fit the cell's width.</summary>
    private static void DrawCaption(SKCanvas canvas, string text, float cx, float baseline, float maxWidth, SKFont font, SKPaint paint)
    {
        float size = 12;
        float w = font.MeasureText(text);
        if (w > maxWidth) size = Math.Max(7, 12 * maxWidth / w);
        using var f = new SKFont(font.Typeface, size);
        canvas.DrawText(text, cx, baseline, SKTextAlign.Center, f, paint);
    }

    /// <summary>v ↦ round(255·clamp((v − lo)/(hi − lo), 0, 1)); a constant image (hi = lo) maps to mid-grey. CHW
    /// planes become interleaved RGBA.</summary>
    private static void ToRgba(float[] src, int channels, int hw, double lo, double hi, byte[] dst)
    {
        double inv = hi > lo ? 1 / (hi - lo) : 0;
        for (int p = 0; p < hw; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = src[(channels == 1 ? 0 : c) * hw + p];
                double t = inv == 0 ? 0.5 : (v - lo) * inv;
                dst[4 * p + c] = float.IsNaN(v) ? (byte)0 : (byte)Math.Round(255 * Math.Clamp(t, 0, 1));
            }
            dst[4 * p + 3] = 255;
        }
    }

    private static (double Lo, double Hi) Range(IEnumerable<float> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        return double.IsInfinity(lo) ? (0, 1) : (lo, hi);
    }

    private static float[][] Split(float[] batch, int count, int size)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (count < 1 || batch.Length != (long)count * size)
            throw new ArgumentException($"ImageGrid: a batch of {count} images of {size} values needs {(long)count * size} floats, got {batch.Length}");
        var images = new float[count][];
        for (int i = 0; i < count; i++) images[i] = batch.AsSpan(i * size, size).ToArray();
        return images;
    }

    private static void Validate(IReadOnlyList<float[]> images, int channels, int height, int width, ImageGridOptions o)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (channels is not (1 or 3)) throw new ArgumentException($"ImageGrid: channels must be 1 (grayscale) or 3 (RGB), got {channels}");
        if (height < 1 || width < 1) throw new ArgumentException($"ImageGrid: image size {height}x{width} must be positive");
        if (images.Count == 0) throw new ArgumentException("ImageGrid: no images given");
        if (o.Padding < 0 || o.CellSize < 1 || o.Columns < 0) throw new ArgumentException("ImageGrid: Padding must be >= 0, CellSize >= 1, Columns >= 0");
        for (int i = 0; i < images.Count; i++)
            if (images[i] is null || images[i].Length != channels * height * width)
                throw new ArgumentException($"ImageGrid: image {i} has {images[i]?.Length ?? 0} values, expected C·H·W = {channels}·{height}·{width} = {channels * height * width}");
    }
}
