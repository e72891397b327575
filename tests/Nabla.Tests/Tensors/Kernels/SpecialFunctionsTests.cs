using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class SpecialFunctionsTests
{
    // (x, erf x, erfc x) from mpmath at 40 digits (mpmath.erf / mpmath.erfc of the exact double x), rounded to double.
    // Points straddle fdlibm's interval seams (0.84375, 1.25, 1/0.35, 6) and the tiny-argument branches.
    public static TheoryData<double, double, double> Reference => new()
    {
        { 1e-300, 1.1283791670955126e-300, 1.0 },
        { 1e-10, 1.1283791670955126e-10, 0.999999999887162 },
        { 3e-09, 3.3851375012865378e-09, 0.9999999966148625 },
        { 0.1, 0.1124629160182849, 0.887537083981715 },
        { 0.25, 0.27632639016823696, 0.7236736098317631 },
        { 0.5, 0.5204998778130465, 0.4795001221869535 },
        { 0.84374, 0.7672201241832406, 0.23277987581675938 },
        { 0.84375, 0.7672256612323416, 0.23277433876765838 },
        { 1.0, 0.8427007929497149, 0.15729920705028513 },
        { 1.2499, 0.922876473187532, 0.07712352681246806 },
        { 1.25, 0.9229001282564583, 0.07709987174354177 },
        { 2.0, 0.9953222650189527, 0.004677734981047266 },
        { 2.857, 0.9999466417399131, 5.3358260086846374e-05 },
        { 2.858, 0.9999469625944368, 5.303740556316526e-05 },
        { 3.5, 0.9999992569016276, 7.430983723414128e-07 },
        { 5.0, 0.9999999999984626, 1.537459794428035e-12 },
        { 5.99, 1.0, 2.4300455127321346e-17 },
        { 6.0, 1.0, 2.1519736712498913e-17 },
        { 10.0, 1.0, 2.088487583762545e-45 },
        { 26.5, 1.0, 2.2109076642637343e-307 },
        { -0.3, -0.3286267594591274, 1.3286267594591274 },
        { -1.0, -0.8427007929497149, 1.8427007929497148 },
        { -2.0, -0.9953222650189527, 1.9953222650189528 },
        { -6.5, -1.0, 2.0 },
    };

    private static void AssertRel(double expected, double actual, double rel, string what)
    {
        double err = Math.Abs(expected - actual);
        Assert.True(err <= rel * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R} (rel err {err / Math.Abs(expected):E2})");
    }

    [Theory, MemberData(nameof(Reference))]
    public void Erf_and_erfc_match_high_precision_references(double x, double erf, double erfc)
    {
        AssertRel(erf, SpecialFunctions.Erf(x), 2e-16 * 4, $"erf({x})");   // a few ulps
        AssertRel(erfc, SpecialFunctions.Erfc(x), 2e-16 * 8, $"erfc({x})");
    }

    [Fact]
    public void Erf_special_values_and_symmetry()
    {
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
        for (double x = 0.01; x < 7; x += 0.137)
            Assert.Equal(-SpecialFunctions.Erf(x), SpecialFunctions.Erf(-x));
    }

    [Fact]
    public void Erf_finite_differences_match_its_derivative_across_interval_seams()
    {
        // erf'(x) = 2/√π·e^(−x²); a central difference with h = 1e−6 has truncation error ~h² and rounding ~1e−16/h.
        const double h = 1e-6;
        foreach (double seam in new[] { 0.84375, 1.25, 1 / 0.35, 0.3, 2.0 })
            foreach (double x in new[] { seam - 2e-6, seam - 5e-7, seam, seam + 5e-7, seam + 2e-6, -seam })
            {
                double numeric = (SpecialFunctions.Erf(x + h) - SpecialFunctions.Erf(x - h)) / (2 * h);
                double exact = 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);
                Assert.True(Math.Abs(numeric - exact) <= 1e-9, $"x = {x}: numeric {numeric}, exact {exact}");
            }
    }

    [Fact]
    public void Float32_erf_is_within_float_rounding_of_float64_erf()
    {
        double worst = 0;
        for (int i = -6000; i <= 6000; i++)
        {
            float x = i * 1e-3f;
            double exact = SpecialFunctions.Erf(x);
            double err = Math.Abs(SpecialFunctions.ErfSingle(x) - exact) / Math.Max(Math.Abs(exact), 1e-30);
            worst = Math.Max(worst, x == 0 ? 0 : err);
        }
        Assert.True(worst < 1e-6, $"worst relative error {worst:E2}");
        Assert.Equal(0f, SpecialFunctions.ErfSingle(0f));
        Assert.True(float.IsNaN(SpecialFunctions.ErfSingle(float.NaN)));
        Assert.Equal(1f, SpecialFunctions.ErfSingle(100f), 6);
    }
}
