namespace Nabla.Data;

/// <summary>
/// Images with class labels as stored on disk: <see cref="Count"/> images of [Channels, Rows, Cols] unsigned bytes
/// (0 = background, 255 = ink), row-major, one after another, plus one label byte per image. This is what the IDX
/// and CSV readers return and the writers take; <see cref="ImageDataset"/> turns it into float features.
/// </summary>
public sealed class LabeledImages
{
    /// <summary>Wraps the arrays (not copied) after checking that their sizes agree.</summary>
    /// <param name="pixels">Count·Channels·Rows·Cols bytes, image after image</param>
    /// <param name="labels">one class index per image</param>
    /// <param name="rows">image height</param>
    /// <param name="cols">image width</param>
    /// <param name="channels">channels (1 grey, 3 RGB)</param>
    /// <exception cref="ArgumentNullException">a null array</exception>
    /// <exception cref="ArgumentException">a non-positive shape, or a pixel count that is not labels·channels·rows·cols</exception>
    public LabeledImages(byte[] pixels, byte[] labels, int rows, int cols, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows < 1 || cols < 1 || channels < 1)
            throw new ArgumentException($"LabeledImages: image shape [{channels}, {rows}, {cols}] must be positive");
        long expected = (long)labels.Length * channels * rows * cols;
        if (pixels.Length != expected)
            throw new ArgumentException($"LabeledImages: {labels.Length} labels of [{channels}, {rows}, {cols}] need {expected} pixel bytes, got {pixels.Length}");
        Pixels = pixels;
        Labels = labels;
        Rows = rows;
        Cols = cols;
        Channels = channels;
    }

    /// <summary>All pixels, image after image (do not mutate while datasets share it).</summary>
    public byte[] Pixels { get; }

    /// <summary>One class index per image.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;
    /// <summary>Channels per image (1 grey, 3 RGB).</summary>
    public int Channels { get; }
    /// <summary>Image height.</summary>
    public int Rows { get; }
    /// <summary>Image width.</summary>
    public int Cols { get; }

    /// <summary>Bytes per image: Channels·Rows·Cols.</summary>
    public int ImageSize => Channels * Rows * Cols;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        DatasetExtensions.CheckIndex(index, Count, nameof(LabeledImages));
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>Throws <see cref="DataFormatException"/> naming <paramref name="source"/> when a label is not in
    /// 0 .. numClasses-1.</summary>
    public void ValidateLabels(int numClasses, string source)
    {
        for (int i = 0; i < Labels.Length; i++)
            if (Labels[i] >= numClasses)
                throw DataFormatException.For(source, $"label {Labels[i]} of example {i} is outside 0..{numClasses - 1}");
    }
}
