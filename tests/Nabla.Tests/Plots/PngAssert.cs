using System.Buffers.Binary;
using SkiaSharp;

namespace Nabla.Tests.Plots;

/// <summary>Checks on encoded PNGs: the 8-byte signature, the IHDR size, and decoded pixels.</summary>
public static class PngAssert
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts a valid PNG of at least <paramref name="minBytes"/> bytes and returns its width and height
    /// read from the IHDR chunk (bytes 16..24, big-endian, per the PNG spec).</summary>
    public static (int Width, int Height) IsPng(byte[] png, int minBytes = 2000)
    {
        Assert.True(png.Length >= minBytes, $"PNG has only {png.Length} bytes");
        Assert.Equal(Signature, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    public static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new Xunit.Sdk.XunitException("PNG does not decode");

    /// <summary>Pixels inside <paramref name="rect"/> darker than mid-grey (text, lines, markers).</summary>
    public static int DarkPixels(SKBitmap bmp, SKRectI rect)
    {
        int n = 0;
        for (int y = rect.Top; y < rect.Bottom; y++)
            for (int x = rect.Left; x < rect.Right; x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 128) n++;
            }
        return n;
    }
}
