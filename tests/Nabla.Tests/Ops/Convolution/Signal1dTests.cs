namespace Nabla.Tests.Ops;

public class Signal1dTests
{
    private static Tensor D(params double[] v) => Tensor.FromArray(v, v.Length);

    [Fact]
    public void Convolution_by_hand()
    {
        // [1,2,3] ∗ [0,1,0.5]: t0 = 1·0, t1 = 1·1 + 2·0, t2 = 1·0.5 + 2·1 + 3·0, t3 = 2·0.5 + 3·1, t4 = 3·0.5
        TestUtil.AssertClose([0, 1, 2.5, 4, 1.5], Tensor.Convolve(D(1, 2, 3), D(0, 1, 0.5)), 1e-12);
        TestUtil.AssertClose([1, 2.5, 4], Tensor.Convolve(D(1, 2, 3), D(0, 1, 0.5), SignalMode.Same), 1e-12);
        TestUtil.AssertClose([2.5], Tensor.Convolve(D(1, 2, 3), D(0, 1, 0.5), SignalMode.Valid), 1e-12);
        // commutes: the longer signal may be second
        TestUtil.AssertClose([0, 1, 2.5, 4, 1.5], Tensor.Convolve(D(0, 1, 0.5), D(1, 2, 3)), 1e-12);
        TestUtil.AssertClose([2.5], Tensor.Convolve(D(0, 1, 0.5), D(1, 2, 3), SignalMode.Valid), 1e-12);
    }

    [Fact]
    public void Correlation_by_hand()
    {
        // Σ_n a[n + t]·v[n], t = −2..2: [3·0, 2·0 + 3·1 ... ] reversed kernel: [1·0.5, 1·1 + 2·0.5, 1·0 + 2·1 + 3·0.5, 2·0 + 3·1, 3·0]
        TestUtil.AssertClose([0.5, 2, 3.5, 3, 0], Tensor.Correlate(D(1, 2, 3), D(0, 1, 0.5), SignalMode.Full), 1e-12);
        TestUtil.AssertClose([3.5], Tensor.Correlate(D(1, 2, 3), D(0, 1, 0.5)), 1e-12);
        TestUtil.AssertClose([2, 3.5, 3], Tensor.Correlate(D(1, 2, 3), D(0, 1, 0.5), SignalMode.Same), 1e-12);
    }

    /// <summary>Values printed by NumPy 1.24 (np.convolve / np.correlate), covering even lengths and v longer than a.</summary>
    [Fact]
    public void Matches_numpy_for_even_lengths_and_swapped_signals()
    {
        TestUtil.AssertClose([1, 3, 5, 7], Tensor.Convolve(D(1, 2, 3, 4), D(1, 1), SignalMode.Same), 1e-12);
        TestUtil.AssertClose([2, 5, 8, 11], Tensor.Correlate(D(1, 2, 3, 4), D(1, 2), SignalMode.Same), 1e-12);
        TestUtil.AssertClose([4, 11, 8, 5, 2], Tensor.Correlate(D(1, 2), D(1, 2, 3, 4), SignalMode.Full), 1e-12);
        TestUtil.AssertClose([11, 8, 5], Tensor.Correlate(D(1, 2), D(1, 2, 3, 4)), 1e-12);
        TestUtil.AssertClose([11, 8, 5, 2], Tensor.Correlate(D(1, 2), D(1, 2, 3, 4), SignalMode.Same), 1e-12);
        TestUtil.AssertClose([4, 7, 7, 2], Tensor.Correlate(D(1, 2, 3), D(1, 0, 2, 1), SignalMode.Same), 1e-12);
        TestUtil.AssertClose([2, 5, 5, 8], Tensor.Convolve(D(1, 2, 3), D(1, 0, 2, 1), SignalMode.Same), 1e-12);
        TestUtil.AssertClose([5, 5], Tensor.Convolve(D(1, 2, 3), D(1, 0, 2, 1), SignalMode.Valid), 1e-12);
    }

    /// <summary>Full convolution against its definition Σ_n a[n]·v[t − n], for every pair of lengths 1..6, float32.</summary>
    [Fact]
    public void Full_convolution_equals_the_sum_definition()
    {
        var g = new Generator(3);
        for (int n = 1; n <= 6; n++)
            for (int m = 1; m <= 6; m++)
            {
                var a = Tensor.Randn([n], generator: g);
                var v = Tensor.Randn([m], generator: g);
                var av = a.ToDoubleArray();
                var vv = v.ToDoubleArray();
                var expected = new double[n + m - 1];
                for (int t = 0; t < expected.Length; t++)
                    for (int i = 0; i < n; i++)
                        if (t - i >= 0 && t - i < m) expected[t] += av[i] * vv[t - i];
                var y = Tensor.Convolve(a, v);
                Assert.Equal(DType.Float32, y.DType);
                TestUtil.AssertClose(expected, y, 1e-5);
                Assert.Equal(Math.Max(n, m), Tensor.Convolve(a, v, SignalMode.Same).Numel);
                Assert.Equal(Math.Max(n, m) - Math.Min(n, m) + 1, Tensor.Correlate(a, v).Numel);
            }
    }

    [Theory]
    [InlineData(SignalMode.Full, 5, 3)]
    [InlineData(SignalMode.Same, 4, 6)]
    [InlineData(SignalMode.Valid, 3, 7)]
    public void Gradients_match_finite_differences(SignalMode mode, int n, int m)
    {
        TestUtil.AssertGrad(x => Tensor.Convolve(x[0], x[1], mode), TestUtil.RandD(1, n), TestUtil.RandD(2, m));
        TestUtil.AssertGrad(x => Tensor.Correlate(x[0], x[1], mode), TestUtil.RandD(3, n), TestUtil.RandD(4, m));
    }

    [Fact]
    public void Bad_signals_throw_naming_the_op()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Convolve(Tensor.Zeros(2, 3), D(1)));
        Assert.Contains("Convolve", e.Message);
        Assert.Throws<ShapeMismatchException>(() => Tensor.Correlate(D(1), Tensor.Zeros([0], DType.Float64)));
        Assert.Throws<DTypeMismatchException>(() => Tensor.Convolve(D(1, 2), Tensor.Ones(2)));
    }
}
