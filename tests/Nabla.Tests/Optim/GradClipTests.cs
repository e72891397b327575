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
    public void Clip_by_value()
    {
        var a = Tensor.Zeros([3], requiresGrad: true);
        a.Grad = Tensor.FromArray([-5f, 0.5f, 2f]);
        GradClip.ClipGradValue_([a], 1.0);
        Assert.Equal([-1f, 0.5f, 1f], a.Grad.ToArray<float>());
    }
}
