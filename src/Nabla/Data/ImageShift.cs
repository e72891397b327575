namespace Nabla.Data;

/// <summary>
/// Integer translation and left–right mirroring of images in one pass: out[c, y, x] = in[c, b(y − dy), b(x' − dx)] with
/// x' = W − 1 − x when mirrored (else x) and b the <see cref="BorderMode"/> for indices outside the image — the content
/// moves dy rows down and dx columns right, then the result is mirrored. The batch-level augmentation of airbench
/// (random ±2-pixel translation with reflect padding, flips) and the views of test-time augmentation are built from it.
/// Shape: one image [C, H, W] (spans), or a batch [N, C, H, W] (tensors).
/// </summary>
public static class ImageShift
{
    /// <summary>Writes the shifted (and, with <paramref name="flip"/>, mirrored) image <paramref name="src"/> into
    /// <paramref name="dst"/> (both [C, H, W], not overlapping).</summary>
    /// <exception cref="ArgumentException">a span shorter than C·H·W, a non-positive size, or a reflected shift of H or W or more</exception>
    public static void ShiftFlip(ReadOnlySpan<float> src, Span<float> dst, int c, int h, int w, int dy, int dx, bool flip, BorderMode border)
    {
        if (c < 1 || h < 1 || w < 1) throw new ArgumentException($"ImageShift: sizes must be positive, got {c}×{h}×{w}");
        if (src.Length < c * h * w || dst.Length < c * h * w)
            throw new ArgumentException($"ImageShift: spans of {src.Length} and {dst.Length} are shorter than {c}×{h}×{w}");
        if (border == BorderMode.Reflect && (Math.Abs(dy) >= Math.Max(h, 2) || Math.Abs(dx) >= Math.Max(w, 2)))
            throw new ArgumentException($"ImageShift: a reflected shift must be smaller than the image ({h}×{w}), got ({dy}, {dx})");
        Span<int> cols = w <= 1024 ? stackalloc int[w] : new int[w];
        for (int x = 0; x < w; x++) cols[x] = Source(flip ? w - 1 - x : x, dx, w, border);
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
            {
                var row = dst.Slice((ch * h + y) * w, w);
                int sy = Source(y, dy, h, border);
                if (sy < 0) { row.Clear(); continue; }
                var from = src.Slice((ch * h + sy) * w, w);
                for (int x = 0; x < w; x++) row[x] = cols[x] < 0 ? 0 : from[cols[x]];
            }
    }

    /// <summary>Every image of <paramref name="images"/> [N, C, H, W] (float32) shifted by the same (dy, dx) and optionally
    /// mirrored: a new tensor (not recorded by autograd).</summary>
    /// <exception cref="ArgumentException">not a float32 tensor of rank 4, or a bad shift (see the span overload)</exception>
    public static Tensor ShiftFlip(Tensor images, int dy, int dx, bool flip, BorderMode border)
    {
        if (images.Rank != 4 || images.DType != DType.Float32)
            throw ShapeMismatchException.For(nameof(ImageShift), "needs float32 images [N, C, H, W]", images.Shape.ToArray());
        int n = images.Size(0), c = images.Size(1), h = images.Size(2), w = images.Size(3), size = c * h * w;
        var src = images.Contiguous().ToArray<float>();
        var dst = new float[src.Length];
        for (int i = 0; i < n; i++)
            ShiftFlip(src.AsSpan(i * size, size), dst.AsSpan(i * size, size), c, h, w, dy, dx, flip, border);
        return Tensor.FromArray(dst, n, c, h, w);
    }

    /// <summary>The source index of output index <paramref name="i"/> moved by <paramref name="shift"/> within
    /// <paramref name="size"/>, or −1 when it falls outside under <see cref="BorderMode.Zeros"/>.</summary>
    private static int Source(int i, int shift, int size, BorderMode border)
    {
        int s = i - shift;
        if (s >= 0 && s < size) return s;
        if (border == BorderMode.Zeros) return -1;
        return s < 0 ? -s : 2 * (size - 1) - s;
    }
}
