namespace Nabla.Data;

/// <summary>The examples of <see cref="Dataset"/> at the given indices, in that order (no data is copied).</summary>
public sealed class Subset : IDataset
{
    private readonly int[] _indices;

    /// <summary>A view of <paramref name="dataset"/>'s examples at <paramref name="indices"/> (copied; repeats allowed).</summary>
    /// <exception cref="ArgumentNullException">a null argument</exception>
    /// <exception cref="ArgumentOutOfRangeException">an index outside [0, dataset.Count)</exception>
    public Subset(IDataset dataset, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int i in indices)
            if ((uint)i >= (uint)dataset.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Subset: index {i} is out of range for a dataset of {dataset.Count} examples");
        Dataset = dataset;
        _indices = (int[])indices.Clone();
    }

    /// <summary>The contiguous examples start .. start+count-1.</summary>
    public static Subset Range(IDataset dataset, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (start < 0 || count < 0 || start + count > dataset.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Subset.Range: [{start}, {start + count}) does not fit a dataset of {dataset.Count} examples");
        var idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = start + i;
        return new Subset(dataset, idx);
    }

    /// <summary>The underlying dataset.</summary>
    public IDataset Dataset { get; }

    /// <summary>Positions in <see cref="Dataset"/> (do not mutate).</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public ReadOnlySpan<int> FeatureShape => Dataset.FeatureShape;

    /// <inheritdoc/>
    public int Get(int index, Span<float> features)
    {
        DatasetExtensions.CheckIndex(index, Count, nameof(Subset));
        return Dataset.Get(_indices[index], features);
    }
}
