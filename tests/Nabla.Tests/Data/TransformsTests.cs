using Nabla.Data;

namespace Nabla.Tests.Data;

public class TransformsTests
{
    private static readonly int[] Shape = [3, 8, 8];

    /// <summary>Distinct values in [0.1, 1): x[c, y, x] = 0.1 + (c·64 + y·8 + x) / 213.</summary>
    private static float[] Image(int c = 3, int h = 8, int w = 8)
    {
        var f = new float[c * h * w];
        for (int i = 0; i < f.Length; i++) f[i] = 0.1f + i / 213f;
        return f;
    }

    private static float[] Apply(SampleTransform t, ulong seed, float[]? input = null, int[]? shape = null)
    {
        var f = (input ?? Image()).ToArray();
        t(f, shape ?? Shape, new Generator(seed));
        return f;
    }

    private static float At(float[] f, int c, int y, int x, int h = 8, int w = 8) => f[(c * h + y) * w + x];

    [Fact]
    public void Flip_is_exactly_a_mirror()
    {
        var x = Image();
        var y = Apply(Transforms.HorizontalFlip(1), 0);
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 8; r++)
                for (int j = 0; j < 8; j++) Assert.Equal(At(x, c, r, 7 - j), At(y, c, r, j));
        Assert.Equal(x, Apply(Transforms.HorizontalFlip(0), 0));
        int flipped = Enumerable.Range(0, 400).Count(s => !Apply(Transforms.HorizontalFlip(), (ulong)s).SequenceEqual(x));
        Assert.InRange(flipped, 160, 240);   // p = 0.5: 200 ± 4σ
    }

    /// <summary>Every crop equals the zero-padded image's window at some offset in 0..2p, and all offsets occur.</summary>
    [Fact]
    public void Random_crop_is_a_window_of_the_padded_image_within_bounds()
    {
        const int p = 2;
        var x = Image();
        var seen = new HashSet<(int, int)>();
        for (ulong s = 0; s < 300; s++)
        {
            var y = Apply(Transforms.RandomCrop(8, padding: p), s);
            var match = new List<(int, int)>();
            for (int top = 0; top <= 2 * p; top++)
                for (int left = 0; left <= 2 * p; left++)
                {
                    bool ok = true;
                    for (int c = 0; c < 3 && ok; c++)
                        for (int r = 0; r < 8 && ok; r++)
                            for (int j = 0; j < 8 && ok; j++)
                            {
                                int sr = r + top - p, sj = j + left - p;
                                float want = sr is >= 0 and < 8 && sj is >= 0 and < 8 ? At(x, c, sr, sj) : 0;
                                ok = At(y, c, r, j) == want;
                            }
                    if (ok) match.Add((top, left));
                }
            Assert.Single(match);
            seen.Add(match[0]);
        }
        Assert.Equal(25, seen.Count);
        Assert.Throws<ArgumentException>(() => Apply(Transforms.RandomCrop(6, 2), 0));
    }

    [Fact]
    public void Cutout_zeroes_one_clipped_square_in_every_channel()
    {
        var x = Image();
        int full = 0;
        for (ulong s = 0; s < 200; s++)
        {
            var y = Apply(Transforms.Cutout(4), s);
            var zero = new bool[8, 8];
            for (int r = 0; r < 8; r++)
                for (int j = 0; j < 8; j++)
                {
                    zero[r, j] = At(y, 0, r, j) == 0;
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(zero[r, j] ? 0 : At(x, c, r, j), At(y, c, r, j));
                }
            var rows = Enumerable.Range(0, 8).Where(r => Enumerable.Range(0, 8).Any(j => zero[r, j])).ToList();
            var cols = Enumerable.Range(0, 8).Where(j => Enumerable.Range(0, 8).Any(r => zero[r, j])).ToList();
            int area = Enumerable.Range(0, 64).Count(k => zero[k / 8, k % 8]);
            Assert.Equal(rows.Count * cols.Count, area);                 // a rectangle
            Assert.InRange(rows.Count, 2, 4);                            // centre inside: at least size/2 rows
            Assert.InRange(cols.Count, 2, 4);
            Assert.Equal(rows.Count - 1, rows[^1] - rows[0]);            // contiguous
            if (area == 16) full++;
        }
        Assert.InRange(full, 40, 120);   // centre in rows 2..5 and columns 2..5: probability 1/4
    }

    [Fact]
    public void Color_jitter_stays_in_bounds_and_factors_cover_the_range()
    {
        var flat = Enumerable.Repeat(0.5f, 3 * 64).ToArray();
        var ratios = Enumerable.Range(0, 300).Select(s => Apply(Transforms.ColorJitter(brightness: 0.4f), (ulong)s, flat)[0] / 0.5f).ToList();
        Assert.InRange(ratios.Min(), 0.6f, 0.65f);
        Assert.InRange(ratios.Max(), 1.35f, 1.4f);
        // a constant image has no contrast and a grey one no saturation to change
        Assert.All(Apply(Transforms.ColorJitter(contrast: 0.8f), 3, flat), v => Assert.Equal(0.5f, v, 3));   // luma weights sum to 0.9999
        Assert.All(Apply(Transforms.ColorJitter(saturation: 0.8f), 3, flat), v => Assert.Equal(0.5f, v, 3));
        for (ulong s = 0; s < 100; s++)
        {
            var y = Apply(Transforms.ColorJitter(0.9f, 0.9f, 0.9f), s);
            Assert.All(y, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void Saturation_moves_each_pixel_along_the_line_to_its_grey_level()
    {
        // amount 1: factor f uniform in [0, 2], one f for the whole image
        var x = Image();
        var y = Apply(Transforms.ColorJitter(saturation: 1), 11);
        // f·x + (1 − f)·g per pixel: the result lies between the pixel and its grey level, per channel
        for (int p = 0; p < 64; p++)
        {
            float g = 0.2989f * x[p] + 0.587f * x[64 + p] + 0.114f * x[128 + p];
            for (int c = 0; c < 3; c++)
            {
                float a = x[c * 64 + p], b = y[c * 64 + p];
                float f = Math.Abs(a - g) < 1e-6 ? 1 : (b - g) / (a - g);
                Assert.InRange(f, -1e-3f, 2.001f);
            }
        }
    }

    [Fact]
    public void Resized_crop_box_is_inside_and_follows_scale_and_ratio()
    {
        for (ulong s = 0; s < 500; s++)
        {
            var (top, left, h, w) = Transforms.ResizedCropBox(new Generator(s), 32, 40, 0.2, 0.6, 0.75, 4.0 / 3);
            Assert.InRange(top, 0, 32 - h);
            Assert.InRange(left, 0, 40 - w);
            double area = (double)h * w / (32 * 40), ratio = (double)w / h;
            Assert.InRange(area, 0.17, 0.65);          // 0.2..0.6 up to rounding of the sides
            Assert.InRange(ratio, 0.75 * 0.9, 4.0 / 3 * 1.1);
        }
        // full scale and ratio 1 on a square image: the whole image, so the transform is the identity
        var x = Image();
        Assert.Equal(x, Apply(Transforms.RandomResizedCrop(1, 1, 1, 1), 5));
        // a constant image stays constant whatever the crop
        var flat = Enumerable.Repeat(0.25f, 3 * 64).ToArray();
        Assert.All(Apply(Transforms.RandomResizedCrop(), 9, flat), v => Assert.Equal(0.25f, v, 5));
    }

    [Fact]
    public void Normalize_per_channel()
    {
        var y = Apply(Transforms.Normalize([0.5f, 0f, 1f], [0.5f, 1f, 2f]), 0, Enumerable.Repeat(1f, 3 * 64).ToArray());
        Assert.Equal(1f, y[0]);
        Assert.Equal(1f, y[64]);
        Assert.Equal(0f, y[128]);
    }

    [Fact]
    public void Flattened_features_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Apply(Transforms.HorizontalFlip(1), 0, shape: [192]));
        Assert.Contains("HorizontalFlip", e.Message);
    }

    /// <summary>Same seed and epoch ⇒ same augmented batches (with and without prefetching); another epoch differs.</summary>
    [Fact]
    public void Augmentation_in_the_loader_is_reproducible()
    {
        var g = new Generator(1);
        var pixels = new byte[20 * 3 * 8 * 8];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)g.NextInt(256);
        var ds = new ImageDataset(new LabeledImages(pixels, new byte[20], 8, 8, 3));
        var augment = Transforms.Compose(Transforms.RandomCrop(8, 2), Transforms.HorizontalFlip(), Transforms.RandomResizedCrop(0.5),
            Transforms.ColorJitter(0.3f, 0.3f, 0.3f), Transforms.Cutout(3), Transforms.Normalize([0.5f], [0.25f]));
        List<float[]> Epoch(int prefetch, int epoch)
        {
            var loader = new DataLoader(ds, 6, shuffle: true, seed: 42, prefetch: prefetch, transform: augment) { Epoch = epoch };
            return loader.Select(b => b.X.ToArray<float>()).ToList();
        }
        var a = Epoch(0, 0);
        var b = Epoch(2, 0);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        var c = Epoch(2, 1);
        Assert.NotEqual(a[0], c[0]);
    }
}
