using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersSandwichTests(ITestOutputHelper log)
{
    [Fact]
    public void Affine_relu_matches_finite_differences()
    {
        var (x, w, b) = (Randn(1, 3, 2, 4), Randn(2, 8, 5), Randn(3, 5));
        var dout = Randn(4, 3, 5);
        var (_, cache) = Layers.AffineReluForward(x, w, b);
        var (dx, dw, db) = Layers.AffineReluBackward(dout, cache);
        Tensor F() => Layers.AffineReluForward(x, w, b).Out;
        AssertRel(NumericGradient.EvalArray(F, x, dout), dx, FdTol, "affine-relu dx vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, w, dout), dw, FdTol, "affine-relu dw vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, b, dout), db, FdTol, "affine-relu db vs FD", log);
    }

    [Fact]
    public void Affine_batchnorm_relu_matches_finite_differences()
    {
        var (x, w, b, gamma, beta) = (Randn(1, 4, 6), Randn(2, 6, 5), Randn(3, 5), Randn(5, 5), Randn(6, 5));
        var dout = Randn(4, 4, 5);
        var (_, cache) = Layers.AffineBatchNormReluForward(x, w, b, gamma, beta, new BatchNormState(5), true);
        var g = Layers.AffineBatchNormReluBackward(dout, cache);
        Tensor F() => Layers.AffineBatchNormReluForward(x, w, b, gamma, beta, new BatchNormState(5), true).Out;
        AssertRel(NumericGradient.EvalArray(F, x, dout), g.Dx, FdTol, "affine-bn-relu dx vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, w, dout), g.Dw, FdTol, "affine-bn-relu dw vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, gamma, dout), g.Dgamma, FdTol, "affine-bn-relu dgamma vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, beta, dout), g.Dbeta, FdTol, "affine-bn-relu dbeta vs FD", log);
        // b cancels in batch norm (the batch mean absorbs it): its gradient is 0 up to round-off
        Assert.True(g.Db.ToDoubleArray().All(v => Math.Abs(v) < 1e-12));
    }

    [Fact]
    public void Conv_relu_pool_matches_finite_differences_and_autograd()
    {
        var (x, w, b) = (Randn(1, 2, 3, 6, 6), Randn(2, 4, 3, 3, 3), Randn(3, 4));
        var (out_, cache) = Layers.ConvReluPoolForward(x, w, b, pool: 2, pad: 1);
        var dout = Randn(4, out_.Shape.ToArray());
        var (dx, dw, db) = Layers.ConvReluPoolBackward(dout, cache);
        Tensor F() => Layers.ConvReluPoolForward(x, w, b, pool: 2, pad: 1).Out;
        AssertRel(NumericGradient.EvalArray(F, x, dout), dx, FdTol, "conv-relu-pool dx vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, w, dout), dw, FdTol, "conv-relu-pool dw vs FD", log);
        AssertRel(NumericGradient.EvalArray(F, b, dout), db, FdTol, "conv-relu-pool db vs FD", log);
        var auto = AutogradGrads(t => t[0].Conv2d(t[1], t[2], padding: 1).Relu().MaxPool2d(2), dout, x, w, b);
        AssertRel(auto[0], dx, AutogradTol, "conv-relu-pool dx vs autograd", log);
        AssertRel(auto[1], dw, AutogradTol, "conv-relu-pool dw vs autograd", log);

        var (o2, c2) = Layers.ConvReluForward(x, w, b, 2, 1);
        var d2 = Randn(5, o2.Shape.ToArray());
        AssertRel(NumericGradient.EvalArray(() => Layers.ConvReluForward(x, w, b, 2, 1).Out, w, d2), Layers.ConvReluBackward(d2, c2).Dw, FdTol, "conv-relu dw vs FD", log);
    }
}
