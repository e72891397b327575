using Nabla.Data;
using Nabla.Distributed;

namespace Nabla.Tests.Distributed;

public class DistributedSamplerTests
{
    private static TensorDataset Data(int n) => new(Tensor.Zeros([n, 2]), Tensor.Zeros([n], DType.Int32));

    [Theory]
    [InlineData(12, 2)]
    [InlineData(12, 4)]
    [InlineData(10, 3)]
    public void Shards_interleave_the_loaders_permutation_without_overlap(int n, int ranks)
    {
        var data = Data(n);
        var order = new DataLoader(data, 1, shuffle: true, seed: 5).EpochOrder(2);
        var shards = Enumerable.Range(0, ranks).Select(r => new DistributedSampler(data, ranks, r, seed: 5).Indices(2)).ToArray();
        int per = (n + ranks - 1) / ranks;
        Assert.All(shards, s => Assert.Equal(per, s.Length));
        // Rank r, step i holds position r + i·N of the single-process order: per-rank batches of B make its batches of N·B.
        for (int r = 0; r < ranks; r++)
            for (int i = 0; i < per; i++)
                Assert.Equal(order[(r + i * ranks) % n], shards[r][i]);
        var all = shards.SelectMany(s => s).ToList();
        Assert.Equal(Enumerable.Range(0, n), all.Distinct().Order());             // every example is visited
        Assert.Equal(per * ranks - n, all.Count - all.Distinct().Count());        // padding repeats only the remainder
        Assert.Equal(order.Take(per * ranks - n).Order(), all.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).Order());
    }

    [Fact]
    public void DropLast_drops_the_remainder_and_nothing_repeats()
    {
        var data = Data(10);
        var shards = Enumerable.Range(0, 3).Select(r => new DistributedSampler(data, 3, r, dropLast: true).Indices(0)).ToArray();
        Assert.All(shards, s => Assert.Equal(3, s.Length));
        Assert.Equal(9, shards.SelectMany(s => s).Distinct().Count());
    }

    [Fact]
    public void Epochs_differ_and_are_reproducible()
    {
        var s = new DistributedSampler(Data(50), 2, 1, seed: 3);
        Assert.Equal(s.Indices(4), new DistributedSampler(Data(50), 2, 1, seed: 3).Indices(4));
        Assert.NotEqual(s.Indices(0), s.Indices(1));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Contains("rank 2 is not in 0..1", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(Data(4), 2, 2)).Message);
        Assert.Contains("numReplicas must be at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(Data(4), 0, 0)).Message);
        Assert.Contains("cannot be shared by 5 ranks", Assert.Throws<ArgumentException>(() => new DistributedSampler(Data(4), 5, 0, dropLast: true)).Message);
    }
}
