using System.Buffers;

namespace Nabla.Data;

/// <summary>
/// Image augmentations as <see cref="SampleTransform"/>s (torchvision.transforms names), run per example by the
/// <see cref="DataLoader"/>'s worker on features [C, H, W] (or [H, W]) in place. All randomness comes from the
/// generator the loader reseeds from (seed, epoch, position), so the same seed and epoch give the same augmented
/// batches whatever the prefetch depth. Sizes are kept: crops are resized or padded back to H × W.
/// </summary>
/// <remarks>
/// Geometric transforms work on any features. <see cref="ColorJitter"/> assumes [0, 1] pixels: load the dataset
/// unnormalised and put <see cref="Normalize"/> last (torchvision's ToTensor → jitter → Normalize). Padding and
/// cutout fill with 0 by default, which on normalised features is the channel mean (as in the Cutout paper).
/// </remarks>
public static partial class Transforms
{
    /// <summary>Applies the transforms in order.</summary>
    public static SampleTransform Compose(params SampleTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        var list = transforms.ToArray();
        return (features, shape, random) =>
        {
            foreach (var t in list) t(features, shape, random);
        };
    }

    /// <summary>Mirrors the image left–right with probability <paramref name="p"/>: x'[c, y, j] = x[c, y, W − 1 − j].</summary>
    public static SampleTransform HorizontalFlip(double p = 0.5)
    {
        CheckProbability(p, nameof(HorizontalFlip));
        return (features, shape, random) =>
        {
            var (c, h, w) = Dims(shape, features, nameof(HorizontalFlip));
            if (!(random.NextDouble() < p)) return;
            for (int r = 0; r < c * h; r++) features.Slice(r * w, w).Reverse();
        };
    }

    /// <summary>
    /// torchvision's <c>RandomCrop(size, padding)</c> with size = the image size: pads every side with
    /// <paramref name="padding"/> pixels of <paramref name="fill"/>, then takes the size × size window at offsets
    /// (top, left) drawn uniformly from 0..2·padding (CIFAR's standard "32 with padding 4").
    /// </summary>
    public static SampleTransform RandomCrop(int size, int padding = 0, float fill = 0)
    {
        if (size < 1 || padding < 0) throw new ArgumentException($"RandomCrop: size must be positive and padding non-negative, got size {size}, padding {padding}");
        return (features, shape, random) =>
        {
            var (c, h, w) = Dims(shape, features, nameof(RandomCrop));
            if (h != size || w != size)
                throw new ArgumentException($"RandomCrop: transforms work in place, so the crop size {size} must equal the image size {h}×{w}");
            int top = random.NextInt(h + 2 * padding - size + 1), left = random.NextInt(w + 2 * padding - size + 1);
            Shift(features, c, h, w, top - padding, left - padding, fill);
        };
    }

    /// <summary>out[c, y, x] = in[c, y + dy, x + dx], or <paramref name="fill"/> where that is outside the image.</summary>
    internal static void Shift(Span<float> features, int c, int h, int w, int dy, int dx, float fill)
    {
        int n = c * h * w;
        var copy = ArrayPool<float>.Shared.Rent(n);
        try
        {
            features[..n].CopyTo(copy);
            int x0 = Math.Max(0, -dx), x1 = Math.Min(w, w - dx);   // output columns whose source column is inside
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                {
                    var row = features.Slice((ch * h + y) * w, w);
                    int sy = y + dy;
                    if (sy < 0 || sy >= h || x0 >= x1) { row.Fill(fill); continue; }
                    row[..x0].Fill(fill);
                    copy.AsSpan((ch * h + sy) * w + x0 + dx, x1 - x0).CopyTo(row[x0..x1]);
                    row[x1..].Fill(fill);
                }
        }
        finally { ArrayPool<float>.Shared.Return(copy); }
    }

    /// <summary>
    /// torchvision's <c>RandomResizedCrop</c> at the image's own size: a crop of area fraction in
    /// <paramref name="scaleMin"/>..<paramref name="scaleMax"/> and aspect ratio (w/h, log-uniform) in
    /// <paramref name="ratioMin"/>..<paramref name="ratioMax"/>, resized back to H × W (antialiased bilinear).
    /// After 10 failed draws it falls back to a centre crop, as torchvision does.
    /// </summary>
    public static SampleTransform RandomResizedCrop(double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3)
    {
        if (!(0 < scaleMin && scaleMin <= scaleMax && scaleMax <= 1) || !(0 < ratioMin && ratioMin <= ratioMax))
            throw new ArgumentException($"RandomResizedCrop: need 0 < scaleMin ≤ scaleMax ≤ 1 and 0 < ratioMin ≤ ratioMax, got scale ({scaleMin}, {scaleMax}), ratio ({ratioMin}, {ratioMax})");
        return (features, shape, random) =>
        {
            var (c, h, w) = Dims(shape, features, nameof(RandomResizedCrop));
            var (top, left, ch, cw) = ResizedCropBox(random, h, w, scaleMin, scaleMax, ratioMin, ratioMax);
            if (ch == h && cw == w) return;
            int n = c * h * w;
            var copy = ArrayPool<float>.Shared.Rent(n);
            try
            {
                features[..n].CopyTo(copy);
                ImageResize.Bilinear(copy.AsSpan(0, n), c, h, w, top, left, ch, cw, features, h, w);
            }
            finally { ArrayPool<float>.Shared.Return(copy); }
        };
    }

