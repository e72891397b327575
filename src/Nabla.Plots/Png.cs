using SkiaSharp;

namespace Nabla.Plots;

/// <summary>PNG encoding of a finished SkiaSharp surface.</summary>
internal static class Png
{
    public static byte[] Encode(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG");
        return data.ToArray();
    }
}
