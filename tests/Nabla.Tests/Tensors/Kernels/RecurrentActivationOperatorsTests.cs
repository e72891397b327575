using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class RecurrentActivationOperatorsTests
{
    private static void Sweep<T, TOp>(TOp op, Func<double, double> exact, double tol)
        where T : IFloatingPointIeee754<T> where TOp : struct, ISimdUnaryOperator<T>
    {
        var r = new Random(3);
        for (int n = 0; n <= 52; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => T.CreateTruncating((r.NextDouble() * 2 - 1) * 12)).ToArray();
            var simd = new T[n];
            var scalar = new T[n];
            SimdUnary.ApplyScalar(op, x, scalar);
            foreach (var w in Vec.Supported<T>())   // every vector width this machine runs
            {
                SimdUnary.Apply(op, x, simd, w);
                for (int i = 0; i < n; i++)
                {
                    double xi = double.CreateTruncating(x[i]);
                    Assert.True(Math.Abs(double.CreateTruncating(simd[i]) - exact(xi)) <= tol, $"n={n} x={xi} {w}: simd {simd[i]} vs {exact(xi)}");
                    Assert.True(Math.Abs(double.CreateTruncating(scalar[i]) - exact(xi)) <= tol, $"n={n} x={xi}: scalar {scalar[i]} vs {exact(xi)}");
                }
            }
        }
    }

    [Fact]
    public void Sigmoid_matches_the_formula()
    {
        Sweep<float, SigmoidSimdOperator<float>>(new(), x => 1 / (1 + Math.Exp(-x)), 3e-7);
        Sweep<double, SigmoidSimdOperator<double>>(new(), x => 1 / (1 + Math.Exp(-x)), 1e-15);
    }

    [Fact]
    public void Tanh_matches_the_formula_and_saturates_without_nan()
    {
        Sweep<float, TanhSimdOperator<float>>(new(), Math.Tanh, 3e-7);
        Sweep<double, TanhSimdOperator<double>>(new(), Math.Tanh, 1e-15);
        var big = new float[] { -1e30f, 1e30f, -90, 90, 0, -0f, 1e-8f, -1e-8f, 5, 6, 7, 8, 9, 10, 11, 12, 13 };
        var y = new float[big.Length];
        SimdUnary.Apply(new TanhSimdOperator<float>(), big, y);
        Assert.Equal([-1f, 1, -1, 1, 0, 0], y.Take(6).ToArray());
        Assert.True(Math.Abs(y[6] - 1e-8f) < 1e-7);
    }
}
