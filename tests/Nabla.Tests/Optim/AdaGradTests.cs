using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>AdaGrad's ε placement: two steps worked by hand for each. (The PyTorch comparison of the default lives in
/// <see cref="OptimizerTests"/>.)</summary>
public class AdaGradTests
{
    // θ₀ = (1, −1), η = 0.5, ε = 7, g₁ = (3, 4), g₂ = (3, −3): s₁ = (9, 16), s₂ = (18, 25).
    private static double[] TwoSteps(EpsPlacement? placement, DType dtype)
    {
        var p = Tensor.FromArray([1.0, -1.0]).To(dtype).RequiresGrad_();
        var options = placement is { } e ? new AdaGradOptions(0.5, Eps: 7, EpsPlacement: e) : new AdaGradOptions(0.5, Eps: 7);
        var opt = new AdaGrad([p], options);
        foreach (var g in new[] { new[] { 3.0, 4.0 }, [3.0, -3.0] })
        {
            p.Grad = Tensor.FromArray(g).To(dtype);
            opt.Step();
        }
        return p.ToDoubleArray();
    }

    // Outside, θ ← θ − η·g/(√s + ε):
    //   θ₁ = (1 − 0.5·3/(3 + 7), −1 − 0.5·4/(4 + 7)) = (0.85, −1 − 2/11)
    //   θ₂ = (0.85 − 0.5·3/(√18 + 7), −1 − 2/11 + 0.5·3/(5 + 7)) = (0.85 − 1.5/(3√2 + 7), −1 − 2/11 + 1/8)
    private static readonly double[] Outside = [0.85 - 1.5 / (3 * Math.Sqrt(2) + 7), -1 - 2.0 / 11 + 1.0 / 8];

    // Inside, θ ← θ − η·g/√(s + ε):
    //   θ₁ = (1 − 0.5·3/√16, −1 − 0.5·4/√23) = (0.625, −1 − 2/√23)
    //   θ₂ = (0.625 − 0.5·3/√25, −1 − 2/√23 + 0.5·3/√32) = (0.325, −1 − 2/√23 + 1.5/√32)
    private static readonly double[] Inside = [0.325, -1 - 2 / Math.Sqrt(23) + 1.5 / Math.Sqrt(32)];

    [Theory]
    [InlineData(DType.Float64, 1e-15)]
    [InlineData(DType.Float32, 1e-6)]
    public void Eps_outside_the_root_is_the_default(DType dtype, double tol)
    {
        TestUtil.AssertClose(Outside, Tensor.FromArray(TwoSteps(EpsPlacement.OutsideSqrt, dtype)), tol);
        TestUtil.AssertClose(Outside, Tensor.FromArray(TwoSteps(null, dtype)), tol);
        Assert.Equal(EpsPlacement.OutsideSqrt, new AdaGradOptions().EpsPlacement);
    }

    [Theory]
    [InlineData(DType.Float64, 1e-15)]
    [InlineData(DType.Float32, 1e-6)]
    public void Eps_inside_the_root(DType dtype, double tol) =>
        TestUtil.AssertClose(Inside, Tensor.FromArray(TwoSteps(EpsPlacement.InsideSqrt, dtype)), tol);

    [Fact]
    public void Invalid_eps_and_placement_are_rejected()
    {
        var p = Tensor.Zeros([2], DType.Float64).RequiresGrad_();
        Assert.Contains("epsilon", Assert.Throws<ArgumentException>(() => new AdaGrad([p], new AdaGradOptions(Eps: -1e-3))).Message);
        Assert.Contains("placement", Assert.Throws<ArgumentException>(() => new AdaGrad([p], new AdaGradOptions(EpsPlacement: (EpsPlacement)7))).Message);
    }
}
