using Nabla.Course;
using Xunit.Abstractions;
using static Nabla.Tests.Course.LayersTestHelpers;

namespace Nabla.Tests.Course;

public class LayersAffineTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(new[] { 3, 2, 3 }, 5)]      // x [N, d1, d2] flattened to D = 6
    [InlineData(new[] { 1, 7 }, 3)]         // batch of 1, odd sizes
    [InlineData(new[] { 4, 2, 1, 3 }, 1)]   // one output
    public void Backward_matches_finite_differences_and_autograd(int[] xShape, int m)
    {
        int d = xShape.Skip(1).Aggregate(1, (a, b) => a * b);
        var x = Randn(1, xShape);
        var w = Randn(2, d, m);
        var b = Randn(3, m);
        var dout = Randn(4, xShape[0], m);
        var (_, cache) = Layers.AffineForward(x, w, b);
        var (dx, dw, db) = Layers.AffineBackward(dout, cache);

        AssertRel(NumericGradient.EvalArray(() => Layers.AffineForward(x, w, b).Out, x, dout), dx, FdTol, "affine dx vs FD", log);
        AssertRel(NumericGradient.EvalArray(() => Layers.AffineForward(x, w, b).Out, w, dout), dw, FdTol, "affine dw vs FD", log);
        AssertRel(NumericGradient.EvalArray(() => Layers.AffineForward(x, w, b).Out, b, dout), db, FdTol, "affine db vs FD", log);

        var auto = AutogradGrads(t => t[0].Reshape(xShape[0], d).MatMul(t[1]) + t[2], dout, x, w, b);
        AssertRel(auto[0], dx, AutogradTol, "affine dx vs autograd", log);
        AssertRel(auto[1], dw, AutogradTol, "affine dw vs autograd", log);
        AssertRel(auto[2], db, AutogradTol, "affine db vs autograd", log);
    }

    [Fact]
    public void Forward_and_backward_by_hand()
    {
        // x = [[1, 2], [3, 4]], W = [[1, 0, −1], [2, 1, 0]], b = [0.5, −1, 2]
        // row 0: [1·1 + 2·2 + 0.5, 1·0 + 2·1 − 1, 1·(−1) + 2·0 + 2] = [5.5, 1, 1]
        // row 1: [3 + 8 + 0.5, 0 + 4 − 1, −3 + 0 + 2] = [11.5, 3, −1]
        var x = D([1, 2, 3, 4], 2, 2);
        var w = D([1, 0, -1, 2, 1, 0], 2, 3);
        var b = D([0.5, -1, 2], 3);
        var (out_, cache) = Layers.AffineForward(x, w, b);
        AssertValues([5.5, 1, 1, 11.5, 3, -1], out_);
        // dout = ones: dx = 1·Wᵀ row sums = [1 + 0 − 1, 2 + 1 + 0] = [0, 3] per row; dW = xᵀ·1 = column sums of x
        // repeated: [[4, 4, 4], [6, 6, 6]]; db = [2, 2, 2].
        var (dx, dw, db) = Layers.AffineBackward(Tensor.Ones([2, 3], DType.Float64), cache);
        AssertValues([0, 3, 0, 3], dx);
        AssertValues([4, 4, 4, 6, 6, 6], dw);
        AssertValues([2, 2, 2], db);
    }

    [Fact]
    public void Float32_inputs_give_float32_results_close_to_float64()
    {
        var x = Randn(5, 4, 6); var w = Randn(6, 6, 3); var b = Randn(7, 3); var dout = Randn(8, 4, 3);
        var (o64, c64) = Layers.AffineForward(x, w, b);
        var (o32, c32) = Layers.AffineForward(x.To(DType.Float32), w.To(DType.Float32), b.To(DType.Float32));
        Assert.Equal(DType.Float32, o32.DType);
        AssertValues(o64.ToDoubleArray(), o32, 1e-5);
        var g64 = Layers.AffineBackward(dout, c64);
        var g32 = Layers.AffineBackward(dout.To(DType.Float32), c32);
        Assert.Equal(DType.Float32, g32.Dw.DType);
        AssertValues(g64.Dx.ToDoubleArray(), g32.Dx, 1e-5);
        AssertValues(g64.Dw.ToDoubleArray(), g32.Dw, 1e-5);
        AssertValues(g64.Db.ToDoubleArray(), g32.Db, 1e-5);
    }

    [Fact]
    public void Shape_and_dtype_mismatches_throw_argument_exceptions_naming_the_shapes()
    {
        var x = Randn(1, 2, 3, 2);
        var e = Assert.Throws<ArgumentException>(() => Layers.AffineForward(x, Randn(2, 5, 4), Randn(3, 4)));
        Assert.Contains("[2, 3, 2]", e.Message);
        Assert.Contains("[5, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => Layers.AffineForward(x, Randn(2, 6, 4), Randn(3, 3)));
        Assert.Throws<ArgumentException>(() => Layers.AffineForward(x, Randn(2, 6, 4).To(DType.Float32), Randn(3, 4)));
        var (_, cache) = Layers.AffineForward(x, Randn(2, 6, 4), Randn(3, 4));
        Assert.Throws<ArgumentException>(() => Layers.AffineBackward(Randn(4, 2, 5), cache));
    }
}
