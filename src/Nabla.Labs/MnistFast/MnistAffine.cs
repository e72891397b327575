using System.Buffers;
using Nabla.Data;

namespace Nabla.Labs;

/// <summary>
/// The augmentation of <c>mnist-fast</c>'s best model: a small random affine map per image (torchvision's
/// <c>RandomAffine(degrees, translate, scale)</c> family), sampled bilinearly, outside pixels set to the background.
/// Shape: features [1, H, W] (or [H, W]) rewritten in place.
/// </summary>
public static class MnistAffine
{
    /// <summary>
    /// Rotation by θ ~ U(−<paramref name="degrees"/>, <paramref name="degrees"/>), isotropic scale s ~ U(1 − <paramref name="scale"/>,
    /// 1 + <paramref name="scale"/>) and translation (tx, ty) ~ U(−<paramref name="translate"/>, <paramref name="translate"/>)² pixels,
    /// about the image centre; <paramref name="fill"/> where the source point falls outside (the standardised background:
    /// −mean/std). All zero leaves the image as it is.
    /// </summary>
    public static SampleTransform Random(double degrees, double translate, double scale, float fill)
    {
        if (!(degrees >= 0 && degrees <= 180) || !(translate >= 0) || !(scale >= 0 && scale < 1))
            throw new ArgumentException($"MnistAffine: need 0 ≤ degrees ≤ 180, translate ≥ 0 and 0 ≤ scale < 1, got {degrees}, {translate}, {scale}");
        return (features, shape, random) =>
        {
            var (c, h, w) = shape.Length switch
            {
                3 => (shape[0], shape[1], shape[2]),
                2 => (1, shape[0], shape[1]),
                _ => throw new ArgumentException($"MnistAffine: needs image features [C, H, W] or [H, W], got rank {shape.Length}"),
            };
            double angle = (2 * random.NextDouble() - 1) * degrees * Math.PI / 180;
            double s = 1 + (2 * random.NextDouble() - 1) * scale;
            double tx = (2 * random.NextDouble() - 1) * translate, ty = (2 * random.NextDouble() - 1) * translate;
            int n = c * h * w;
            var source = ArrayPool<float>.Shared.Rent(n);
            try
            {
                features[..n].CopyTo(source);
                for (int ch = 0; ch < c; ch++)
                    Warp(source.AsSpan(ch * h * w, h * w), features.Slice(ch * h * w, h * w), h, w, angle, s, tx, ty, fill);
            }
            finally { ArrayPool<float>.Shared.Return(source); }
        };
    }

    /// <summary>
    /// dst(p) = bilinear src(A⁻¹(p − c − t) + c) with A = s·R(θ) and c the centre ((W − 1)/2, (H − 1)/2): the image is
    /// rotated by <paramref name="angle"/> radians (counter-clockwise on screen, y pointing down), scaled by
    /// <paramref name="scale"/> and moved by (<paramref name="tx"/>, <paramref name="ty"/>) pixels. Source points outside
    /// the image read <paramref name="fill"/> (each of the four bilinear taps separately).
    /// </summary>
    public static void Warp(ReadOnlySpan<float> src, Span<float> dst, int h, int w, double angle, double scale, double tx, double ty, float fill)
    {
        if (src.Length < h * w || dst.Length < h * w) throw new ArgumentException($"MnistAffine.Warp: spans shorter than {h}×{w}");
        if (!(scale > 0)) throw new ArgumentException($"MnistAffine.Warp: scale must be positive, got {scale}");
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        // Inverse map: q = R(−θ)(p − c − t)/s + c. Screen rotation with y down: x' = cos·x + sin·y, y' = −sin·x + cos·y.
        double cos = Math.Cos(angle) / scale, sin = Math.Sin(angle) / scale;
        for (int y = 0; y < h; y++)
        {
            double py = y - cy - ty;
            for (int x = 0; x < w; x++)
            {
                double px = x - cx - tx;
                double sx = cos * px - sin * py + cx, sy = sin * px + cos * py + cy;
                dst[y * w + x] = Bilinear(src, h, w, sx, sy, fill);
            }
        }
    }

    private static float Bilinear(ReadOnlySpan<float> src, int h, int w, double x, double y, float fill)
    {
        // Snap values within 1e-9 of a pixel centre so exact maps (integer shifts, quarter turns) copy pixels exactly.
        double fx = Math.Floor(x + 1e-9), fy = Math.Floor(y + 1e-9);
        double ax = Math.Max(0, x - fx), ay = Math.Max(0, y - fy);
        if (ax < 1e-9) ax = 0;
        if (ay < 1e-9) ay = 0;
        int x0 = (int)fx, y0 = (int)fy;
        double top = ax == 0 ? At(src, h, w, y0, x0, fill) : (1 - ax) * At(src, h, w, y0, x0, fill) + ax * At(src, h, w, y0, x0 + 1, fill);
        if (ay == 0) return (float)top;
        double bottom = ax == 0 ? At(src, h, w, y0 + 1, x0, fill)
            : (1 - ax) * At(src, h, w, y0 + 1, x0, fill) + ax * At(src, h, w, y0 + 1, x0 + 1, fill);
        return (float)((1 - ay) * top + ay * bottom);
    }

    private static float At(ReadOnlySpan<float> src, int h, int w, int y, int x, float fill) =>
        y >= 0 && y < h && x >= 0 && x < w ? src[y * w + x] : fill;
}
