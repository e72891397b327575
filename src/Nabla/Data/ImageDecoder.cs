using System.Buffers;
using StbImageSharp;

namespace Nabla.Data;

/// <summary>
/// Decodes JPEG and PNG files (also BMP, GIF, TGA) with StbImageSharp into channel-major bytes [C, H, W], C = 3
/// (RGB) or 1 (grey), optionally resized to a fixed size with <see cref="ImageResize"/> (antialiased bilinear,
/// rounded to the nearest byte). Many images decode in parallel over the machine's cores. Before decoding, an
/// image's header is read: its width × height must be within <see cref="ReadLimits.MaxImagePixels"/> and its
/// decoded size within <see cref="ReadLimits.MaxBytes"/>; a JPEG without its end-of-image marker or a PNG without
/// its IEND chunk (a truncated file, which the decoder would fill with grey) is refused.
/// </summary>
public static class ImageDecoder
{
    /// <summary>File name extensions that are read as images (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tga"];

    /// <summary>True when <paramref name="name"/> ends with one of <see cref="Extensions"/> (case-insensitive).</summary>
    public static bool IsImageName(string name) => Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>The size (width, height) and pixels [C, H, W] of one encoded image.</summary>
    public static (int Width, int Height, byte[] Pixels) Decode(byte[] encoded, int channels, string source, ReadLimits? limits = null)
    {
        var img = DecodeRaw(encoded, channels, source, resize: false, limits ?? ReadLimits.Default);
        var chw = new byte[channels * img.Width * img.Height];
        ToPlanes(img.Data, channels, img.Height * img.Width, chw);
        return (img.Width, img.Height, chw);
    }

    /// <summary>
    /// Decodes every image into one [N, C, H, W] array. With <paramref name="size"/> each becomes size.H × size.W;
    /// without it all images must share the first one's size. Errors name <paramref name="names"/>[i].
    /// </summary>
    public static (byte[] Pixels, int H, int W) DecodeAll(IReadOnlyList<byte[]> encoded, IReadOnlyList<string> names, int channels, (int H, int W)? size,
        bool antialias = true, int maxParallelism = -1, ReadLimits? limits = null) =>
        DecodeAll(encoded.Count, i => encoded[i], names, channels, size, antialias, maxParallelism, limits);

