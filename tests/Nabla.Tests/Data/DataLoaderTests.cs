using Nabla.Data;

namespace Nabla.Tests.Data;

public class DataLoaderTests
{
    /// <summary>Feature = [index, index + 0.5], label = index.</summary>
    private sealed class IndexDataset(int count, int throwAt = -1) : IDataset
    {
        private int _gets;
        public int Gets => Volatile.Read(ref _gets);
        public int Count => count;
        public ReadOnlySpan<int> FeatureShape => new[] { 2 };

        public int Get(int index, Span<float> features)
        {
            Interlocked.Increment(ref _gets);
            if (index == throwAt) throw new InvalidOperationException($"bad example {index}");
            features[0] = index;
            features[1] = index + 0.5f;
            return index;
        }
    }

    /// <summary>Copies of every batch of one epoch (safe with reused buffers).</summary>
    private static List<(float[] X, int[] Y, int[] Shape)> Epoch(DataLoader loader) =>
        loader.Select(b => (b.X.ToArray<float>(), b.Y.ToArray<int>(), b.X.Shape.ToArray())).ToList();

    [Fact]
    public void Batches_HaveShapesDTypesAndValues_InOrderWithoutShuffle()
    {
        var batches = new DataLoader(new IndexDataset(5), 2, prefetch: 0).ToList();
        Assert.Equal(3, batches.Count);
        TestUtil.AssertShape(batches[0].X, 2, 2);
        Assert.Equal(DType.Float32, batches[0].X.DType);
        Assert.Equal(DType.Int32, batches[0].Y.DType);
        Assert.Equal(new[] { 2f, 2.5f, 3, 3.5f }, batches[1].X.ToArray<float>());
        Assert.Equal([4], batches[2].Y.ToArray<int>());
        Assert.Equal(1, batches[2].Size);
    }

    [Theory]
    [InlineData(10, 3, false, 4)]
    [InlineData(10, 3, true, 3)]
    [InlineData(9, 3, true, 3)]
    [InlineData(2, 3, true, 0)]
    public void DropLast_ControlsTheLastPartialBatch(int n, int batch, bool dropLast, int expected)
    {
        var loader = new DataLoader(new IndexDataset(n), batch, dropLast: dropLast);
        Assert.Equal(expected, loader.BatchCount);
        var sizes = loader.Select(b => b.Size).ToList();
        Assert.Equal(expected, sizes.Count);
        if (dropLast) Assert.All(sizes, s => Assert.Equal(batch, s));
        else Assert.Equal(n, sizes.Sum());
    }

