using Nabla.Data;

namespace Nabla.Distributed;

/// <summary>
/// The examples one rank visits in an epoch, like PyTorch's <c>DistributedSampler</c>: the epoch's permutation is the
/// one a <see cref="DataLoader"/> with the same seed draws (so N ranks together see exactly what one process sees),
/// and rank r takes positions r, r + N, r + 2N, ... of it. Consecutive per-rank batches of B therefore make up the
/// single process's consecutive batches of N·B. When the dataset size is not a multiple of N, the remainder is
/// <b>padded</b> by repeating the permutation's first examples (PyTorch's default), or <b>dropped</b> with
/// <see cref="DropLast"/>; either way every rank gets <see cref="NumSamples"/> examples and runs the same number of steps.
/// </summary>
public sealed class DistributedSampler
{
    private readonly DataLoader _order;

    public DistributedSampler(IDataset dataset, int numReplicas, int rank, bool shuffle = true, ulong seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (numReplicas < 1) throw new ArgumentOutOfRangeException(nameof(numReplicas), $"DistributedSampler: numReplicas must be at least 1, got {numReplicas}");
        if ((uint)rank >= (uint)numReplicas) throw new ArgumentOutOfRangeException(nameof(rank), $"DistributedSampler: rank {rank} is not in 0..{numReplicas - 1}");
        if (dropLast && dataset.Count < numReplicas)
            throw new ArgumentException($"DistributedSampler: {dataset.Count} examples cannot be shared by {numReplicas} ranks with dropLast");
        if (dataset.Count == 0) throw new ArgumentException("DistributedSampler: the dataset is empty");
        Dataset = dataset;
        NumReplicas = numReplicas;
        Rank = rank;
        DropLast = dropLast;
        _order = new DataLoader(dataset, 1, shuffle, seed, prefetch: 0);
        NumSamples = dropLast ? dataset.Count / numReplicas : (dataset.Count + numReplicas - 1) / numReplicas;
    }

    public IDataset Dataset { get; }
    public int NumReplicas { get; }
    public int Rank { get; }
    public bool DropLast { get; }

    /// <summary>Examples per rank per epoch.</summary>
    public int NumSamples { get; }

    /// <summary>Examples per epoch over all ranks (padded up or dropped down to a multiple of the rank count).</summary>
    public int TotalSize => NumSamples * NumReplicas;

    /// <summary>This rank's dataset positions for <paramref name="epoch"/>, in the order it visits them.</summary>
    public int[] Indices(int epoch)
    {
        var order = _order.EpochOrder(epoch);
        var mine = new int[NumSamples];
        for (int i = 0; i < NumSamples; i++)
            mine[i] = order[(Rank + i * NumReplicas) % order.Length];   // past the end: wraps to the first examples (padding)
        return mine;
    }

    /// <summary>This rank's examples of <paramref name="epoch"/> as a dataset (feed it to an unshuffled DataLoader).</summary>
    public Subset Shard(int epoch) => new(Dataset, Indices(epoch));
}
