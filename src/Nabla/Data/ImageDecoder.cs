using System.Buffers;
using StbImageSharp;

namespace Nabla.Data;

/// <summary>
/// Decodes JPEG and PNG files (also BMP, GIF, TGA) with StbImageSharp into channel-major bytes [C, H, W], C = 3
/// (RGB) or 1 (grey), optionally resized to a fixed size with <see cref="ImageResize"/> (antialiased bilinear,
/// rounded to the nearest byte). Many images decode in parallel over the machine's cores.
/// </summary>
public static class ImageDecoder
{
    /// <summary>File name extensions that are read as images (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tga"];

    public static bool IsImageName(string name) => Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>The size (width, height) and pixels [C, H, W] of one encoded image.</summary>
    public static (int Width, int Height, byte[] Pixels) Decode(byte[] encoded, int channels, string source)
    {
        var img = DecodeRaw(encoded, channels, source);
        var chw = new byte[channels * img.Width * img.Height];
        ToPlanes(img.Data, channels, img.Height * img.Width, chw);
        return (img.Width, img.Height, chw);
    }

    /// <summary>
    /// Decodes every image into one [N, C, H, W] array. With <paramref name="size"/> each becomes size.H × size.W;
    /// without it all images must share the first one's size. Errors name <paramref name="names"/>[i].
    /// </summary>
    public static (byte[] Pixels, int H, int W) DecodeAll(IReadOnlyList<byte[]> encoded, IReadOnlyList<string> names, int channels, (int H, int W)? size,
        bool antialias = true, int maxParallelism = -1) =>
        DecodeAll(encoded.Count, i => encoded[i], names, channels, size, antialias, maxParallelism);

    /// <summary>Like the list overload, but image i's bytes come from <paramref name="load"/>(i), called on the
    /// decoding threads (so reading files overlaps decoding).</summary>
    public static (byte[] Pixels, int H, int W) DecodeAll(int count, Func<int, byte[]> load, IReadOnlyList<string> names, int channels, (int H, int W)? size,
        bool antialias = true, int maxParallelism = -1)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"ImageDecoder: channels must be 1 or 3, got {channels}");
        if (count == 0) return ([], size?.H ?? 0, size?.W ?? 0);
        var first = size is null ? Decode(load(0), channels, names[0]) : default;
        var (h, w) = size ?? (first.Height, first.Width);
        int imageSize = channels * h * w;
        var pixels = new byte[(long)count * imageSize];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        try
        {
            Parallel.For(0, count, options, i => DecodeInto(load(i), names[i], channels, h, w, size is not null, antialias, pixels.AsSpan(i * imageSize, imageSize)));
        }
        catch (AggregateException e) when (e.InnerExceptions[0] is DataFormatException or IOException)
        {
            throw e.InnerExceptions[0];
        }
        return (pixels, h, w);
    }

    /// <summary>One image as [C, H, W] bytes, resized to <paramref name="size"/> when given.</summary>
    public static (byte[] Pixels, int H, int W) DecodeOne(byte[] encoded, int channels, (int H, int W)? size, string source, bool antialias = true)
    {
        if (size is null)
        {
            var (w0, h0, px) = Decode(encoded, channels, source);
            return (px, h0, w0);
        }
        var (h, w) = size.Value;
        var dst = new byte[channels * h * w];
        DecodeInto(encoded, source, channels, h, w, true, antialias, dst);
        return (dst, h, w);
    }

    private static void DecodeInto(byte[] encoded, string name, int channels, int h, int w, bool resize, bool antialias, Span<byte> dst)
    {
        var img = DecodeRaw(encoded, channels, name);
        if (img.Height == h && img.Width == w) { ToPlanes(img.Data, channels, h * w, dst); return; }
        if (!resize)
            throw DataFormatException.For(name, $"is {img.Width}×{img.Height}; the other images are {w}×{h} (give a size to resize)");
        int hw = img.Height * img.Width, imageSize = dst.Length;
        var planes = ArrayPool<float>.Shared.Rent(channels * hw);
        var resized = ArrayPool<float>.Shared.Rent(imageSize);
        try
        {
            for (int p = 0; p < hw; p++)
                for (int c = 0; c < channels; c++) planes[c * hw + p] = img.Data[p * channels + c];
            ImageResize.Bilinear(planes, channels, img.Height, img.Width, resized, h, w, antialias);
            for (int k = 0; k < imageSize; k++) dst[k] = (byte)Math.Clamp(MathF.Round(resized[k]), 0, 255);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(planes);
            ArrayPool<float>.Shared.Return(resized);
        }
    }

    private static ImageResult DecodeRaw(byte[] encoded, int channels, string source)
    {
        try
        {
            return ImageResult.FromMemory(encoded, channels == 1 ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw DataFormatException.For(source, $"cannot be decoded as an image ({e.Message})", e);
        }
    }

    /// <summary>Interleaved HWC bytes → channel-major CHW.</summary>
    private static void ToPlanes(ReadOnlySpan<byte> hwc, int channels, int hw, Span<byte> chw)
    {
        if (channels == 1) { hwc[..hw].CopyTo(chw); return; }
        for (int p = 0; p < hw; p++)
        {
            chw[p] = hwc[3 * p];
            chw[hw + p] = hwc[3 * p + 1];
            chw[2 * hw + p] = hwc[3 * p + 2];
        }
    }
}