    /// <summary>torchvision's <c>RandomResizedCrop.get_params</c>: (top, left, height, width) of the crop.</summary>
    internal static (int Top, int Left, int H, int W) ResizedCropBox(Generator random, int h, int w, double scaleMin, double scaleMax, double ratioMin, double ratioMax)
    {
        double area = (double)h * w, logLo = Math.Log(ratioMin), logHi = Math.Log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (scaleMin + (scaleMax - scaleMin) * random.NextDouble());
            double aspect = Math.Exp(logLo + (logHi - logLo) * random.NextDouble());
            int cw = (int)Math.Round(Math.Sqrt(target * aspect)), ch = (int)Math.Round(Math.Sqrt(target / aspect));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h)
                return (random.NextInt(h - ch + 1), random.NextInt(w - cw + 1), ch, cw);
        }
        double inRatio = (double)w / h;
        int fh = h, fw = w;
        if (inRatio < ratioMin) fh = (int)Math.Round(w / ratioMin);
        else if (inRatio > ratioMax) fw = (int)Math.Round(h * ratioMax);
        fh = Math.Clamp(fh, 1, h);
        fw = Math.Clamp(fw, 1, w);
        return ((h - fh) / 2, (w - fw) / 2, fh, fw);
    }

    /// <summary>
    /// Cutout (DeVries and Taylor, 2017): sets a <paramref name="size"/> × <paramref name="size"/> square of every
    /// channel to <paramref name="fill"/>; its centre is uniform over the image, rows cy − size/2 ..
    /// cy − size/2 + size − 1 (same for columns), clipped at the borders.
    /// </summary>
    public static SampleTransform Cutout(int size, float fill = 0)
    {
        if (size < 1) throw new ArgumentException($"Cutout: size must be positive, got {size}");
        return (features, shape, random) =>
        {
            var (c, h, w) = Dims(shape, features, nameof(Cutout));
            int cy = random.NextInt(h), cx = random.NextInt(w);
            int y0 = Math.Max(0, cy - size / 2), y1 = Math.Min(h, cy - size / 2 + size);
            int x0 = Math.Max(0, cx - size / 2), x1 = Math.Min(w, cx - size / 2 + size);
            for (int ch = 0; ch < c; ch++)
                for (int y = y0; y < y1; y++) features.Slice((ch * h + y) * w + x0, x1 - x0).Fill(fill);
        };
    }

    /// <summary>x'[c] = (x[c] − mean[c]) / std[c] (one value for all channels, or one per channel).</summary>
    public static SampleTransform Normalize(float[] mean, float[] std)
    {
        if (mean.Length != std.Length || mean.Length == 0) throw new ArgumentException($"Normalize: mean and std need the same non-zero length, got {mean.Length} and {std.Length}");
        if (std.Any(s => !(s > 0))) throw new ArgumentException("Normalize: std must be positive");
        var m = mean.ToArray();
        var s = std.ToArray();
        return (features, shape, random) =>
        {
            var (c, h, w) = Dims(shape, features, nameof(Normalize));
            if (m.Length != 1 && m.Length != c) throw new ArgumentException($"Normalize: {m.Length} means for {c} channels");
            for (int ch = 0; ch < c; ch++)
            {
                float mu = m[m.Length == 1 ? 0 : ch], inv = 1 / s[s.Length == 1 ? 0 : ch];
                foreach (ref float v in features.Slice(ch * h * w, h * w)) v = (v - mu) * inv;
            }
        };
    }

    /// <summary>(C, H, W) of [C, H, W] or [H, W] features; flattened features have no geometry.</summary>
    internal static (int C, int H, int W) Dims(ReadOnlySpan<int> shape, Span<float> features, string who)
    {
        var dims = shape.Length switch
        {
            3 => (shape[0], shape[1], shape[2]),
            2 => (1, shape[0], shape[1]),
            _ => throw new ArgumentException($"{who}: needs image features [C, H, W] or [H, W], got rank {shape.Length} (do not flatten the dataset)"),
        };
        if (features.Length < dims.Item1 * dims.Item2 * dims.Item3) throw new ArgumentException($"{who}: the feature span is shorter than its shape");
        return dims;
    }

    private static void CheckProbability(double p, string who)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{who}: probability must lie in [0, 1], got {p}");
    }
}
