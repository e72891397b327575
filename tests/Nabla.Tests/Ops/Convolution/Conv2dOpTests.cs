namespace Nabla.Tests.Ops;

public class Conv2dOpTests
{
    /// <summary>One configuration: sizes, stride, padding (explicit sides or a mode), dilation, bias.</summary>
    public sealed record Config(int N, int Cin, int H, int W, int Cout, int KH, int KW, (int, int) Stride, string Padding, (int, int) Dilation, bool Bias)
    {
        /// <summary>Padding as the op takes it: "same", "valid", "p" (int), "ph,pw" (pair).</summary>
        public ConvPadding PaddingArg => Padding switch
        {
            "same" or "valid" => Padding,
            _ when Padding.Contains(',') => (int.Parse(Padding.Split(',')[0]), int.Parse(Padding.Split(',')[1])),
            _ => int.Parse(Padding),
        };

        /// <summary>Per-side padding by PyTorch's definition ("same": total d·(k−1), the odd one at the bottom/right).</summary>
        public (int Top, int Bottom, int Left, int Right) Sides()
        {
            if (Padding == "valid") return (0, 0, 0, 0);
            if (Padding == "same")
            {
                int th = Dilation.Item1 * (KH - 1), tw = Dilation.Item2 * (KW - 1);
                return (th / 2, th - th / 2, tw / 2, tw - tw / 2);
            }
            var p = PaddingArg;
            return (p.Top, p.Bottom, p.Left, p.Right);
        }

        public override string ToString() => $"N{N} C{Cin}->{Cout} {H}x{W} k{KH}x{KW} s{Stride} p{Padding} d{Dilation} b{Bias}";
    }

    public static TheoryData<Config> Configs() =>
    [
        new(2, 3, 7, 7, 4, 3, 3, (1, 1), "1", (1, 1), true),
        new(1, 1, 5, 7, 2, 3, 2, (1, 1), "0", (1, 1), true),       // odd sizes, 3x2 kernel
        new(2, 3, 5, 7, 2, 3, 2, (2, 2), "1", (1, 1), false),
        new(1, 3, 8, 9, 2, 3, 3, (3, 3), "2", (1, 1), true),
        new(2, 1, 9, 8, 3, 3, 3, (2, 1), "1,2", (1, 1), true),     // stride and padding per dim
        new(1, 2, 9, 9, 2, 3, 3, (1, 1), "2", (2, 2), false),      // dilation 2
        new(2, 2, 7, 8, 3, 2, 3, (1, 2), "1", (2, 1), true),
        new(2, 3, 6, 5, 2, 3, 3, (1, 1), "same", (1, 1), true),
        new(1, 2, 6, 7, 3, 2, 4, (1, 1), "same", (1, 1), false),   // even kernels: asymmetric "same"
        new(2, 1, 7, 6, 2, 2, 3, (1, 1), "same", (2, 3), true),    // dilated "same"
        new(1, 3, 5, 7, 2, 3, 2, (1, 1), "valid", (1, 1), true),
        new(2, 3, 4, 4, 5, 1, 1, (1, 1), "0", (1, 1), true),       // pointwise (no column matrix)
        new(2, 3, 4, 5, 2, 1, 1, (2, 1), "1", (1, 1), false),      // 1x1 with stride and padding
        new(3, 2, 2, 2, 3, 3, 3, (1, 1), "1", (1, 1), true),       // tiny maps: images grouped into one GEMM
        new(1, 1, 1, 1, 1, 1, 1, (1, 1), "0", (1, 1), true),
        new(2, 2, 3, 3, 2, 5, 5, (1, 1), "2", (1, 1), true),       // kernel larger than the input, padding makes it fit
    ];

    private static Tensor Run(Config c, Tensor x, Tensor w, Tensor? b) =>
        x.Conv2d(w, b, stride: c.Stride, padding: c.PaddingArg, dilation: c.Dilation);

