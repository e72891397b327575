using System.Buffers;

namespace Nabla.Data;

/// <summary>
/// Bilinear resizing of [C, H, W] float planes, optionally of a crop (top, left, cropH, cropW) of the source.
/// Separable: a horizontal pass into a [C, cropH, outW] buffer, then a vertical pass. Output pixel i samples the
/// source around its centre c = (i + 0.5)·scale with scale = in / out (half-pixel centres, PyTorch's
/// <c>align_corners=False</c>), weights given by the triangle filter max(0, 1 − |x|).
/// </summary>
/// <remarks>
/// With <c>antialias</c> (default) a downscale widens the triangle to the scale, as Pillow's BILINEAR resize and
/// PyTorch's <c>interpolate(..., antialias=True)</c> do, so every source pixel contributes (no aliasing when 375×500
/// photos become 64×64); without it the filter keeps width 1 (plain bilinear interpolation). Upscaling is the
/// same either way. Weights are normalised over the taps inside the image, which clamps at the borders.
/// </remarks>
public static class ImageResize
{
    /// <summary>Resizes every plane of <paramref name="src"/> [C, srcH, srcW] into <paramref name="dst"/> [C, dstH, dstW].</summary>
    public static void Bilinear(ReadOnlySpan<float> src, int channels, int srcH, int srcW, Span<float> dst, int dstH, int dstW, bool antialias = true) =>
        Bilinear(src, channels, srcH, srcW, 0, 0, srcH, srcW, dst, dstH, dstW, antialias);

    /// <summary>Resizes the crop rows top..top+cropH−1, columns left..left+cropW−1 of every plane to dstH × dstW.</summary>
    public static void Bilinear(ReadOnlySpan<float> src, int channels, int srcH, int srcW, int top, int left, int cropH, int cropW,
        Span<float> dst, int dstH, int dstW, bool antialias = true)
    {
        if (channels < 1 || srcH < 1 || srcW < 1 || dstH < 1 || dstW < 1 || cropH < 1 || cropW < 1)
            throw new ArgumentException($"ImageResize: sizes must be positive (source {channels}×{srcH}×{srcW}, crop {cropH}×{cropW}, output {dstH}×{dstW})");
        if (top < 0 || left < 0 || top + cropH > srcH || left + cropW > srcW)
            throw new ArgumentException($"ImageResize: crop ({top}, {left}, {cropH}×{cropW}) is outside the {srcH}×{srcW} image");
        if (src.Length < channels * srcH * srcW || dst.Length < channels * dstH * dstW)
            throw new ArgumentException("ImageResize: a span is shorter than its shape");
        var (xs, xw, xTaps) = Weights(cropW, dstW, antialias);
        var (ys, yw, yTaps) = Weights(cropH, dstH, antialias);
        var tmp = ArrayPool<float>.Shared.Rent(channels * cropH * dstW);
        try
        {
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < cropH; y++)
                {
                    var row = src.Slice((c * srcH + top + y) * srcW + left, cropW);
                    var outRow = tmp.AsSpan((c * cropH + y) * dstW, dstW);
                    for (int x = 0; x < dstW; x++)
                    {
                        float acc = 0;
                        int s = xs[x];
                        for (int j = 0; j < xTaps; j++) acc += xw[x * xTaps + j] * row[Math.Min(s + j, cropW - 1)];
                        outRow[x] = acc;
                    }
                }
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < dstH; y++)
                {
                    var outRow = dst.Slice((c * dstH + y) * dstW, dstW);
                    outRow.Clear();
                    int s = ys[y];
                    for (int j = 0; j < yTaps; j++)
                    {
                        float w = yw[y * yTaps + j];
                        if (w == 0) continue;
                        var inRow = tmp.AsSpan((c * cropH + Math.Min(s + j, cropH - 1)) * dstW, dstW);
                        for (int x = 0; x < dstW; x++) outRow[x] += w * inRow[x];
                    }
                }
        }
        finally { ArrayPool<float>.Shared.Return(tmp); }
    }

    /// <summary>Per output index: first source tap, then <c>taps</c> normalised weights (zero past the window).
    /// Window [⌊c − support + 0.5⌋, ⌊c + support + 0.5⌋) clipped to the image, as in Pillow's resampler.</summary>
    internal static (int[] Start, float[] W, int Taps) Weights(int inSize, int outSize, bool antialias)
    {
        double scale = (double)inSize / outSize;
        double filterScale = antialias && scale > 1 ? scale : 1;   // triangle widened to the scale when shrinking
        double support = filterScale;                               // the triangle's half-width
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[outSize];
        var w = new float[outSize * taps];
        var tmp = new double[taps];
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale;
            int lo = Math.Max((int)Math.Floor(centre - support + 0.5), 0);
            int hi = Math.Min((int)Math.Floor(centre + support + 0.5), inSize);
            if (hi <= lo) { lo = Math.Min(lo, inSize - 1); hi = lo + 1; }
            int n = Math.Min(hi - lo, taps);
            double total = 0;
            for (int j = 0; j < n; j++)
            {
                double x = (lo + j - centre + 0.5) / filterScale;
                tmp[j] = Math.Max(0, 1 - Math.Abs(x));
                total += tmp[j];
            }
            start[i] = lo;
            for (int j = 0; j < n; j++) w[i * taps + j] = total > 0 ? (float)(tmp[j] / total) : (j == 0 ? 1 : 0);
        }
        return (start, w, taps);
    }
}
