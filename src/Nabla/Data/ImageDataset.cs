using System.Numerics.Tensors;

namespace Nabla.Data;

/// <summary>
/// A classification dataset over <see cref="LabeledImages"/> (bytes stay bytes: 47 MB for MNIST's 60k images rather
/// than 188 MB of floats). Features: x = (p / 255 − mean) / std, shaped [C, H, W] or, flattened, [C·H·W].
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
        : this(images, 0, images?.Count ?? 0, flatten, mean, std) { }

    private ImageDataset(LabeledImages images, int start, int count, bool flatten, float mean, float std)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!(std > 0) || !float.IsFinite(std)) throw new ArgumentOutOfRangeException(nameof(std), $"ImageDataset: std must be positive and finite (got {std})");
        if (!float.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), $"ImageDataset: mean must be finite (got {mean})");
        Images = images;
        Start = start;
        Count = count;
        Flatten = flatten;
        Mean = mean;
        Std = std;
        _featureShape = flatten ? [images.ImageSize] : [images.Channels, images.Rows, images.Cols];
    }

    public LabeledImages Images { get; }

    /// <summary>Index in <see cref="Images"/> of this dataset's first example.</summary>
    public int Start { get; }

    public int Count { get; }
    public bool Flatten { get; }
    public float Mean { get; }
    public float Std { get; }

    public ReadOnlySpan<int> FeatureShape => _featureShape;

    /// <summary>The examples start .. start+count-1 of this dataset (shares the pixels).</summary>
    public ImageDataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"ImageDataset.Slice: [{start}, {start + count}) does not fit {Count} examples");
        return new ImageDataset(Images, Start + start, count, Flatten, Mean, Std);
    }

    /// <summary>The label of example <paramref name="index"/>.</summary>
    public int Label(int index)
    {
        DatasetExtensions.CheckIndex(index, Count, nameof(ImageDataset));
        return Images.Labels[Start + index];
    }

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
        if (Mean != 0 || Std != 1)
        {
            TensorPrimitives.Subtract(dst, Mean, dst);
            TensorPrimitives.Divide(dst, Std, dst);
        }
        return Images.Labels[Start + index];
    }
}
