
namespace Nabla.Data;

/// <summary>Splitting a dataset into disjoint subsets (train / validation / test).</summary>
public static class DatasetSplit
{
    /// <summary>Disjoint random subsets of the given sizes, which must sum to the dataset's count (like
    /// <c>torch.utils.data.random_split</c>); the same seed gives the same split.</summary>
    public static Subset[] RandomSplit(IDataset dataset, int[] sizes, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sizes);
        long total = 0;
        foreach (int s in sizes)
        {
            if (s < 0) throw new ArgumentException($"RandomSplit: negative size {s} in [{string.Join(", ", sizes)}]", nameof(sizes));
            total += s;
        }
        if (total != dataset.Count)
            throw new ArgumentException($"RandomSplit: sizes [{string.Join(", ", sizes)}] sum to {total}, not to the dataset's {dataset.Count} examples", nameof(sizes));
        var perm = new Generator(seed).Permutation(dataset.Count);
        var parts = new Subset[sizes.Length];
        int at = 0;
        for (int k = 0; k < sizes.Length; k++)
        {
            parts[k] = new Subset(dataset, perm[at..(at + sizes[k])]);
            at += sizes[k];
        }
        return parts;
    }

    /// <summary>Holds out <paramref name="validationCount"/> examples: the last ones in order when
    /// <paramref name="seed"/> is null (the standard MNIST 50k/10k split), a random choice otherwise.</summary>
    public static (Subset Train, Subset Validation) TrainValidation(IDataset dataset, int validationCount, ulong? seed = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (validationCount < 0 || validationCount > dataset.Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"TrainValidation: cannot hold out {validationCount} of {dataset.Count} examples");
        int train = dataset.Count - validationCount;
        if (seed is ulong s)
        {
            var parts = RandomSplit(dataset, [train, validationCount], s);
            return (parts[0], parts[1]);
        }
        return (Subset.Range(dataset, 0, train), Subset.Range(dataset, train, validationCount));
    }
}