    [Fact]
    public void Shuffle_IsAPermutationPerEpoch_DifferentAcrossEpochs()
    {
        var loader = new DataLoader(new IndexDataset(50), 8, shuffle: true, seed: 3);
        var e0 = loader.SelectMany(b => b.Y.ToArray<int>()).ToArray();
        var e1 = loader.SelectMany(b => b.Y.ToArray<int>()).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), e0.Order());
        Assert.Equal(Enumerable.Range(0, 50), e1.Order());
        Assert.NotEqual(Enumerable.Range(0, 50).ToArray(), e0);
        Assert.NotEqual(e0, e1);
        Assert.Equal(2, loader.Epoch);
    }

    [Fact]
    public void SameSeed_SameOrder_DifferentSeed_DifferentOrder_EpochSettable()
    {
        DataLoader Make(ulong seed) => new(new IndexDataset(40), 6, shuffle: true, seed: seed);
        var a = Make(11); var b = Make(11); var c = Make(12);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var ya = Epoch(a).SelectMany(t => t.Y).ToArray();
            Assert.Equal(ya, Epoch(b).SelectMany(t => t.Y).ToArray());
            Assert.NotEqual(ya, Epoch(c).SelectMany(t => t.Y).ToArray());
        }
        // Resuming at epoch 2 reproduces a fresh loader's third epoch.
        var resumed = Make(11);
        resumed.Epoch = 2;
        Assert.Equal(a.EpochOrder(2), Epoch(resumed).SelectMany(t => t.Y).ToArray());
    }

    private static readonly SampleTransform Noise = (f, shape, rng) =>
    {
        Assert.Equal([2], shape.ToArray());
        for (int i = 0; i < f.Length; i++) f[i] += (float)rng.NextDouble();
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Prefetch_GivesTheSameBatchesAsSynchronous_WithTransform(bool reuse)
    {
        List<(float[] X, int[] Y, int[] Shape)> Run(int prefetch) =>
            Epoch(new DataLoader(new IndexDataset(23), 4, shuffle: true, seed: 5, prefetch: prefetch, transform: Noise, reuseBuffers: reuse));
        var sync = Run(0);
        foreach (int prefetch in new[] { 1, 3 })
        {
            var pre = Run(prefetch);
            Assert.Equal(sync.Count, pre.Count);
            for (int i = 0; i < sync.Count; i++)
            {
                Assert.Equal(sync[i].X, pre[i].X);
                Assert.Equal(sync[i].Y, pre[i].Y);
                Assert.Equal(sync[i].Shape, pre[i].Shape);
            }
        }
        // The transform really ran: feature 0 = index + u with u in [0, 1).
        var first = sync[0];
        Assert.NotEqual((float)first.Y[0], first.X[0]);
        Assert.InRange(first.X[0] - first.Y[0], 0f, 1f);
    }

    [Fact]
    public void Transform_DiffersAcrossEpochs_SameSeedSameNoise()
    {
        var a = new DataLoader(new IndexDataset(8), 8, seed: 1, transform: Noise);
        var b = new DataLoader(new IndexDataset(8), 8, seed: 1, transform: Noise);
        var a0 = Epoch(a)[0].X;
        Assert.Equal(a0, Epoch(b)[0].X);
        Assert.NotEqual(a0, Epoch(a)[0].X);
    }

    [Fact]
    public void ReuseBuffers_RecyclesAtMostPrefetchPlusTwoArrays()
    {
        const int prefetch = 2;
        var loader = new DataLoader(new IndexDataset(100), 5, prefetch: prefetch, reuseBuffers: true);
        var storages = new HashSet<Array>(ReferenceEqualityComparer.Instance);
        int batches = 0;
        foreach (var (x, _) in loader) { storages.Add(x.StorageKey); batches++; }
        Assert.Equal(20, batches);
        Assert.InRange(storages.Count, 1, prefetch + 2);
        // Without reuse every batch owns its arrays.
        storages.Clear();
        foreach (var (x, _) in new DataLoader(new IndexDataset(100), 5, prefetch: prefetch)) storages.Add(x.StorageKey);
        Assert.Equal(20, storages.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void DatasetExceptions_ReachTheConsumer_WithTheirType(int prefetch)
    {
        var loader = new DataLoader(new IndexDataset(30, throwAt: 13), 4, prefetch: prefetch);
        int seen = 0;
        var e = Assert.Throws<InvalidOperationException>(() => { foreach (var _ in loader) seen++; });
        Assert.Equal("bad example 13", e.Message);
        Assert.Equal(3, seen);   // batches 0..2 (examples 0..11) arrive before the failing one
    }

    [Fact]
    public void LeavingEarly_StopsTheProducer()
    {
        const int prefetch = 2, batch = 4;
        var ds = new IndexDataset(10_000);
        var loader = new DataLoader(ds, batch, prefetch: prefetch);
        int taken = 0;
        foreach (var _ in loader) if (++taken == 3) break;
        // Dispose waited for the producer: at most the consumed batches, the queue, and one being built.
        int gets = ds.Gets;
        Assert.InRange(gets, taken * batch, (taken + prefetch + 2) * batch);
        Thread.Sleep(50);
        Assert.Equal(gets, ds.Gets);
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new IndexDataset(3), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new IndexDataset(3), 2, prefetch: -1));
        using var en = new DataLoader(new IndexDataset(3), 2).GetEnumerator();
        Assert.Throws<InvalidOperationException>(() => en.Current);
    }
}
