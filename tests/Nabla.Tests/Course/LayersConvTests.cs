using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersConvTests(ITestOutputHelper log)
{
    public static TheoryData<int[], int[], int, int, int, int> Cases => new()
    {
        // x shape, w shape, stride H, stride W, pad H, pad W
        { [2, 3, 5, 5], [4, 3, 3, 3], 1, 1, 1, 1 },   // "same" 3×3
        { [2, 2, 7, 6], [3, 2, 3, 2], 2, 1, 1, 0 },   // odd sizes, non-square kernel, stride 2 with padding
        { [1, 1, 6, 6], [2, 1, 3, 3], 2, 2, 0, 0 },   // batch of 1; stride skips the last row and column (floor)
        { [3, 2, 4, 5], [2, 2, 1, 1], 1, 1, 0, 0 },   // 1×1 kernel
        { [1, 2, 5, 4], [1, 2, 5, 4], 1, 1, 0, 0 },   // kernel as large as the input (one output)
        { [2, 1, 4, 4], [2, 1, 2, 2], 3, 3, 2, 2 },   // stride larger than the kernel, wide padding
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences_and_autograd(int[] xShape, int[] wShape, int sh, int sw, int ph, int pw)
    {
        var x = Randn(1, xShape);
        var w = Randn(2, wShape);
        var b = Randn(3, wShape[0]);
        IntPair stride = (sh, sw), pad = (ph, pw);
        var (out_, cache) = Layers.ConvForward(x, w, b, stride, pad);
        var lib = x.Conv2d(w, b, stride, pad);
        string tag = $"conv x{ShapeUtil.Format(xShape)} w{ShapeUtil.Format(wShape)} stride {stride} pad {pad}";
        AssertRel(lib, out_, 1e-12, $"{tag} forward vs library Conv2d", log);
        var dout = Randn(4, out_.Shape.ToArray());
        var (dx, dw, db) = Layers.ConvBackward(dout, cache);
        Tensor F() => Layers.ConvForward(x, w, b, stride, pad).Out;
        AssertRel(NumericGradient.EvalArray(F, x, dout), dx, FdTol, $"{tag} dx vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, w, dout), dw, FdTol, $"{tag} dw vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, b, dout), db, FdTol, $"{tag} db vs FD", log);
        var auto = AutogradGrads(t => t[0].Conv2d(t[1], t[2], stride, pad), dout, x, w, b);
        AssertRel(auto[0], dx, AutogradTol, $"{tag} dx vs autograd", log);
        AssertRel(auto[1], dw, AutogradTol, $"{tag} dw vs autograd", log);
        AssertRel(auto[2], db, AutogradTol, $"{tag} db vs autograd", log);
    }

    [Fact]
    public void Forward_and_backward_by_hand()
    {
        // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 2], [3, 4]], b = 1, stride 1, no padding (filtering):
        // out[0,0] = 1·1 + 2·2 + 4·3 + 5·4 + 1 = 38, out[0,1] = 2 + 6 + 15 + 24 + 1 = 48,
        // out[1,0] = 4 + 10 + 21 + 32 + 1 = 68, out[1,1] = 5 + 12 + 24 + 36 + 1 = 78.
        var x = D([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        var w = D([1, 2, 3, 4], 1, 1, 2, 2);
        var (out_, cache) = Layers.ConvForward(x, w, D([1], 1));
        AssertValues([38, 48, 68, 78], out_);
        // dout = ones(2×2): ∂L/∂W = X *filt dY: dw[p,q] = Σ_ij x[i+p, j+q] = [[1+2+4+5, 2+3+5+6], [4+5+7+8, 5+6+8+9]]
        //   = [[12, 16], [24, 28]];
        // ∂L/∂X = dY *full rot180(W): every x[a,b] collects w[a−i, b−j] over the outputs (i, j) that saw it:
        //   [[1, 1+2, 2], [1+3, 1+2+3+4, 2+4], [3, 3+4, 4]] = [[1, 3, 2], [4, 10, 6], [3, 7, 4]]; db = 4.
        var (dx, dw, db) = Layers.ConvBackward(Tensor.Ones([1, 1, 2, 2], DType.Float64), cache);
        AssertValues([12, 16, 24, 28], dw);
        AssertValues([1, 3, 2, 4, 10, 6, 3, 7, 4], dx);
        AssertValues([4], db);
    }

    [Fact]
    public void Backward_equals_the_full_and_filter_identities_at_stride_1()
    {
        // ∂L/∂X_{n,c} = Σ_f ∂L/∂Y_{n,f} *full rot180(W_{f,c}) (full correlation) and ∂L/∂W_{f,c} = Σ_n X_{n,c} *filt ∂L/∂Y_{n,f},
        // written out as loops here, independently of im2col.
        var x = Randn(5, 2, 3, 6, 5);
        var w = Randn(6, 4, 3, 3, 2);
        var (y, cache) = Layers.ConvForward(x, w, Tensor.Zeros([4], DType.Float64));
        var g = Randn(7, y.Shape.ToArray());
        var (dx, dw, _) = Layers.ConvBackward(g, cache);
        int N = 2, C = 3, H = 6, W = 5, F = 4, KH = 3, KW = 2, OH = H - KH + 1, OW = W - KW + 1;
        var dxRef = new double[N * C * H * W];
        var dwRef = new double[F * C * KH * KW];
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int f = 0; f < F; f++)
                {
                    // full correlation: pad g by (KH−1, KW−1) and slide rot180(w) over it
                    for (int a = 0; a < H; a++)
                        for (int bb = 0; bb < W; bb++)
                        {
                            double s = 0;
                            for (int p = 0; p < KH; p++)
                                for (int q = 0; q < KW; q++)
                                {
                                    int i = a - (KH - 1) + p, j = bb - (KW - 1) + q;   // index into g
                                    if (i >= 0 && i < OH && j >= 0 && j < OW)
                                        s += g.At(n, f, i, j) * w.At(f, c, KH - 1 - p, KW - 1 - q);
                                }
                            dxRef[((n * C + c) * H + a) * W + bb] += s;
                        }
                    // filtering of X by dY
                    for (int p = 0; p < KH; p++)
                        for (int q = 0; q < KW; q++)
                        {
                            double s = 0;
                            for (int i = 0; i < OH; i++)
                                for (int j = 0; j < OW; j++) s += x.At(n, c, i + p, j + q) * g.At(n, f, i, j);
                            dwRef[((f * C + c) * KH + p) * KW + q] += s;
                        }
                }
        AssertRel(D(dxRef, N, C, H, W), dx, 1e-12, "conv dx vs dY *full rot180(W)", log);
        AssertRel(D(dwRef, F, C, KH, KW), dw, 1e-12, "conv dw vs X *filt dY", log);
    }

    [Fact]
    public void Float32_matches_float64_and_errors_name_shapes()
    {
        var x = Randn(1, 2, 3, 5, 5); var w = Randn(2, 4, 3, 3, 3); var b = Randn(3, 4);
        var (o64, c64) = Layers.ConvForward(x, w, b, 2, 1);
        var (o32, c32) = Layers.ConvForward(x.To(DType.Float32), w.To(DType.Float32), b.To(DType.Float32), 2, 1);
        Assert.Equal(DType.Float32, o32.DType);
        AssertValues(o64.ToDoubleArray(), o32, 1e-5);
        var g = Randn(4, o64.Shape.ToArray());
        AssertValues(Layers.ConvBackward(g, c64).Dx.ToDoubleArray(), Layers.ConvBackward(g.To(DType.Float32), c32).Dx, 1e-5);
        var e = Assert.Throws<ArgumentException>(() => Layers.ConvForward(x, Randn(2, 4, 2, 3, 3), b));
        Assert.Contains("[2, 3, 5, 5]", e.Message);
        Assert.Throws<ArgumentException>(() => Layers.ConvForward(x, w, Randn(3, 3)));
        Assert.Throws<ArgumentException>(() => Layers.ConvForward(x, Randn(2, 4, 3, 7, 7), b));
        Assert.Throws<ArgumentException>(() => Layers.ConvBackward(Randn(4, 2, 4, 5, 5), c64));
    }
}