    private static double[] Expected(Config c, Tensor x, Tensor w, Tensor? b, out int outH, out int outW)
    {
        var (top, bottom, left, right) = c.Sides();
        return ConvReference.Conv2d(x.ToDoubleArray(), c.N, c.Cin, c.H, c.W, w.ToDoubleArray(), c.Cout, c.KH, c.KW, b?.ToDoubleArray(),
            c.Stride.Item1, c.Stride.Item2, top, bottom, left, right, c.Dilation.Item1, c.Dilation.Item2, out outH, out outW);
    }

    [Theory, MemberData(nameof(Configs))]
    public void Forward_matches_direct_convolution_in_both_dtypes(Config c)
    {
        var x = TestUtil.RandD(1, c.N, c.Cin, c.H, c.W);
        var w = TestUtil.RandD(2, c.Cout, c.Cin, c.KH, c.KW);
        var b = c.Bias ? TestUtil.RandD(3, c.Cout) : null;
        var expected = Expected(c, x, w, b, out int outH, out int outW);
        var y = Run(c, x, w, b);
        TestUtil.AssertShape(y, c.N, c.Cout, outH, outW);
        TestUtil.AssertClose(expected, y, 1e-12);
        var y32 = Run(c, x.To(DType.Float32), w.To(DType.Float32), b?.To(DType.Float32));
        Assert.Equal(DType.Float32, y32.DType);
        TestUtil.AssertClose(expected, y32, 1e-4);
    }

    [Theory, MemberData(nameof(Configs))]
    public void Gradcheck_input_weight_bias(Config c)
    {
        var x = TestUtil.RandD(4, c.N, c.Cin, c.H, c.W);
        var w = TestUtil.RandD(5, c.Cout, c.Cin, c.KH, c.KW);
        if (c.Bias) TestUtil.AssertGrad(t => Run(c, t[0], t[1], t[2]), x, w, TestUtil.RandD(6, c.Cout));
        else TestUtil.AssertGrad(t => Run(c, t[0], t[1], null), x, w);
    }

    [Fact]
    public void Gradcheck_only_some_inputs_and_a_noncontiguous_input()
    {
        var c = new Config(2, 3, 5, 6, 2, 3, 3, (2, 1), "1", (1, 1), true);
        var x = TestUtil.RandD(7, c.N, c.Cin, c.H, c.W);
        var w = TestUtil.RandD(8, c.Cout, c.Cin, c.KH, c.KW);
        var b = TestUtil.RandD(9, c.Cout);
        // Detach() gives a constant (no RequiresGrad), so only the other inputs are checked and need gradients.
        TestUtil.AssertGrad(t => Run(c, t[0], t[1], t[2]), x, w.Detach(), b.Detach());      // input only
        TestUtil.AssertGrad(t => Run(c, t[0], t[1], null), x.Detach(), w);                  // weight only
        TestUtil.AssertGrad(t => Run(c, t[0], t[1], t[2]), x.Detach(), w.Detach(), b);      // bias only
        // x stored [N, Cin, W, H] and transposed: a strided view
        var xt = TestUtil.RandD(10, c.N, c.Cin, c.W, c.H);
        TestUtil.AssertGrad(t => Run(c, t[0].Transpose(2, 3), t[1], t[2]), xt, w, b);
    }

