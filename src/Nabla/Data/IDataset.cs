namespace Nabla.Data;

/// <summary>
/// A finite, indexable set of labelled examples whose features are float32 arrays of one fixed shape (image
/// classification: features [C, H, W] or [H·W], label = class index). Examples are materialised one at a time into
/// a caller's span, so a 60,000-image set never becomes 60,000 tensors; <see cref="DataLoader"/> writes them
/// straight into a batch buffer.
/// </summary>
public interface IDataset
{
    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>Shape of one example's features (without the batch dimension), e.g. [1, 28, 28] or [784].</summary>
    ReadOnlySpan<int> FeatureShape { get; }

    /// <summary>Writes example <paramref name="index"/>'s features (row-major, FeatureShape's numel floats) into
    /// <paramref name="features"/> and returns its label.</summary>
    int Get(int index, Span<float> features);
}

/// <summary>Helpers shared by datasets.</summary>
public static class DatasetExtensions
{
    /// <summary>Number of floats in one example (product of <see cref="IDataset.FeatureShape"/>).</summary>
    public static int FeatureSize(this IDataset dataset)
    {
        int n = 1;
        foreach (int d in dataset.FeatureShape) n *= d;
        return n;
    }

    internal static void CheckIndex(int index, int count, string who)
    {
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), $"{who}: index {index} is out of range for {count} examples");
    }
}
