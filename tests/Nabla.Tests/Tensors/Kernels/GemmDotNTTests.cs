using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class GemmDotNTTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var d = new TheoryData<int, int, int>();
        // k from 0 to past three 512-bit float vectors (tails of every length), m and n around the 4×4 block edges.
        foreach (int k in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 49, 63, 64, 65, 100, 392, 784 })
            foreach (var (m, n) in new[] { (1, 1), (4, 4), (5, 3), (16, 9), (7, 13) })
                d.Add(m, n, k);
        return d;
    }

    private static (float[] A, float[] B, float[] C) Operands(int m, int n, int k, int lda, int ldb, int ldc)
    {
        var g = new Generator((ulong)(m * 7919 + n * 101 + k));
        var a = new float[Math.Max(0, (m - 1) * lda + k)];
        var b = new float[Math.Max(0, (n - 1) * ldb + k)];
        var c = new float[m * ldc];
        for (int i = 0; i < a.Length; i++) a[i] = (float)g.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = (float)g.NextGaussian();
        for (int i = 0; i < c.Length; i++) c[i] = (float)g.NextGaussian();
        return (a, b, c);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Every_vector_width_and_the_scalar_twin_match_the_reference_gemm_with_beta_0_and_1(int m, int n, int k)
    {
        int lda = k + 3, ldb = k + 1, ldc = n + 2;   // padded leading dimensions
        var (a, b, c0) = Operands(m, n, k, lda, ldb, ldc);
        foreach (float beta in new[] { 0f, 1f })
        {
            var want = Array.ConvertAll(c0, v => (double)v);
            GemmReference.Run(false, true, m, n, k, 1.0, Array.ConvertAll(a, v => (double)v), lda, Array.ConvertAll(b, v => (double)v), ldb, beta, want, ldc);
            var scalar = (float[])c0.Clone();
            GemmDotNT.RunScalar<float>(m, n, k, a, lda, b, ldb, beta, scalar, ldc);
            Check("scalar", scalar);
            foreach (var width in Vec.Supported<float>())
            {
                var fast = (float[])c0.Clone();
                GemmDotNT.Run<float>(width, m, n, k, a, lda, b, ldb, beta, fast, ldc);
                Check(width.ToString(), fast);
            }

            void Check(string path, float[] got)
            {
                double tol = 1e-5 * (Math.Sqrt(k) + 1) * 4;
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        int at = i * ldc + j;
                        Assert.True(Math.Abs(got[at] - want[at]) <= tol, $"{path} C[{i},{j}] = {got[at]}, want {want[at]} (beta {beta})");
                    }
                    for (int j = n; j < ldc && i * ldc + j < c0.Length; j++)
                        Assert.Equal(c0[i * ldc + j], got[i * ldc + j]);   // C's padding is never written
                }
            }
        }
    }

    [Fact]
    public void Double_path_matches_the_reference()
    {
        const int m = 6, n = 5, k = 37;
        var g = new Generator(3);
        var a = new double[m * k];
        var b = new double[n * k];
        for (int i = 0; i < a.Length; i++) a[i] = g.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = g.NextGaussian();
        var want = new double[m * n];
        var got = new double[m * n];
        GemmReference.Run(false, true, m, n, k, 1.0, a, k, b, k, 0.0, want, n);
        GemmDotNT.Run<double>(m, n, k, a, k, b, k, 0.0, got, n);
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i], 1e-12);
    }

    [Theory]
    [InlineData(20, 5)]    // float, 16 lanes: the tail step re-reads elements 4..15, one of them infinite
    [InlineData(20, 13)]
    [InlineData(40, 30)]   // 32-lane tail region on 256-bit machines
    public void An_infinity_in_the_overlapped_tail_region_gives_infinity_not_nan(int k, int at)
    {
        var a = new float[2 * k];
        var b = new float[k];
        Array.Fill(a, 1f);
        Array.Fill(b, 1f);
        a[at] = float.PositiveInfinity;
        var c = new float[2];
        GemmDotNT.Run<float>(2, 1, k, a, k, b, k, 0f, c, 1);
        Assert.Equal(float.PositiveInfinity, c[0]);
        Assert.Equal(k, c[1]);
    }

    [Fact]
    public void Beta_other_than_zero_or_one_and_short_operands_are_refused()
    {
        var a = new float[16];
        var c = new float[1];
        var e = Assert.Throws<ArgumentException>(() => GemmDotNT.Run<float>(1, 1, 16, a, 16, a, 16, 0.5f, c, 1));
        Assert.Contains("beta", e.Message);
        Assert.Throws<ArgumentException>(() => GemmDotNT.Run<float>(2, 1, 16, a, 16, a, 16, 0f, new float[2], 1));   // A needs 32 elements
    }

    [Fact]
    public void Suits_only_small_products_with_a_long_inner_dimension()
    {
        Assert.True(GemmDotNT.Suits(16, 9, 784));      // mnist-fast conv1's weight gradient
        Assert.False(GemmDotNT.Suits(32, 144, 392));   // conv2's: the packed GEMM is as fast
        Assert.False(GemmDotNT.Suits(16, 9, 8));
    }
}
