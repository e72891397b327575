namespace Nabla.Tests.Ops;

public class Conv1dOpTests
{
    public sealed record Config(int N, int Cin, int L, int Cout, int K, int Stride, string Padding, int Dilation, bool Bias)
    {
        public (int Left, int Right) Sides() => Padding switch
        {
            "valid" => (0, 0),
            "same" => (Dilation * (K - 1) / 2, Dilation * (K - 1) - Dilation * (K - 1) / 2),
            _ => (int.Parse(Padding), int.Parse(Padding)),
        };

        public Tensor Run(Tensor x, Tensor w, Tensor? b) => Padding is "same" or "valid"
            ? x.Conv1d(w, b, Padding, stride: Stride, dilation: Dilation)
            : x.Conv1d(w, b, stride: Stride, padding: int.Parse(Padding), dilation: Dilation);

        public override string ToString() => $"N{N} C{Cin}->{Cout} L{L} k{K} s{Stride} p{Padding} d{Dilation} b{Bias}";
    }

    public static TheoryData<Config> Configs() =>
    [
        new(2, 3, 9, 4, 3, 1, "1", 1, true),
        new(1, 1, 7, 2, 2, 2, "0", 1, false),
        new(2, 3, 10, 2, 3, 3, "2", 1, true),
        new(1, 2, 11, 3, 3, 1, "2", 2, true),
        new(2, 1, 8, 2, 4, 1, "same", 1, true),    // even kernel: one extra pad on the right
        new(1, 3, 9, 2, 3, 1, "same", 2, false),
        new(2, 2, 6, 2, 3, 1, "valid", 1, true),
        new(2, 3, 5, 4, 1, 1, "0", 1, true),       // pointwise
        new(3, 2, 2, 2, 3, 1, "1", 1, true),       // short signals: batch grouped into one GEMM
    ];

    [Theory, MemberData(nameof(Configs))]
    public void Forward_matches_direct_convolution_and_gradcheck(Config c)
    {
        var x = TestUtil.RandD(1, c.N, c.Cin, c.L);
        var w = TestUtil.RandD(2, c.Cout, c.Cin, c.K);
        var b = c.Bias ? TestUtil.RandD(3, c.Cout) : null;
        var (left, right) = c.Sides();
        var expected = ConvReference.Conv2d(x.ToDoubleArray(), c.N, c.Cin, 1, c.L, w.ToDoubleArray(), c.Cout, 1, c.K, b?.ToDoubleArray(),
            1, c.Stride, 0, 0, left, right, 1, c.Dilation, out _, out int outL);
        var y = c.Run(x, w, b);
        TestUtil.AssertShape(y, c.N, c.Cout, outL);
        TestUtil.AssertClose(expected, y, 1e-12);
        TestUtil.AssertClose(expected, c.Run(x.To(DType.Float32), w.To(DType.Float32), b?.To(DType.Float32)), 1e-4);
        if (c.Bias) TestUtil.AssertGrad(t => c.Run(t[0], t[1], t[2]), x, w, b!);
        else TestUtil.AssertGrad(t => c.Run(t[0], t[1], null), x, w);
    }

    [Fact]
    public void Hand_computed_and_pytorch_same_padding()
    {
        // y[t] = x[t] − x[t+2] (dilation 2), x = 1..5
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5 }, 1, 1, 5);
        var w = Tensor.FromArray(new float[] { 1, -1 }, 1, 1, 2);
        Assert.Equal([-2f, -2f, -2f], x.Conv1d(w, dilation: 2).ToArray<float>());
        // torch.nn.functional.conv1d(torch.arange(6.).reshape(1,1,6), [[[1,10,100,1000]]], padding='same')
        var x6 = Tensor.Arange(6).Reshape(1, 1, 6);
        var w4 = Tensor.FromArray(new float[] { 1, 10, 100, 1000 }, 1, 1, 4);
        Assert.Equal([2100f, 3210f, 4321f, 5432f, 543f, 54f], x6.Conv1d(w4, null, "same").ToArray<float>());
        Assert.Equal("Conv1dBackward", x.RequiresGrad_().Conv1d(w).GradFn!.Name);
    }

    [Fact]
    public void Unbatched_input()
    {
        var x = TestUtil.RandD(4, 2, 7);
        var w = TestUtil.RandD(5, 3, 2, 3);
        TestUtil.AssertShape(x.Conv1d(w, padding: 1), 3, 7);
        TestUtil.AssertGrad(t => t[0].Conv1d(t[1], stride: 2), x, w);
    }

    [Fact]
    public void Errors_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros(2, 3, 4);
        var e = Assert.Throws<ShapeMismatchException>(() => x.Conv1d(Tensor.Zeros(5, 2, 3)));
        Assert.Contains("Conv1d", e.Message);
        Assert.Contains("[2, 3, 4]", e.Message);
        Assert.Contains("[5, 2, 3]", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => x.Conv1d(Tensor.Zeros(5, 3, 5)));
        Assert.Contains("larger than the padded input length 4", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => x.Conv1d(Tensor.Zeros(5, 3, 3, 3)));
        Assert.Contains("rank 4", e.Message);
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(5, 3, 3), null, "same", stride: 2));
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(5, 3, 3), dilation: 0));
    }
}
