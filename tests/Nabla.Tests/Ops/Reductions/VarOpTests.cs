namespace Nabla.Tests.Ops.Reductions;

public class VarOpTests
{
    // x = [[1, 2, 4], [3, 5, 9]]; PyTorch 1.13: x.var() = 8; x.var(1) = [7/3, 28/3]; x.std(0, unbiased=False) = [1, 1.5, 2.5].
    private static Tensor X => Tensor.FromArray([1.0, 2, 4, 3, 5, 9], 2, 3);

    [Fact]
    public void Var_and_std_values()
    {
        Assert.Equal(8.0, X.Var().Item(), 12);
        TestUtil.AssertClose([7.0 / 3, 28.0 / 3], X.Var(1), 1e-12);
        TestUtil.AssertClose([1.0, 1.5, 2.5], X.Std(0, unbiased: false), 1e-12);
        TestUtil.AssertClose([Math.Sqrt(8)], X.Std([0, 1], keepDim: true), 1e-12);
        TestUtil.AssertShape(X.Var([0, 1], keepDim: true), 1, 1);
        TestUtil.AssertClose([7.0 / 3, 28.0 / 3], X.T.Var(-2), 1e-12);                 // non-contiguous
        Assert.True(double.IsNaN(Tensor.FromArray([1.0]).Var().Item()));                // n − 1 = 0, as PyTorch
        Assert.Equal(0.25, Tensor.FromArray([1f, 2f]).Var(unbiased: false).Item(), 6);
    }

    [Fact]
    public void Var_matches_naive_over_several_dims()
    {
        var x = Tensor.Randn([3, 4, 5], dtype: DType.Float64, generator: new Generator(3)) * 10 + 100;
        foreach (var dims in new[] { new[] { 0, 2 }, new[] { 1 }, new[] { 1, 2 } })
        {
            var expected = SumOpTests.NaiveReduce(x.ToArray<double>(), [3, 4, 5], dims, v =>
            {
                var a = v.ToArray();
                double m = a.Average();
                return a.Sum(q => (q - m) * (q - m)) / (a.Length - 1);
            });
            TestUtil.AssertClose(expected, x.Var(dims), 1e-10);
        }
    }

    [Fact]
    public void Std_of_constant_values_has_zero_gradient()
    {
        var x = Tensor.Full([2, 3], 4.0, DType.Float64).RequiresGrad_();
        x.Std(1).Sum().Backward();
        Assert.All(x.Grad!.ToArray<double>(), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Var_std_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].Var(), TestUtil.RandD(1, 3, 4));
        TestUtil.AssertGrad(t => t[0].Var(1, unbiased: false, keepDim: true), TestUtil.RandD(2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Var([0, 2]), TestUtil.RandD(3, 2, 3, 4));
        TestUtil.AssertGrad(t => t[0].Std(), TestUtil.RandD(4, 3, 4));
        TestUtil.AssertGrad(t => t[0].T.Std(-1), TestUtil.RandD(5, 3, 4));
        TestUtil.AssertGrad(t => t[0].Std([1, 2], unbiased: false), TestUtil.RandD(6, 2, 3, 4));
    }

    [Fact]
    public void Int_input_is_a_typed_error()
    {
        var e = Assert.Throws<DTypeMismatchException>(() => Tensor.Zeros([2], DType.Int32).Std());
        Assert.Contains("Std", e.Message);
    }
}
