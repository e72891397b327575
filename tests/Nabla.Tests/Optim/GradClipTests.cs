using Nabla.Optim;

namespace Nabla.Tests.Optim;

public class GradClipTests
{
    [Fact]
    public void Clip_by_norm_scales_all_gradients_together()
    {
        var a = Tensor.Zeros([2], DType.Float64, true);
        var b = Tensor.Zeros([1], DType.Float64, true);
        a.Grad = Tensor.FromArray([3.0, 0.0]);
        b.Grad = Tensor.FromArray([4.0]);
        double n = GradClip.ClipGradNorm_([a, b], 1.0);
        Assert.Equal(5.0, n, 12);   // √(9 + 16)
        TestUtil.AssertClose([0.6, 0.0], a.Grad, 1e-6);
        TestUtil.AssertClose([0.8], b.Grad, 1e-6);
        Assert.Equal(0.8, GradClip.ClipGradNorm_([a, b], 10.0, double.PositiveInfinity), 6);
        TestUtil.AssertClose([0.6, 0.0], a.Grad, 1e-6);   // below the limit: unchanged
    }

    [Fact]
    public void Clip_by_norm_of_other_orders_and_float32_counts_as_an_in_place_write()
    {
        // p = 1: |−1| + |2| + |−3| = 6; p = 3: (1 + 8 + 27)^(1/3) = 36^(1/3)
        var a = Tensor.Zeros([3], requiresGrad: true);
        a.Grad = Tensor.FromArray([-1f, 2f, -3f]);
        Assert.Equal(6.0, GradClip.ClipGradNorm_([a], 100.0, 1), 12);
        Assert.Equal(0, a.Grad.Version);                  // nothing clipped, nothing written
        Assert.Equal(Math.Cbrt(36), GradClip.ClipGradNorm_([a], 100.0, 3), 12);
        Assert.Equal(6.0, GradClip.ClipGradNorm_([a], 3.0, 1), 12);
        TestUtil.AssertClose([-0.5f, 1f, -1.5f], a.Grad, 1e-5);   // scaled by 3 / 6
        Assert.Equal(1, a.Grad.Version);
        GradClip.ClipGradValue_([a], 1.0);
        TestUtil.AssertClose([-0.5f, 1f, -1f], a.Grad, 1e-5);   // the last one clamped
        Assert.Equal(2, a.Grad.Version);
    }

    [Fact]
    public void Clip_by_norm_reads_a_non_contiguous_gradient()
    {
        var a = Tensor.Zeros([2, 2], DType.Float64, true);
        a.Grad = Tensor.FromArray([3.0, 4.0, 0.0, 0.0]).Reshape(2, 2).Transpose(0, 1);   // [[3, 0], [4, 0]], strided
        Assert.Equal(5.0, GradClip.ClipGradNorm_([a], 10.0), 12);
    }

    [Fact]
    public void Clip_by_value()
    {
        var a = Tensor.Zeros([3], requiresGrad: true);
        a.Grad = Tensor.FromArray([-5f, 0.5f, 2f]);
        GradClip.ClipGradValue_([a], 1.0);
        Assert.Equal([-1f, 0.5f, 1f], a.Grad.ToArray<float>());
    }
}
