using Nabla.Data;

namespace Nabla.Tests.Data;

public class DatasetSplitTests
{
    [Fact]
    public void RandomSplit_IsDisjointCovering_AndSeeded()
    {
        var ds = SubsetTests.Indexed(20);
        var parts = DatasetSplit.RandomSplit(ds, [12, 5, 3], seed: 7);
        Assert.Equal([12, 5, 3], parts.Select(p => p.Count).ToArray());
        var all = parts.SelectMany(p => p.Indices.ToArray()).OrderBy(i => i).ToArray();
        Assert.Equal(Enumerable.Range(0, 20).ToArray(), all);
        var again = DatasetSplit.RandomSplit(ds, [12, 5, 3], seed: 7);
        Assert.Equal(parts[1].Indices.ToArray(), again[1].Indices.ToArray());
        var other = DatasetSplit.RandomSplit(ds, [12, 5, 3], seed: 8);
        Assert.NotEqual(parts[0].Indices.ToArray(), other[0].Indices.ToArray());
    }

    [Fact]
    public void RandomSplit_SizesMustSumToCount()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetSplit.RandomSplit(SubsetTests.Indexed(10), [5, 4], 0));
        Assert.Contains("sum to 9", e.Message);
        Assert.Throws<ArgumentException>(() => DatasetSplit.RandomSplit(SubsetTests.Indexed(10), [11, -1], 0));
    }

    [Fact]
    public void TrainValidation_WithoutSeed_HoldsOutTheLastExamples()
    {
        var (train, valid) = DatasetSplit.TrainValidation(SubsetTests.Indexed(10), 3);
        Assert.Equal(Enumerable.Range(0, 7).ToArray(), train.Indices.ToArray());
        Assert.Equal([7, 8, 9], valid.Indices.ToArray());
        var (t2, v2) = DatasetSplit.TrainValidation(SubsetTests.Indexed(10), 3, seed: 1);
        Assert.Equal(10, t2.Indices.ToArray().Concat(v2.Indices.ToArray()).Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.TrainValidation(SubsetTests.Indexed(10), 11));
    }
}
