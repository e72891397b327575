namespace Nabla.Tests.Ops;

public class MatMulOpTests
{
    private static double[] Naive(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    [Fact]
    public void Small_product_by_hand()
    {
        var a = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var b = Tensor.FromArray(new float[,] { { 5, 6 }, { 7, 8 } });
        Assert.Equal([19f, 22f, 43f, 50f], a.MatMul(b).ToArray<float>());
    }

    [Theory]
    [InlineData(1, 1, 1)] [InlineData(7, 33, 5)] [InlineData(33, 7, 257)] [InlineData(257, 33, 7)] [InlineData(64, 65, 63)]
    public void Matches_naive_triple_loop_including_transposed_views(int m, int k, int n)
    {
        var a = Tensor.Randn([m, k], dtype: DType.Float64, generator: new Generator(1));
        var b = Tensor.Randn([k, n], dtype: DType.Float64, generator: new Generator(2));
        var expected = Naive(a.ToArray<double>(), b.ToArray<double>(), m, k, n);
        TestUtil.AssertClose(expected, a.MatMul(b), 1e-10);
        // The same product through transposed views: (bᵀ)ᵀ etc.
        var at = a.T.Contiguous().T;   // strides (1, m): a transposed operand
        var bt = b.T.Contiguous().T;
        TestUtil.AssertClose(expected, at.MatMul(bt), 1e-10);
        var af = a.To(DType.Float32);
        var bf = b.To(DType.Float32);
        TestUtil.AssertClose(expected, af.MatMul(bf), 1e-4);
        TestUtil.AssertClose(expected, af.T.Contiguous().T.MatMul(bf.T.Contiguous().T), 1e-4);
    }

    [Fact]
    public void Batched_and_broadcast_batch()
    {
        var a = Tensor.Randn([3, 4, 5], dtype: DType.Float64, generator: new Generator(1));
        var b = Tensor.Randn([3, 5, 2], dtype: DType.Float64, generator: new Generator(2));
        var y = a.MatMul(b);
        TestUtil.AssertShape(y, 3, 4, 2);
        var ad = a.ToArray<double>(); var bd = b.ToArray<double>();
        for (int i = 0; i < 3; i++)
        {
            var e = Naive(ad[(i * 20)..(i * 20 + 20)], bd[(i * 10)..(i * 10 + 10)], 4, 5, 2);
            TestUtil.AssertClose(e, y.Narrow(0, i, 1), 1e-10);
        }
        TestUtil.AssertShape(a.MatMul(b.Narrow(0, 0, 1).Reshape(5, 2)), 3, 4, 2);
    }

    [Fact]
    public void Mismatched_inner_dims_name_the_shapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("MatMul", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }

    [Fact]
    public void MatMul_gradcheck()
    {
        TestUtil.AssertGrad(t => t[0].MatMul(t[1]), TestUtil.RandD(1, 3, 4), TestUtil.RandD(2, 4, 5));
        TestUtil.AssertGrad(t => t[0].T.MatMul(t[1].T), TestUtil.RandD(1, 4, 3), TestUtil.RandD(2, 5, 4));
        TestUtil.AssertGrad(t => t[0].MatMul(t[1]), TestUtil.RandD(1, 2, 3, 4), TestUtil.RandD(2, 2, 4, 5));
        TestUtil.AssertGrad(t => t[0].MatMul(t[1]), TestUtil.RandD(1, 2, 3, 4), TestUtil.RandD(2, 4, 5));
        TestUtil.AssertGrad(t => t[0].MatMul(t[1]), TestUtil.RandD(1, 4), TestUtil.RandD(2, 4, 5));
    }
}
