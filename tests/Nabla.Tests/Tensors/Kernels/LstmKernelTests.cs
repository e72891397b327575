using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The fused LSTM row kernels against their scalar twins, for every row width from 0 to past three
/// Vector512 widths (float: 16 lanes, double: 8), both cell activations and both candidate activations (tanh, σ).</summary>
public class LstmKernelTests
{
    private static T[] Rand<T>(Random r, int n, double scale) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, n).Select(_ => T.CreateTruncating((r.NextDouble() * 2 - 1) * scale)).ToArray();

    private static void Sweep<T>(double tol) where T : IFloatingPointIeee754<T>
    {
        var r = new Random(7);
        foreach (bool relu in new[] { false, true })
        foreach (bool sigmoidCandidate in new[] { false, true })
            for (int hs = 0; hs <= 52; hs++)
            {
                var z = Rand<T>(r, 4 * hs, 6);   // covers saturation of σ and tanh
                var cPrev = Rand<T>(r, hs, 2);
                var (z1, z2) = ((T[])z.Clone(), (T[])z.Clone());
                T[] h1 = new T[hs], c1 = new T[hs], a1 = new T[hs], h2 = new T[hs], c2 = new T[hs], a2 = new T[hs];
                LstmKernel.ForwardRow<T>(z1, cPrev, h1, c1, a1, relu, sigmoidCandidate);
                LstmKernel.ForwardRowScalar<T>(z2, cPrev, h2, c2, a2, relu, sigmoidCandidate);
                Close(z2, z1, tol); Close(h2, h1, tol); Close(c2, c1, tol); Close(a2, a1, tol);

                var dh = Rand<T>(r, hs, 1);
                var dc = Rand<T>(r, hs, 1);
                T[] dz1 = new T[4 * hs], dz2 = new T[4 * hs], dcp1 = new T[hs], dcp2 = new T[hs];
                LstmKernel.BackwardRow<T>(z2, cPrev, a2, dh, dc, dz1, dcp1, relu, sigmoidCandidate);
                LstmKernel.BackwardRowScalar<T>(z2, cPrev, a2, dh, dc, dz2, dcp2, relu, sigmoidCandidate);
                Close(dz2, dz1, tol); Close(dcp2, dcp1, tol);
            }
    }

    private static void Close<T>(T[] expected, T[] actual, double tol) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(double.CreateTruncating(expected[i] - actual[i])) <= tol, $"element {i} of {expected.Length}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void Float_rows_match_the_scalar_twin() => Sweep<float>(2e-6);

    [Fact]
    public void Double_rows_match_the_scalar_twin() => Sweep<double>(1e-14);

    [Fact]
    public void Scalar_forward_is_the_lstm_formula()
    {
        // H = 1: z = (0, ln 3, 0.5, −ln 3) → i = 0.5, f = 0.75, g = tanh 0.5, o = 0.25; c' = 0.75·2 + 0.5·tanh 0.5.
        double[] z = [0, Math.Log(3), 0.5, -Math.Log(3)];
        double[] h = new double[1], c = new double[1], a = new double[1];
        LstmKernel.ForwardRowScalar<double>(z, [2.0], h, c, a, relu: false);
        double cExpected = 1.5 + 0.5 * Math.Tanh(0.5);
        Assert.Equal(cExpected, c[0], 14);
        Assert.Equal(0.25 * Math.Tanh(cExpected), h[0], 14);
        Assert.Equal([0.5, 0.75, Math.Tanh(0.5), 0.25], z.Select(v => Math.Round(v, 14)).ToArray(), new RoundedComparer());
    }

    [Fact]
    public void Scalar_forward_and_backward_with_a_sigmoid_candidate()
    {
        // H = 1: z = (0, ln 3, ln 3, −ln 3) → i = ½, f = ¾, g = σ(ln 3) = ¾ (tanh would give 0.8), o = ¼;
        // c' = ¾·2 + ½·¾ = 1.875, a = tanh 1.875, h' = ¼·tanh 1.875.
        double l3 = Math.Log(3);
        double[] z = [0, l3, l3, -l3];
        double[] h = new double[1], c = new double[1], a = new double[1];
        LstmKernel.ForwardRowScalar<double>(z, [2.0], h, c, a, relu: false, sigmoidCandidate: true);
        Assert.Equal(1.875, c[0], 14);
        Assert.Equal(0.25 * Math.Tanh(1.875), h[0], 14);
        Assert.Equal(0.75, z[2], 14);
        // Backward with dh = 0, dc = 1 (so dĉ = 1): dz_g = dĉ·i·g(1 − g) = ½·¾·¼ = 3/32 (tanh's 1 − g² would be 7/16).
        double[] dz = new double[4], dcPrev = new double[1];
        LstmKernel.BackwardRowScalar<double>(z, [2.0], a, [0.0], [1.0], dz, dcPrev, relu: false, sigmoidCandidate: true);
        Assert.Equal(3.0 / 32, dz[2], 14);
        Assert.Equal(0.75, dcPrev[0], 14);   // dĉ·f
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-13;
        public int GetHashCode(double v) => 0;
    }

    [Fact]
    public void Wrong_gate_length_is_rejected() =>
        Assert.Throws<ArgumentException>(() => LstmKernel.ForwardRow<float>(new float[7], new float[2], new float[2], new float[2], new float[2], false));
}
