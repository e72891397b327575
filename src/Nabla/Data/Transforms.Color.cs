namespace Nabla.Data;

public static partial class Transforms
{
    /// <summary>ITU-R 601 luma weights of torchvision's rgb_to_grayscale.</summary>
    private const float LumaR = 0.2989f, LumaG = 0.587f, LumaB = 0.114f;

    /// <summary>
    /// torchvision's <c>ColorJitter(brightness, contrast, saturation)</c> on [0, 1] RGB (or grey) pixels, in a random
    /// order each time. Factors f are uniform in [max(0, 1 − a), 1 + a] for amount a: brightness x' = f·x;
    /// contrast x' = f·x + (1 − f)·m with m the image's mean grey level; saturation x' = f·x + (1 − f)·g with g the
    /// pixel's grey level (0.2989 R + 0.587 G + 0.114 B). Every result is clamped to [0, 1]. (No hue jitter.)
    /// </summary>
    public static SampleTransform ColorJitter(float brightness = 0, float contrast = 0, float saturation = 0)
    {
        if (!(brightness >= 0 && contrast >= 0 && saturation >= 0))
            throw new ArgumentException($"ColorJitter: amounts must be non-negative, got brightness {brightness}, contrast {contrast}, saturation {saturation}");
        return (features, shape, random) =>
        {
            var (c, h, w) = Dims(shape, features, nameof(ColorJitter));
            var img = features[..(c * h * w)];
            // torchvision draws the order of the transforms, then each factor when its transform runs.
            var order = random.Permutation(3);
            foreach (int op in order)
            {
                float amount = op switch { 0 => brightness, 1 => contrast, _ => saturation };
                if (amount == 0) continue;
                float lo = Math.Max(0, 1 - amount), f = lo + (1 + amount - lo) * (float)random.NextDouble();
                switch (op)
                {
                    case 0: Blend(img, f, 0f); break;
                    case 1: Blend(img, f, MeanGrey(img, c, h * w)); break;
                    default: if (c == 3) Saturate(img, h * w, f); break;
                }
            }
        };
    }

    /// <summary>x' = clamp(f·x + (1 − f)·other, 0, 1).</summary>
    private static void Blend(Span<float> img, float f, float other)
    {
        float bias = (1 - f) * other;
        foreach (ref float v in img) v = Math.Clamp(f * v + bias, 0f, 1f);
    }

    private static float MeanGrey(ReadOnlySpan<float> img, int c, int hw)
    {
        double sum = 0;
        if (c == 3)
            for (int p = 0; p < hw; p++) sum += LumaR * img[p] + LumaG * img[hw + p] + LumaB * img[2 * hw + p];
        else
            for (int p = 0; p < hw; p++) sum += img[p];
        return (float)(sum / hw);
    }

    private static void Saturate(Span<float> img, int hw, float f)
    {
        for (int p = 0; p < hw; p++)
        {
            float g = LumaR * img[p] + LumaG * img[hw + p] + LumaB * img[2 * hw + p], bias = (1 - f) * g;
            img[p] = Math.Clamp(f * img[p] + bias, 0f, 1f);
            img[hw + p] = Math.Clamp(f * img[hw + p] + bias, 0f, 1f);
            img[2 * hw + p] = Math.Clamp(f * img[2 * hw + p] + bias, 0f, 1f);
        }
    }
}
