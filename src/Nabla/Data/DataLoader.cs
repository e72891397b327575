using System.Collections;

namespace Nabla.Data;

/// <summary>
/// Iterates over a dataset in mini-batches <c>(X [B, ...] float32, Y [B] int32)</c>, like
/// <c>torch.utils.data.DataLoader</c>. Each enumeration is one epoch: with <see cref="Shuffle"/> its order is a
/// permutation drawn from (<see cref="Seed"/>, epoch), so the same seed gives the same sequence of epochs. With
/// <see cref="Prefetch"/> &gt; 0 one background task fills up to that many batches ahead (bounded queue); its
/// exceptions are re-thrown by <c>MoveNext</c>, and disposing the enumerator (leaving a <c>foreach</c>) stops it.
/// </summary>
/// <remarks>
/// With <see cref="ReuseBuffers"/> the loader recycles batch storage: a batch stays valid until the enumerator
/// moves past it, so a training loop may use it freely but must not keep it (clone what you keep). Without it every
/// batch owns fresh arrays. Per-example transforms get a generator reseeded from (seed, epoch, position), which makes
/// augmentation reproducible whatever the prefetch depth.
/// </remarks>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly int[] _featureShape;

    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, ulong seed = 0, bool dropLast = false,
        int prefetch = 2, SampleTransform? transform = null, bool reuseBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: batchSize must be at least 1 (got {batchSize})");
        if (prefetch < 0) throw new ArgumentOutOfRangeException(nameof(prefetch), $"DataLoader: prefetch must be non-negative (got {prefetch})");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Prefetch = prefetch;
        Transform = transform;
        ReuseBuffers = reuseBuffers;
        _featureShape = dataset.FeatureShape.ToArray();
        FeatureSize = ShapeUtil.Numel(_featureShape);
    }

    public IDataset Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public ulong Seed { get; }
    public bool DropLast { get; }
    /// <summary>Batches prepared ahead by the background task (0: batches are built on the caller's thread).</summary>
    public int Prefetch { get; }
    public SampleTransform? Transform { get; }
    public bool ReuseBuffers { get; }
    internal int FeatureSize { get; }
    internal ReadOnlySpan<int> FeatureShape => _featureShape;

    /// <summary>The epoch the next enumeration runs; it advances by one at each <see cref="GetEnumerator"/>. Set it
    /// to resume a run (the order of epoch e does not depend on earlier epochs having been run).</summary>
    public int Epoch { get; set; }

    /// <summary>Batches per epoch (the last, smaller batch counts unless <see cref="DropLast"/>).</summary>
    public int BatchCount => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the dataset's examples.</summary>
    public int[] EpochOrder(int epoch)
    {
        int n = Dataset.Count;
        if (Shuffle) return new Generator(Mix(Seed, (ulong)epoch, 0)).Permutation(n);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }

    public IEnumerator<Batch> GetEnumerator() => new DataLoaderEnumerator(this, Epoch++);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Fills <paramref name="x"/> [size·FeatureSize] and <paramref name="y"/> [size] with the examples at
    /// positions start .. start+size-1 of <paramref name="order"/>, applying the transform.</summary>
    internal void Fill(int[] order, int epoch, int start, int size, float[] x, int[] y, Generator random)
    {
        int fs = FeatureSize;
        for (int i = 0; i < size; i++)
        {
            int pos = start + i;
            var features = x.AsSpan(i * fs, fs);
            y[i] = Dataset.Get(order[pos], features);
            if (Transform is not null)
            {
                random.Reseed(Mix(Seed, (ulong)epoch, 1 + (ulong)pos));
                Transform(features, _featureShape, random);
            }
        }
    }

    /// <summary>A 64-bit hash of (seed, a, b) with SplitMix64 finalisers: independent streams per epoch/position.</summary>
    internal static ulong Mix(ulong seed, ulong a, ulong b)
    {
        ulong h = Finalise(seed ^ 0x9E3779B97F4A7C15UL);
        h = Finalise(h ^ (a + 0xD1B54A32D192ED03UL));
        return Finalise(h ^ (b + 0x8CB92BA72F3D8DD7UL));
    }

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
