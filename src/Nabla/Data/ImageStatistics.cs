namespace Nabla.Data;

/// <summary>Per-channel statistics of byte images scaled to [0, 1], for torchvision-style <c>Normalize(mean, std)</c>.</summary>
public static class ImageStatistics
{
    /// <summary>
    /// Mean and population standard deviation of each channel over images start .. start+count−1 (all pixels of
    /// all those images): mean[c] = Σ p / (255·n), std[c] = √(Σ p² / (255²·n) − mean[c]²). Exact integer sums,
    /// so the result does not depend on the order or the number of threads.
    /// </summary>
    public static (float[] Mean, float[] Std) ChannelMeanStd(LabeledImages images, int start = 0, int count = -1)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (count < 0) count = images.Count - start;
        if (start < 0 || start + count > images.Count || count == 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"ImageStatistics: [{start}, {start + count}) is empty or outside {images.Count} images");
        int channels = images.Channels, plane = images.Rows * images.Cols;
        var sum = new long[channels];
        var sumSq = new long[channels];
        var gate = new object();
        Parallel.For(start, start + count, () => (new long[channels], new long[channels]), (i, _, local) =>
        {
            var img = images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize);
            for (int c = 0; c < channels; c++)
            {
                long s = 0, q = 0;
                foreach (byte p in img.Slice(c * plane, plane)) { s += p; q += p * p; }
                local.Item1[c] += s;
                local.Item2[c] += q;
            }
            return local;
        }, local =>
        {
            lock (gate)
                for (int c = 0; c < channels; c++) { sum[c] += local.Item1[c]; sumSq[c] += local.Item2[c]; }
        });
        var mean = new float[channels];
        var std = new float[channels];
        double n = (double)count * plane;
        for (int c = 0; c < channels; c++)
        {
            double m = sum[c] / (255.0 * n);
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(Math.Max(0, sumSq[c] / (255.0 * 255.0 * n) - m * m));
        }
        return (mean, std);
    }
}
