using System.Numerics.Tensors;

namespace Nabla.Data;

/// <summary>
/// A classification dataset over <see cref="LabeledImages"/> (bytes stay bytes: 47 MB for MNIST's 60k images rather
/// than 188 MB of floats). Features: x = (p / 255 − mean[c]) / std[c], shaped [C, H, W] or, flattened, [C·H·W];
/// mean and std are one value for all channels or one per channel (torchvision's <c>Normalize</c>).
/// Slices share the pixel array.
/// </summary>
public sealed class ImageDataset : IDataset
{
    private readonly int[] _featureShape;

    /// <param name="images">the pixels and labels</param>
    /// <param name="flatten">features [C·H·W] instead of [C, H, W]</param>
    /// <param name="mean">subtracted after scaling to [0, 1]</param>
    /// <param name="std">divides after subtracting the mean</param>
    public ImageDataset(LabeledImages images, bool flatten = false, float mean = 0, float std = 1)
        : this(images, 0, images?.Count ?? 0, flatten, [mean], [std]) { }

    /// <param name="images">the pixels and labels</param>
    /// <param name="mean">per channel (length Channels) or for all channels (length 1), after scaling to [0, 1]</param>
    /// <param name="std">per channel or for all channels, like <paramref name="mean"/></param>
    /// <param name="flatten">features [C·H·W] instead of [C, H, W]</param>
    public ImageDataset(LabeledImages images, float[] mean, float[] std, bool flatten = false)
        : this(images, 0, images?.Count ?? 0, flatten, (float[])mean.Clone(), (float[])std.Clone()) { }

    private ImageDataset(LabeledImages images, int start, int count, bool flatten, float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (mean.Length != std.Length || (mean.Length != 1 && mean.Length != images.Channels))
            throw new ArgumentException($"ImageDataset: mean and std need 1 or {images.Channels} values (one per channel), got {mean.Length} and {std.Length}");
        foreach (float s in std)
            if (!(s > 0) || !float.IsFinite(s)) throw new ArgumentOutOfRangeException(nameof(std), $"ImageDataset: std must be positive and finite (got {s})");
        foreach (float m in mean)
            if (!float.IsFinite(m)) throw new ArgumentOutOfRangeException(nameof(mean), $"ImageDataset: mean must be finite (got {m})");
        Images = images;
        Start = start;
        Count = count;
        Flatten = flatten;
        _mean = mean;
        _std = std;
        _featureShape = flatten ? [images.ImageSize] : [images.Channels, images.Rows, images.Cols];
    }

    private readonly float[] _mean, _std;

    /// <summary>The raw images this dataset views (shared with its slices).</summary>
    public LabeledImages Images { get; }

    /// <summary>Index in <see cref="Images"/> of this dataset's first example.</summary>
    public int Start { get; }

    /// <inheritdoc/>
    public int Count { get; }
    /// <summary>Features are [C·H·W] when true, else [C, H, W].</summary>
    public bool Flatten { get; }
    /// <summary>The mean subtracted (the first channel's when normalising per channel).</summary>
    public float Mean => _mean[0];

    /// <summary>The std divided by (the first channel's when normalising per channel).</summary>
    public float Std => _std[0];

    /// <summary>The means subtracted: one value for all channels, or one per channel.</summary>
    public IReadOnlyList<float> ChannelMean => _mean;

    /// <summary>The stds divided by: one value for all channels, or one per channel.</summary>
    public IReadOnlyList<float> ChannelStd => _std;

    /// <inheritdoc/>
    public ReadOnlySpan<int> FeatureShape => _featureShape;

    /// <summary>The examples start .. start+count-1 of this dataset (shares the pixels).</summary>
    public ImageDataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"ImageDataset.Slice: [{start}, {start + count}) does not fit {Count} examples");
        return new ImageDataset(Images, Start + start, count, Flatten, _mean, _std);
    }

    /// <summary>The label of example <paramref name="index"/>.</summary>
    public int Label(int index)
    {
        DatasetExtensions.CheckIndex(index, Count, nameof(ImageDataset));
        return Images.Labels[Start + index];
    }

    /// <inheritdoc/>
    public int Get(int index, Span<float> features)
    {
        DatasetExtensions.CheckIndex(index, Count, nameof(ImageDataset));
        int size = Images.ImageSize;
        if (features.Length < size)
            throw new ArgumentException($"ImageDataset: feature span holds {features.Length} floats, an example needs {size}", nameof(features));
        var src = Images.Pixels.AsSpan((Start + index) * size, size);
        var dst = features[..size];
        // SIMD widening + divisions, in the order of torchvision's ToTensor then Normalize (10x a lookup table).
        TensorPrimitives.ConvertChecked<byte, float>(src, dst);
        TensorPrimitives.Divide(dst, 255f, dst);
        int planes = _mean.Length, plane = size / planes;
        for (int c = 0; c < planes; c++)
        {
            if (_mean[c] == 0 && _std[c] == 1) continue;
            var part = dst.Slice(c * plane, plane);
            TensorPrimitives.Subtract(part, _mean[c], part);
            TensorPrimitives.Divide(part, _std[c], part);
        }
        return Images.Labels[Start + index];
    }
}
