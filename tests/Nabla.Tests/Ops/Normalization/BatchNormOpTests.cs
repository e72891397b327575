namespace Nabla.Tests.Ops;

public class BatchNormOpTests
{
    private static Tensor D(params double[] v) => Tensor.FromArray(v);

    // x [3, 2, 2] = [N, C, L]; values shared with the PyTorch reference below.
    private static Tensor X3() => Tensor.FromArray([1.0, 2, 3, 5, 0, -1, 2, 4, 3, 3, -2, 1], 3, 2, 2);

    [Fact]
    public void Training_step_and_eval_match_pytorch()
    {
        var rm = D(0.5, -0.5);
        var rv = D(2.0, 0.5);
        var w = D(1.5, 0.5);
        var b = D(0.1, -0.2);
        // F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5) (torch 1.13, float64)
        var y = X3().BatchNorm(rm, rv, w, b, training: true);
        TestUtil.AssertClose([-0.23540944195457292, 0.7708188839091463, -0.01619652331227614, 0.42493182073826097,
            -1.2416377678182922, -2.2478660936820116, -0.23676069533754468, 0.2043676487129924,
            1.7770472097728656, 1.7770472097728656, -1.1190173834386188, -0.4573248673628132], y, 1e-12);
        // Running stats after the step (unbiased variance in the update), from PyTorch.
        TestUtil.AssertClose([0.5833333333333334, -0.23333333333333334], rm, 1e-12);
        TestUtil.AssertClose([2.066666666666667, 1.0666666666666667], rv, 1e-12);
        // Then eval with the updated running stats (PyTorch, training=False).
        TestUtil.AssertClose([0.5347541629518422, 1.5781641540362636, 1.3653234316557754, 2.3335647295871826,
            -0.5086558281325793, -1.5520658192170007, 0.8812027826900717, 1.8494440806214791,
            2.621574145120685, 2.621574145120685, -1.0552798131727432, 0.3970821337243679], X3().BatchNorm(rm, rv, w, b), 1e-12);
    }

    [Fact]
    public void Running_stats_for_2d_and_4d_inputs_match_pytorch()
    {
        // x = sin(arange(24))·3 + 1 reshaped [2, 3, 2, 2], momentum 0.2, no affine (PyTorch).
        var x4 = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => Math.Sin(i) * 3 + 1).ToArray(), 2, 3, 2, 2);
        var rm = Tensor.Zeros([3], DType.Float64);
        var rv = Tensor.Ones([3], DType.Float64);
        var y4 = x4.BatchNorm(rm, rv, training: true, momentum: 0.2);
        TestUtil.AssertClose([0.4562283300778729, -0.03914248863284118, 0.2563995942667381], rm, 1e-12);
        TestUtil.AssertClose([1.305152906626978, 1.3977900594917583, 1.9889135750351885], rv, 1e-12);
        TestUtil.AssertClose([-0.8617786115526602, 0.8363045708867076, 0.9731779065031386, -0.5769993182453863,
            -0.6645398699883327, -1.0394871125929597], y4.Reshape(-1).Narrow(0, 0, 6), 1e-12);

        // x = cos(arange(12)) as [4, 3] (PyTorch).
        var x2 = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => Math.Cos(i)).ToArray(), 4, 3).To(DType.Float32);
        var rm2 = Tensor.Zeros(3);
        var rv2 = Tensor.Ones(3);
        var y2 = x2.BatchNorm(rm2, rv2, training: true);
        TestUtil.AssertClose([0.0014761882041310903, -0.004962764743215501, -0.006838974672611974], rm2, 1e-5);
        TestUtil.AssertClose([1.024376627472262, 0.9660578197091378, 0.9085374547280636], rv2, 1e-5);
        TestUtil.AssertClose([1.0200908643057127, 0.8381144249346028, -1.3741914561327846, -1.0402975116788915,
            -0.8581264561864499, 1.3911628878037376, 0.9788521769515754, 1.1415762121871573, -0.30470779975541257,
            -0.9586455295783965, -1.1215641809353103, 0.28773636808445957], y2, 1e-5);
    }

    public static TheoryData<int[], bool, bool> Cases()
    {
        var d = new TheoryData<int[], bool, bool>();
        foreach (var shape in new[] { new[] { 5, 3 }, [3, 2, 4], [2, 3, 2, 3] })
            foreach (bool training in new[] { true, false })
                foreach (bool affine in new[] { true, false })
                    d.Add(shape, training, affine);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Gradcheck(int[] shape, bool training, bool affine)
    {
        int c = shape[1];
        var rm = Tensor.Randn([c], dtype: DType.Float64, generator: new Generator(9));
        var rv = Tensor.Rand([c], 0.5, 2, DType.Float64, new Generator(10));
        var x = TestUtil.RandD(1, shape);
        if (affine)
            TestUtil.AssertGrad(t => t[0].BatchNorm(rm, rv, t[1], t[2], training), x,
                TestUtil.UniformD(2, 0.5, 2, c), TestUtil.RandD(3, c));
        else
            TestUtil.AssertGrad(t => t[0].BatchNorm(training ? null : rm, training ? null : rv, training: training), x);
    }

    [Fact]
    public void Training_output_has_zero_mean_and_unit_variance_per_channel()
    {
        var x = Tensor.Randn([8, 3, 5], 4, 3, DType.Float64, new Generator(2));
        var y = x.BatchNorm(null, null, training: true).Permute(1, 0, 2).Reshape(3, -1);
        var mean = (y.Sum(1) / 40).ToDoubleArray();
        var var = ((y * y).Sum(1) / 40).ToDoubleArray();
        Assert.All(mean, m => Assert.True(Math.Abs(m) < 1e-12));
        for (int ch = 0; ch < 3; ch++) Assert.True(Math.Abs(var[ch] - 1) < 1e-4, $"channel {ch} variance {var[ch]}");
    }

    [Fact]
    public void Errors_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros(4, 3);
        var e = Assert.Throws<ShapeMismatchException>(() => x.BatchNorm(Tensor.Zeros(2), Tensor.Ones(2)));
        Assert.Contains("BatchNorm", e.Message);
        Assert.Contains("[4, 3]", e.Message);
        Assert.Contains("[2]", e.Message);
        Assert.Throws<ArgumentException>(() => x.BatchNorm(null, null));                                 // eval without stats
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 3).BatchNorm(null, null, training: true)); // one value per channel
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(3).BatchNorm(null, null, training: true));
    }

    [Fact]
    public void Eval_mode_leaves_running_stats_alone()
    {
        var rm = D(1.0, 2.0);
        var rv = D(3.0, 4.0);
        TestUtil.AssertClose([(5 - 1) / Math.Sqrt(3 + 1e-5), (6 - 2) / Math.Sqrt(4 + 1e-5)], D(5.0, 6.0).Reshape(1, 2).BatchNorm(rm, rv), 1e-12);
        Assert.Equal([1.0, 2.0], rm.ToArray<double>());
        Assert.Equal([3.0, 4.0], rv.ToArray<double>());
    }
}
