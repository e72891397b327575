namespace Nabla.Tests.Ops;

public class SumOpTests
{
    [Fact]
    public void Sums_over_any_dims_with_keepdim()
    {
        var x = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        Assert.Equal(276.0, x.Sum().Item());                      // 0+…+23 = 23·24/2
        var s1 = x.Sum(1);
        TestUtil.AssertShape(s1, 2, 4);
        Assert.Equal([12.0, 15, 18, 21, 48, 51, 54, 57], s1.ToArray<double>());
        var s02 = x.Sum([0, 2], keepDim: true);
        TestUtil.AssertShape(s02, 1, 3, 1);
        Assert.Equal([60.0, 92, 124], s02.ToArray<double>());   // e.g. dim1=0: (0+1+2+3)+(12+13+14+15)
        Assert.Equal(x.Sum(-1).ToArray<double>(), x.Sum(2).ToArray<double>());
    }

    [Fact]
    public void Sum_of_a_transposed_view()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal([6.0, 15], x.T.Sum(0).ToArray<double>());
    }

    /// <summary>Σ over flagged dims by visiting every element with its full index (independent of the kernels).</summary>
    internal static double[] NaiveReduce(double[] data, int[] shape, int[] dims, Func<IEnumerable<double>, double> f)
    {
        var reduce = new bool[shape.Length];
        foreach (var d in dims) reduce[(d + shape.Length) % shape.Length] = true;
        var groups = new SortedDictionary<long, List<double>>();
        var idx = new int[shape.Length];
        for (int p = 0; p < data.Length; p++)
        {
            long key = 0;
            for (int d = 0; d < shape.Length; d++) key = key * shape[d] + (reduce[d] ? 0 : idx[d]);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(data[p]);
            for (int d = shape.Length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
        return groups.Values.Select(f).ToArray();
    }

    public static TheoryData<int[]> DimSets => new() { new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { 3 }, new[] { 0, 1 },
        new[] { 1, 2 }, new[] { 2, 3 }, new[] { 0, 2 }, new[] { 1, 3 }, new[] { 0, 3 }, new[] { 0, 1, 3 }, new[] { -1, -3 } };

    [Theory, MemberData(nameof(DimSets))]
    public void Sum_and_mean_match_naive_for_contiguous_and_permuted_inputs(int[] dims)
    {
        var baseT = Tensor.Randn([3, 4, 2, 5], dtype: DType.Float64, generator: new Generator(9));
        foreach (var x in new[] { baseT, baseT.Permute(2, 0, 3, 1), baseT.Narrow(1, 1, 2) })
        {
            var shape = x.Shape.ToArray();
            var data = x.ToArray<double>();
            TestUtil.AssertClose(NaiveReduce(data, shape, dims, v => v.Sum()), x.Sum(dims), 1e-12);
            TestUtil.AssertClose(NaiveReduce(data, shape, dims, v => v.Average()), x.Mean(dims), 1e-12);
        }
    }

    [Fact]
    public void Full_sum_of_float32_uses_the_whole_buffer_view()
    {
        var x = Tensor.Ones(1000).Narrow(0, 10, 517);             // contiguous view with an offset
        Assert.Equal(517.0, x.Sum().Item());
        Assert.Equal(1.0, x.Mean().Item());
        Assert.Equal(0.0, Tensor.Zeros(0, 3).Sum().Item());
        Assert.True(double.IsNaN(Tensor.Zeros(0, 3).Mean().Item()));   // 0/0 as in PyTorch
    }

    [Fact]
    public void Mean_with_keepdim_and_negative_dim()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
        var m = x.Mean(-1, keepDim: true);
        TestUtil.AssertShape(m, 2, 1);
        Assert.Equal([2.0, 5], m.ToArray<double>());
        Assert.Equal(3.5, x.Mean().Item());
    }

    [Fact]
    public void Sum_and_mean_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Sum(), TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].Sum(1), TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Sum([0, 2], keepDim: true), TestUtil.RandD(1, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Mean(), TestUtil.RandD(2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Mean([-1, 0]), TestUtil.RandD(3, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].T.Mean(1, keepDim: true), TestUtil.RandD(4, 3, 4));
    }

    [Fact]
    public void Repeated_or_bad_dims_name_the_op()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.Contains("Mean", Assert.Throws<ArgumentException>(() => x.Mean([1, -1])).Message);
        Assert.Contains("Sum", Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2)).Message);
    }
}