    [Fact]
    public void Hand_computed_3x3_input_2x2_kernel()
    {
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,-1]] (top-left minus bottom-right), b = 10
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3);
        var w = Tensor.FromArray(new float[] { 1, 0, 0, -1 }, 1, 1, 2, 2);
        var b = Tensor.FromArray(new float[] { 10 });
        Assert.Equal([6f, 6f, 6f, 6f], x.Conv2d(w, b).ToArray<float>());
        // padding 1: y[i, j] = 10 + x[i−1, j−1] − x[i, j] (0 outside): y[0,0] = 10 − 1, y[3,3] = 10 + 9, y[1,1] = 10 + 1 − 5
        var yp = x.Conv2d(w, b, padding: 1).ToArray<float>();
        Assert.Equal(16, yp.Length);
        Assert.Equal(9f, yp[0]);
        Assert.Equal(19f, yp[15]);
        Assert.Equal(6f, yp[5]);
        // stride 2, padding 1: y[i, j] = 10 + x[2i−1, 2j−1] − x[2i, 2j] = 10 + (0−1, 0−3, 0−7, 5−9)
        Assert.Equal([9f, 7f, 3f, 6f], x.Conv2d(w, b, stride: 2, padding: 1).ToArray<float>());
    }

    [Fact]
    public void Same_padding_with_an_even_kernel_pads_bottom_right_like_pytorch()
    {
        var x = Tensor.Arange(20).Reshape(1, 1, 4, 5);
        var w = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        // torch.nn.functional.conv2d(torch.arange(20.).reshape(1,1,4,5), w, padding='same')
        float[] torch = [41, 51, 61, 71, 31, 91, 101, 111, 121, 51, 141, 151, 161, 171, 71, 47, 50, 53, 56, 19];
        Assert.Equal(torch, x.Conv2d(w, padding: "same").ToArray<float>());
        TestUtil.AssertShape(x.Conv2d(w, padding: "valid"), 1, 1, 3, 4);
    }

    [Fact]
    public void Unbatched_input_and_grad_fn_name()
    {
        var x = TestUtil.RandD(11, 2, 5, 5);
        var w = TestUtil.RandD(12, 3, 2, 3, 3);
        var y = x.Conv2d(w, padding: 1);
        TestUtil.AssertShape(y, 3, 5, 5);
        TestUtil.AssertClose(x.Reshape(1, 2, 5, 5).Conv2d(w, padding: 1).ToDoubleArray(), y, 1e-12);
        Assert.Equal("Conv2dBackward", x.Reshape(1, 2, 5, 5).Conv2d(w).GradFn!.Name);
        TestUtil.AssertGrad(t => t[0].Conv2d(t[1], padding: 1), x, w);
    }

    [Fact]
    public void No_grad_records_nothing_and_reused_input_accumulates()
    {
        var x = TestUtil.RandD(13, 1, 2, 4, 4);
        var w = TestUtil.RandD(14, 2, 2, 3, 3);
        using (GradMode.NoGrad()) Assert.Null(x.Conv2d(w).GradFn);
        // the same weight used twice: gradients of both uses add up
        TestUtil.AssertGrad(t => t[0].Conv2d(t[1], padding: 1) + t[0].Conv2d(t[1], stride: 2, padding: 1).Sum(), x, w);
    }

    [Fact]
    public void Errors_name_the_op_and_shapes()
    {
        var x = Tensor.Zeros(2, 3, 5, 5);
        var e = Assert.Throws<ShapeMismatchException>(() => x.Conv2d(Tensor.Zeros(4, 2, 3, 3)));
        Assert.Contains("Conv2d", e.Message);
        Assert.Contains("3 channels", e.Message);
        Assert.Contains("[2, 3, 5, 5]", e.Message);
        Assert.Contains("[4, 2, 3, 3]", e.Message);

        e = Assert.Throws<ShapeMismatchException>(() => x.Conv2d(Tensor.Zeros(4, 3, 7, 3)));
        Assert.Contains("larger than the padded input", e.Message);
        Assert.Contains("[4, 3, 7, 3]", e.Message);
        x.Conv2d(Tensor.Zeros(4, 3, 7, 3), padding: 1);   // fits once padded

        e = Assert.Throws<ShapeMismatchException>(() => x.Conv2d(Tensor.Zeros(4, 3, 3, 3), Tensor.Zeros(3)));
        Assert.Contains("bias", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(3, 5).Conv2d(Tensor.Zeros(4, 3, 3, 3)));
        Assert.Contains("rank 2", e.Message);

        var a = Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(4, 3, 3, 3), stride: 2, padding: "same"));
        Assert.Contains("stride 1", a.Message);
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(4, 3, 3, 3), padding: "full"));
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(4, 3, 3, 3), stride: 0));
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(4, 3, 3, 3), padding: -1));
        Assert.Throws<ArgumentException>(() => x.Conv2d(Tensor.Zeros(4, 3, 3, 3), dilation: (1, 0)));
        Assert.Throws<DTypeMismatchException>(() => x.Conv2d(Tensor.Zeros([4, 3, 3, 3], DType.Float64)));
    }
}