    /// <summary>Like the list overload, but image i's bytes come from <paramref name="load"/>(i), called on the
    /// decoding threads (so reading files overlaps decoding).</summary>
    public static (byte[] Pixels, int H, int W) DecodeAll(int count, Func<int, byte[]> load, IReadOnlyList<string> names, int channels, (int H, int W)? size,
        bool antialias = true, int maxParallelism = -1, ReadLimits? limits = null)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"ImageDecoder: channels must be 1 or 3, got {channels}");
        limits ??= ReadLimits.Default;
        if (count == 0) return ([], size?.H ?? 0, size?.W ?? 0);
        var first = size is null ? Decode(load(0), channels, names[0], limits) : default;
        var (h, w) = size ?? (first.Height, first.Width);
        long total = (long)count * channels * h * w;
        limits.CheckBytes(total, size is null ? $"{count} images of {w}×{h} (the size of the first)" : $"{count} images of {w}×{h}",
            p => DataFormatException.For(size is null ? names[0] : $"{names[0]} and the other images", p));
        int imageSize = channels * h * w;
        var pixels = new byte[total];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        try
        {
            Parallel.For(0, count, options, i => DecodeInto(load(i), names[i], channels, h, w, size is not null, antialias, limits,
                pixels.AsSpan(i * imageSize, imageSize)));
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }
        return (pixels, h, w);
    }

    /// <summary>One image as [C, H, W] bytes, resized to <paramref name="size"/> when given.</summary>
    public static (byte[] Pixels, int H, int W) DecodeOne(byte[] encoded, int channels, (int H, int W)? size, string source, bool antialias = true,
        ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        if (size is null)
        {
            var (w0, h0, px) = Decode(encoded, channels, source, limits);
            return (px, h0, w0);
        }
        var (h, w) = size.Value;
        var dst = new byte[channels * h * w];
        DecodeInto(encoded, source, channels, h, w, true, antialias, limits, dst);
        return (dst, h, w);
    }

    private static void DecodeInto(byte[] encoded, string name, int channels, int h, int w, bool resize, bool antialias, ReadLimits limits, Span<byte> dst)
    {
        var img = DecodeRaw(encoded, channels, name, resize, limits);
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

    /// <summary>The header's size checked against <paramref name="limits"/>, the end of the data checked for
    /// truncation, then the decoded interleaved pixels.</summary>
    private static ImageResult DecodeRaw(byte[] encoded, int channels, string source, bool resize, ReadLimits limits)
    {
        // the structure first: stb_image's header reader loops forever on some truncated JPEG headers
        if (TruncationProblem(encoded) is { } problem) throw DataFormatException.For(source, problem);
        var (width, height) = ReadSize(encoded, source);
        long pixels = (long)width * height;
        if (pixels > limits.MaxImagePixels)
            throw DataFormatException.For(source, $"is {width}×{height} = {pixels:N0} pixels, more than the limit of {limits.MaxImagePixels:N0} pixels per image (ReadLimits.MaxImagePixels)");
        // the decoder's own buffers (≈ 2 × pixels × 4 bytes) plus, when resizing, float planes (pixels × channels × 4)
        limits.CheckBytes(pixels * (8 + (resize ? 4L * channels : 0)), $"decoding this {width}×{height} image", p => DataFormatException.For(source, p));
        try
        {
            var img = ImageResult.FromMemory(encoded, channels == 1 ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
            if (img.Width != width || img.Height != height || img.Data.Length < (long)width * height * channels)
                throw DataFormatException.For(source, $"decodes to {img.Width}×{img.Height} although its header says {width}×{height}");
            return img;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or DataFormatException))
        {
            string reason = string.IsNullOrWhiteSpace(e.Message) ? "corrupt or unsupported image data" : e.Message.Trim();
            throw DataFormatException.For(source, $"cannot be decoded as an image ({reason})", e);
        }
    }

    /// <summary>Width and height from the image header (no pixels decoded).</summary>
    private static (int Width, int Height) ReadSize(byte[] encoded, string source)
    {
        if (encoded.Length == 0) throw DataFormatException.For(source, "is empty (0 bytes), not an image");
        ImageInfo? info;
        try
        {
            using var ms = new MemoryStream(encoded, writable: false);
            info = ImageInfo.FromStream(ms);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            info = null;
        }
        if (info is not { } i) throw DataFormatException.For(source, "cannot be decoded as an image: not a supported format (JPEG, PNG, BMP, GIF, TGA), or its header is damaged");
        if (i.Width < 1 || i.Height < 1) throw DataFormatException.For(source, $"declares an empty image ({i.Width}×{i.Height})");
        return (i.Width, i.Height);
    }

    /// <summary>Why a JPEG, PNG or GIF is cut short (its end marker is missing), or null. JPEG: a start-of-scan
    /// (FF DA) must be present and an EOI marker (FF D9) follow the last one, which allows data some cameras append
    /// after EOI; PNG: the
    /// IEND chunk must be present and complete; GIF: the trailer byte 3B must end the data; BMP: the file size in its
    /// header and, uncompressed, the pixel rows must fit the data. (TGA has no end marker and is not checked.)</summary>
    internal static string? TruncationProblem(ReadOnlySpan<byte> data)
    {
        // a JPEG as stb_image recognises one: its start-of-image marker (FF D8) may follow any number of FF fill bytes
        int soi = data.IndexOfAnyExcept((byte)0xFF);
        if (soi >= 1 && data[soi] == 0xD8)
            return JpegProblem(data, soi + 1);
        if (data.Length >= 8 && data[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n']))
        {
            int iend = data.LastIndexOf("\0\0\0\0IEND"u8);
            return iend < 0 || iend + 12 > data.Length ? "is a truncated PNG: the IEND chunk that ends every PNG is missing or cut" : null;
        }
        if (data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M')
            return BmpTruncation(data);
        if (data.Length >= 6 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
            return data.TrimEnd((byte)0).EndsWith([(byte)0x3B]) ? null : "is a truncated GIF: the trailer byte (3B) is missing";
        return null;
    }

    /// <summary>Walks the JPEG marker segments from <paramref name="pos"/> (just after the start-of-image marker) up to
    /// the first start-of-scan (each within the data), then requires an end-of-image marker after the last start-of-scan.</summary>
    private static string? JpegProblem(ReadOnlySpan<byte> data, int pos)
    {
        while (true)
        {
            if (pos + 2 > data.Length) return "is a truncated JPEG: it ends inside its headers, before the image data";
            if (data[pos] != 0xFF) return $"is not a valid JPEG: expected a marker at offset {pos}, found byte {data[pos]:X2}";
            byte marker = data[pos + 1];
            if (marker == 0xFF) { pos++; continue; }                                             // fill byte
            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; }          // no length
            if (marker == 0xD9) return "is not a valid JPEG: it ends (FF D9) before any image data";
            if (pos + 4 > data.Length) return "is a truncated JPEG: it ends inside its headers, before the image data";
            int length = data[pos + 2] << 8 | data[pos + 3];
            if (length < 2) return $"is not a valid JPEG: a segment at offset {pos} has length {length}";
            if ((long)pos + 2 + length > data.Length) return $"is a truncated JPEG: the segment at offset {pos} needs {length} bytes, past the end";
            if (marker == 0xDA) break;
            pos += 2 + length;
        }
        int sos = data.LastIndexOf([(byte)0xFF, (byte)0xDA]);
        return data[sos..].IndexOf([(byte)0xFF, (byte)0xD9]) < 0 ? "is a truncated JPEG: the image data has no end-of-image marker (FF D9)" : null;
    }

    private static string? BmpTruncation(ReadOnlySpan<byte> data)
    {
        const string problem = "is a truncated BMP: ";
        if (data.Length < 34) return problem + "the headers are cut";
        uint fileSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[2..]);
        if (fileSize > data.Length) return problem + $"its header gives {fileSize} bytes but only {data.Length} are present";
        uint offset = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
        int height = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data[22..]);
        int bpp = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
        uint compression = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        if (compression != 0 || width <= 0 || bpp == 0) return null;   // compressed or odd: the decoder decides
        long stride = ((long)width * bpp + 31) / 32 * 4;
        long needed = offset + stride * Math.Abs((long)height);
        return needed > data.Length ? problem + $"its {width}×{Math.Abs((long)height)} pixel rows need {needed} bytes but only {data.Length} are present" : null;
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
