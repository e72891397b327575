using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class GemmTests
{
    private static double[] Naive(bool ta, bool tb, int m, int n, int k, double[] a, int lda, double[] b, int ldb)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    public static TheoryData<int, int, int, bool, bool> Sizes()
    {
        var d = new TheoryData<int, int, int, bool, bool>();
        int[][] sizes = [[1, 1, 1], [7, 7, 7], [33, 33, 33], [1, 257, 7], [257, 1, 33], [33, 7, 257], [100, 70, 300], [257, 257, 257], [65, 129, 600]];
        foreach (var s in sizes)
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    d.Add(s[0], s[1], s[2], ta, tb);
        return d;
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Sgemm_matches_float64_triple_loop(int m, int n, int k, bool ta, bool tb)
    {
        var g = new Generator((ulong)(m * 1000003 + n * 1009 + k));
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;  // padded leading dims
        var a = new float[(ta ? k : m) * lda];
        var b = new float[(tb ? n : k) * ldb];
        for (int i = 0; i < a.Length; i++) a[i] = (float)g.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = (float)g.NextGaussian();
        var c = new float[m * ldc];
        Array.Fill(c, 1f);
        Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0.5f, c, ldc);   // beta = 0.5 over C = 1
        var e = Naive(ta, tb, m, n, k, Array.ConvertAll(a, v => (double)v), lda, Array.ConvertAll(b, v => (double)v), ldb);
        double scale = Math.Sqrt(k) + 1;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double want = e[i * n + j] + 0.5;
                Assert.True(Math.Abs(c[i * ldc + j] - want) <= 1e-4 * scale, $"C[{i},{j}] = {c[i * ldc + j]}, want {want}");
            }
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Assert.Equal(1f, c[i * ldc + j]);   // padding untouched
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Dgemm_matches_triple_loop(int m, int n, int k, bool ta, bool tb)
    {
        var g = new Generator(7);
        int lda = ta ? m : k, ldb = tb ? k : n;
        var a = new double[(ta ? k : m) * lda];
        var b = new double[(tb ? n : k) * ldb];
        for (int i = 0; i < a.Length; i++) a[i] = g.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = g.NextGaussian();
        var c = new double[m * n];
        Gemm.Dgemm(ta, tb, m, n, k, 2.0, a, lda, b, ldb, 0.0, c, n);
        var e = Naive(ta, tb, m, n, k, a, lda, b, ldb);
        for (int i = 0; i < c.Length; i++) Assert.True(Math.Abs(c[i] - 2 * e[i]) <= 1e-9 * (1 + Math.Abs(e[i])), $"{i}");
    }

    [Fact]
    public void Rejects_buffers_too_small()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
    }
}
