using Nabla.Data;

namespace Nabla.Tests.Data;

public class SubsetTests
{
    /// <summary>N examples whose single feature equals the index and whose label is 10·index.</summary>
    internal static TensorDataset Indexed(int n)
    {
        var y = new int[n];
        for (int i = 0; i < n; i++) y[i] = 10 * i;
        return new TensorDataset(Tensor.Arange(n).Reshape(n, 1), Tensor.FromArray(y));
    }

    [Fact]
    public void Get_MapsThroughIndices()
    {
        var s = new Subset(Indexed(6), [4, 1, 4]);
        Assert.Equal(3, s.Count);
        var f = new float[1];
        Assert.Equal(40, s.Get(0, f));
        Assert.Equal(10, s.Get(1, f));
        Assert.Equal(1f, f[0]);
    }

    [Fact]
    public void Range_IsContiguous_AndBoundsAreChecked()
    {
        var s = Subset.Range(Indexed(6), 2, 3);
        Assert.Equal([2, 3, 4], s.Indices.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Subset.Range(Indexed(6), 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subset(Indexed(6), [0, 6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Get(3, new float[1]));
    }
}
