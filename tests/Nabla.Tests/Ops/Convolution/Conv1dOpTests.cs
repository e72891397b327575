using Nabla.NN;

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
            ? x.Conv1d(w, b, padding: Padding, stride: Stride, dilation: Dilation)
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
        Assert.Equal([2100f, 3210f, 4321f, 5432f, 543f, 54f], x6.Conv1d(w4, padding: "same").ToArray<float>());
        Assert.Equal("Conv1dBackward", x.RequiresGrad_().Conv1d(w).GradFn!.Name);
    }

    private static Tensor SinInput() => (Tensor.Arange(28, DType.Float64).Reshape(2, 2, 7) * 0.37).Sin();

    private static Tensor CosWeight(int k) => (Tensor.Arange(3 * 2 * k, DType.Float64).Reshape(3, 2, k) * 0.53).Cos();

    [Fact]
    public void Same_padding_matches_pytorch_with_the_conv2d_argument_forms()
    {
        // x = sin(0.37·arange(28)).reshape(2, 2, 7), w = cos(0.53·arange(24)).reshape(3, 2, 4), b = [0.1, −0.2, 0.3];
        // torch.nn.functional.conv1d(x, w, b, padding='same') (PyTorch 1.13, float64)
        var x = SinInput();
        var b = Tensor.FromArray([0.1, -0.2, 0.3]);
        double[] even =
        [
            -0.220771234914, 0.92536025695, 2.737212230494, 4.192129900363, 5.093196985266, 4.576234058484, 3.128705455079,
            1.131074015046, 1.64280779594, 0.946369204688, 0.094774919444, -0.796715768296, -2.164168460133, -2.369378135231,
            -0.59054586503, -2.202370378024, -3.380442437674, -4.06038387912, -4.150167818013, -2.388782109129, -0.754506573766,
            -3.495501550296, -4.13839760117, -2.743273621088, -0.96332589479, 0.96053800308, 2.108872433916, 2.128156137816,
            0.204206544888, 2.0419726255, 2.227391261973, 2.084273878544, 1.631990741668, -0.041282433474, -1.090740575328,
            3.527661524725, 2.49813556602, 0.934275090094, -0.715431543757, -2.227704281766, -1.853310158807, -0.917555616498,
        ];
        var y = x.Conv1d(CosWeight(4), b, padding: "same");
        TestUtil.AssertShape(y, 2, 3, 7);
        TestUtil.AssertClose(even, y, 1e-10);
        // The same call through a typed ConvPadding, and through the module.
        TestUtil.AssertClose(even, x.Conv1d(CosWeight(4), b, padding: ConvPadding.Same), 1e-10);
        var conv = new Conv1d(2, 3, 4, padding: "same", dtype: DType.Float64);
        using (GradMode.NoGrad())
        {
            conv.Weight.CopyFrom_(CosWeight(4));
            conv.Bias!.CopyFrom_(b);
        }
        TestUtil.AssertClose(even, conv.Forward(x), 1e-10);
        Assert.Contains("padding='same'", conv.ToString());

        // conv1d(x, cos(0.53·arange(18)).reshape(3, 2, 3), padding='same', dilation=2)
        double[] dilated =
        [
            0.221200745389, 1.122707813009, 1.862198687248, 2.726561179927, 3.221896407781, 2.238030121756, 2.218061289603,
            -0.184682918357, -1.088546037958, -1.814905526956, -2.702840385578, -3.224958477609, -2.26960439066, -2.264296549001,
            0.14789269456, 1.05277871962, 1.764935484581, 2.675133055899, 3.223263917717, 2.297831122603, 2.307192100203,
            -2.162614378507, -1.531755659519, -1.605363493153, -0.449195647489, 0.76776872179, 0.68423364596, 1.419622417668,
            2.178790586908, 1.558676889196, 1.676969188843, 0.522038857246, -0.703546984684, -0.657000772978, -1.411996137674,
            -2.191753203527, -1.583299159407, -1.746101450677, -0.594112089479, 0.638287555924, 0.628798861347, 1.402287243953,
        ];
        TestUtil.AssertClose(dilated, x.Conv1d(CosWeight(3), padding: "same", dilation: 2), 1e-10);
        TestUtil.AssertShape(x.Conv1d(CosWeight(3), padding: "valid"), 2, 3, 5);
        TestUtil.AssertShape(x.Conv1d(CosWeight(3), padding: 2), 2, 3, 9);
    }

    [Fact]
    public void Same_padding_gradients_match_finite_differences()
    {
        TestUtil.AssertGrad(t => t[0].Conv1d(t[1], t[2], padding: "same"),
            SinInput().RequiresGrad_(), CosWeight(4).RequiresGrad_(), Tensor.FromArray([0.1, -0.2, 0.3]).RequiresGrad_());
        TestUtil.AssertGrad(t => t[0].Conv1d(t[1], padding: "same", dilation: 2), SinInput().RequiresGrad_(), CosWeight(3).RequiresGrad_());
    }

    [Fact]
    public void Two_sided_padding_forms_are_rejected_in_1d()
    {
        var x = Tensor.Zeros(1, 2, 7);
        var e = Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(3, 2, 3), padding: (1, 2)));
        Assert.Contains("padding must be an int", e.Message);
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(3, 2, 3), padding: "full"));
        Assert.Throws<ArgumentException>(() => new Conv1d(2, 3, 3, padding: ConvPadding.Sides(0, 0, 1, 2)).Forward(x));
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
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(5, 3, 3), padding: "same", stride: 2));
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(5, 3, 3), dilation: 0));
    }
}
