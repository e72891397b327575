using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>
/// Every micro-kernel path (512-, 256- and 128-bit vectors, scalar) forced explicitly, against a float64 triple loop: sizes that
/// cross each path's MR/NR/MC/KC/NC boundaries, transposes, padded leading dimensions, alpha/beta, NaN in C with
/// beta = 0, and one thread versus all threads.
/// </summary>
public class GemmPathTests
{
    private static bool Supported(GemmPath path) => path switch
    {
        GemmPath.V512 => GemmKernelVec<float, V512<float>, Rows12>.IsSupported,
        GemmPath.V256 => GemmKernelVec<float, V256<float>, Rows6>.IsSupported,
        GemmPath.V128 => GemmKernelVec<float, V128<float>, Rows6>.IsSupported,
        _ => true,
    };

    /// <summary>(MR, NR, MC, KC, NC) of a path's float kernel.</summary>
    private static int[] Blocks(GemmPath path) => path switch
    {
        GemmPath.V512 => Blocks<GemmKernelVec<float, V512<float>, Rows12>>(),
        GemmPath.V256 => Blocks<GemmKernelVec<float, V256<float>, Rows6>>(),
        GemmPath.V128 => Blocks<GemmKernelVec<float, V128<float>, Rows6>>(),
        _ => Blocks<GemmKernelScalar<float>>(),
    };

    private static int[] Blocks<K>() where K : IGemmMicroKernel<float> => [K.MR, K.NR, K.MC, K.KC, K.NC];

    private static readonly GemmPath[] Paths = [GemmPath.V512, GemmPath.V256, GemmPath.V128, GemmPath.Scalar];

    /// <summary>Shapes per path: tiny, odd, one past each block size, non-square.</summary>
    public static TheoryData<string, int, int, int> Shapes()
    {
        var d = new TheoryData<string, int, int, int>();
        foreach (var path in Paths)
        {
            var bl = Blocks(path);
            int mr = bl[0], nr = bl[1], mc = bl[2], kc = bl[3], nc = bl[4];
            int[][] shapes =
            [
                [1, 1, 1], [7, 7, 7], [33, 33, 33], [mr, nr, 5], [mr + 1, nr + 1, 2], [mr - 1, nr - 1, 9],
                [mc + 1, 7, kc + 1], [mc + mr + 3, nr + 3, 2 * kc + 1], [3, nc + 1, kc + 1], [257, 33, 1], [1, 257, 33], [64, 10, 257],
                [mc + 8, 2 * nc + nr + 5, 3],   // two A panels of equal height (not MC + 8), three B blocks, the last one partial
            ];
            foreach (var s in shapes) d.Add(path.ToString(), s[0], s[1], s[2]);
        }
        return d;
    }

    private static (double[] A, double[] B, double[] C) Operands(bool ta, bool tb, int m, int n, int k, int lda, int ldb, int ldc, ulong seed)
    {
        var g = new Generator(seed);
        var a = new double[(ta ? k : m) * lda];
        var b = new double[(tb ? n : k) * ldb];
        var c = new double[m * ldc];
        for (int i = 0; i < a.Length; i++) a[i] = g.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = g.NextGaussian();
        for (int i = 0; i < c.Length; i++) c[i] = g.NextGaussian();
        return (a, b, c);
    }

    /// <summary>alpha·op(A)·op(B) + beta·C in float64 (C = 0·C when beta = 0, as BLAS: NaN is not propagated).</summary>
    private static double[] Expected(bool ta, bool tb, int m, int n, int k, double alpha, double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
    {
        var e = (double[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                e[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
        return e;
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<double> actual, int m, int n, int ldc, double tol, string what)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc && i * ldc + j < actual.Length; j++)
            {
                double want = expected[i * ldc + j], got = actual[i * ldc + j];
                if (j >= n) Assert.True(want.Equals(got), $"{what}: padding C[{i},{j}] changed to {got}");
                else Assert.True(Math.Abs(got - want) <= tol * (1 + Math.Abs(want)), $"{what}: C[{i},{j}] = {got}, want {want}");
            }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Every_path_matches_float64_for_all_transposes(string pathName, int m, int n, int k)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Supported(path)) return;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                var (a, b, c) = Operands(ta, tb, m, n, k, lda, ldb, ldc, (ulong)(m * 31 + n * 7 + k));
                double alpha = 0.75, beta = -0.5;
                var e = Expected(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                string what = $"{path} {m}x{n}x{k} ta={ta} tb={tb}";

                var cd = (double[])c.Clone();
                Gemm.Dgemm(path, ParallelFor.MaxDegree, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cd, ldc);
                AssertClose(e, cd, m, n, ldc, 1e-12 * Math.Sqrt(k + 1), "Dgemm " + what);

                // the same product with A packed once beforehand (packing shared over the cores), then used twice
                using (var packed = GemmPackedA<double>.Pack(path, ParallelFor.MaxDegree, ta, m, k, a, lda))
                    for (int use = 0; use < 2; use++)
                    {
                        var cp = (double[])c.Clone();
                        GemmDriver.RunPacked(packed, tb, n, alpha, b, ldb, beta, cp, ldc);
                        AssertClose(e, cp, m, n, ldc, 1e-12 * Math.Sqrt(k + 1), $"packed A (use {use}) " + what);
                    }

                var cf = Array.ConvertAll(c, v => (float)v);
                Gemm.Sgemm(path, ParallelFor.MaxDegree, ta, tb, m, n, k, (float)alpha, Array.ConvertAll(a, v => (float)v), lda,
                    Array.ConvertAll(b, v => (float)v), ldb, (float)beta, cf, ldc);
                var ef = Expected(ta, tb, m, n, k, alpha, Array.ConvertAll(a, v => (double)(float)v), lda,
                    Array.ConvertAll(b, v => (double)(float)v), ldb, beta, Array.ConvertAll(c, v => (double)(float)v), ldc);
                AssertClose(ef, Array.ConvertAll(cf, v => (double)v), m, n, ldc, 2e-6 * Math.Sqrt(k + 1), "Sgemm " + what);
            }
    }

    public static TheoryData<string, double> PathsAndBetas()
    {
        var d = new TheoryData<string, double>();
        foreach (var path in Paths)
            foreach (double beta in new[] { 0.0, 1.0, 2.5 })
                d.Add(path.ToString(), beta);
        return d;
    }

    [Theory, MemberData(nameof(PathsAndBetas))]
    public void Beta_scales_C_and_zero_beta_never_reads_it(string pathName, double beta)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Supported(path)) return;
        // 45×70: edge tiles in both directions and two K blocks; 70×5: narrow C, computed as Cᵀ = op(B)ᵀ·op(A)ᵀ.
        foreach (var (m, n, k) in new[] { (45, 70, 300), (70, 5, 300) })
        {
            int ldc = n + 2;
            var (a, b, c) = Operands(false, false, m, n, k, k, n, ldc, 11);
            foreach (var x in new[] { a, b, c }) for (int i = 0; i < x.Length; i++) x[i] = (float)x[i];   // same inputs for both precisions
            if (beta == 0) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[i * ldc + j] = double.NaN;
            var e = Expected(false, false, m, n, k, 1.0, a, k, b, n, beta, c, ldc);
            var cd = (double[])c.Clone();
            Gemm.Dgemm(path, 1, false, false, m, n, k, 1.0, a, k, b, n, beta, cd, ldc);
            AssertClose(e, cd, m, n, ldc, 1e-12 * Math.Sqrt(k), $"Dgemm {path} {m}x{n} beta={beta}");

            var cf = Array.ConvertAll(c, v => (float)v);
            Gemm.Sgemm(path, 1, false, false, m, n, k, 1f, Array.ConvertAll(a, v => (float)v), k, Array.ConvertAll(b, v => (float)v), n, (float)beta, cf, ldc);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) Assert.True(float.IsFinite(cf[i * ldc + j]), $"Sgemm {path} {m}x{n} beta={beta}: C[{i},{j}] = {cf[i * ldc + j]}");
            AssertClose(e, Array.ConvertAll(cf, v => (double)v), m, n, ldc, 1e-4 * Math.Sqrt(k), $"Sgemm {path} {m}x{n} beta={beta}");
        }
    }

    [Fact]
    public void Alpha_zero_or_k_zero_gives_beta_times_C()
    {
        var c = new float[] { 1, 2, 3, float.NaN };
        Gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 0, [], 2, 0f, c, 2);
        Assert.Equal(new float[] { 0, 0, 0, 0 }, c);
        c = [1, 2, 3, 4];
        Gemm.Sgemm(false, false, 2, 2, 3, 0f, new float[6], 3, new float[6], 2, 3f, c, 2);
        Assert.Equal(new float[] { 3, 6, 9, 12 }, c);
    }

    [Theory]
    [InlineData("V512", 300, 520, 270)]
    [InlineData("V512", 64, 784, 512)]
    [InlineData("V512", 784, 64, 600)]
    [InlineData("V256", 300, 520, 270)]
    [InlineData("V128", 300, 520, 270)]
    [InlineData("Scalar", 130, 150, 260)]
    public void One_thread_and_all_threads_agree(string pathName, int m, int n, int k)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Supported(path)) return;
        Assert.True((long)m * n * k >= GemmDriver.ParallelThreshold, "the product must be large enough to be split");
        var (a, b, c) = Operands(false, true, m, n, k, k, k, n, 5);
        var af = Array.ConvertAll(a, v => (float)v);
        var bf = Array.ConvertAll(b, v => (float)v);
        var c1 = Array.ConvertAll(c, v => (float)v);
        var c2 = (float[])c1.Clone();
        Gemm.Sgemm(path, 1, false, true, m, n, k, 1f, af, k, bf, k, 0.5f, c1, n);
        Gemm.Sgemm(path, 8, false, true, m, n, k, 1f, af, k, bf, k, 0.5f, c2, n);
        for (int i = 0; i < c1.Length; i++)
            Assert.True(Math.Abs(c1[i] - c2[i]) <= 1e-5f * (1 + Math.Abs(c1[i])), $"C[{i}]: 1 thread {c1[i]}, all threads {c2[i]}");
    }

    [Fact]
    public void Two_threads_slice_columns_or_rows_as_the_estimate_and_the_A_panel_count_say()
    {
        // The 12×32 float tile, MC = 2040. Per-thread cost: tile area + 8 × packed elements (per unit of k).
        // 64×512 (mlp-train's layer): columns 256·72 + 8·(72 + 256) = 21,056 < rows 36·512 + 8·(36 + 512) = 22,816
        Assert.True(GemmDriver.SliceByColumns<float, GemmKernelVec<float, V512<float>, Rows12>>(2, 64, 512));
        // 1024²: columns 512·1032 + 8·(1032 + 512) = 540,736 > rows 516·1024 + 8·(516 + 1024) = 540,704
        Assert.False(GemmDriver.SliceByColumns<float, GemmKernelVec<float, V512<float>, Rows12>>(2, 1024, 1024));
        // 2048²: the estimate says columns (2,125,856 ≤ 2,138,176), but a column slice holds both A panels of 2048
        // rows and would pack its B blocks twice; a row slice (1032 rows) holds one: rows
        Assert.False(GemmDriver.SliceByColumns<float, GemmKernelVec<float, V512<float>, Rows12>>(2, 2048, 2048));
    }

    /// <summary>
    /// The parallel path (GemmDriver.Split: C sliced by columns or rows over the threads, each packing its own panels),
    /// called with every micro-kernel, float and double, all transposes, two and three threads (as many as the machine
    /// has), shapes with a short last sliver of A, two A panels, two K blocks, a partial B block and a partial NR
    /// sliver; alpha and beta ≠ 0, 1.
    /// </summary>
    [Theory]
    [InlineData("V512", 2)]
    [InlineData("V512", 3)]
    [InlineData("V256", 2)]
    [InlineData("V128", 3)]
    [InlineData("Scalar", 3)]
    [InlineData("V128x12", 2)]   // the 12-row 128-bit tile ARM64 runs, exercised here wherever 32 registers exist
    public unsafe void Sliced_path_matches_float64_with_every_kernel(string pathName, int parts)
    {
        bool arm12 = pathName == "V128x12";
        var path = arm12 ? GemmPath.V128 : Enum.Parse<GemmPath>(pathName);
        if (arm12 ? !GemmKernelVec<float, V128<float>, Rows12>.IsSupported : !Supported(path)) return;
        var bl = arm12 ? Blocks<GemmKernelVec<float, V128<float>, Rows12>>() : Blocks(path);
        int mr = bl[0], nr = bl[1], mc = bl[2], kc = bl[3], nc = bl[4];
        foreach (var (m, n, k) in new[] { (3 * mr + 5, nc + nr + 7, kc + 3), (mc + mr + 1, 2 * nr + 1, 9) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                    var (a, b, c) = Operands(ta, tb, m, n, k, lda, ldb, ldc, (ulong)(m + n + k + parts));
                    double alpha = 1.25, beta = 0.5;
                    string what = $"{path} parts={parts} {m}x{n}x{k} ta={ta} tb={tb}";
                    var e = Expected(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                    var cd = (double[])c.Clone();
                    fixed (double* pa = a, pb = b, pc = cd)
                        switch (arm12 ? GemmPath.Auto : path)
                        {
                            case GemmPath.Auto: GemmDriver.Split<double, GemmKernelVec<double, V128<double>, Rows12>>(parts, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                            case GemmPath.V512: GemmDriver.Split<double, GemmKernelVec<double, V512<double>, Rows12>>(parts, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                            case GemmPath.V128: GemmDriver.Split<double, GemmKernelVec<double, V128<double>, Rows6>>(parts, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                            case GemmPath.V256: GemmDriver.Split<double, GemmKernelVec<double, V256<double>, Rows6>>(parts, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                            default: GemmDriver.Split<double, GemmKernelScalar<double>>(parts, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc); break;
                        }
                    AssertClose(e, cd, m, n, ldc, 1e-12 * Math.Sqrt(k + 1), "Dgemm " + what);

                // the same product with A packed once beforehand (packing shared over the cores), then used twice
                using (var packed = GemmPackedA<double>.Pack(path, ParallelFor.MaxDegree, ta, m, k, a, lda))
                    for (int use = 0; use < 2; use++)
                    {
                        var cp = (double[])c.Clone();
                        GemmDriver.RunPacked(packed, tb, n, alpha, b, ldb, beta, cp, ldc);
                        AssertClose(e, cp, m, n, ldc, 1e-12 * Math.Sqrt(k + 1), $"packed A (use {use}) " + what);
                    }

                    var af = Array.ConvertAll(a, v => (float)v);
                    var bf = Array.ConvertAll(b, v => (float)v);
                    var cf = Array.ConvertAll(c, v => (float)v);
                    var ef = Expected(ta, tb, m, n, k, alpha, Array.ConvertAll(af, v => (double)v), lda, Array.ConvertAll(bf, v => (double)v), ldb,
                        beta, Array.ConvertAll(cf, v => (double)v), ldc);
                    fixed (float* pa = af, pb = bf, pc = cf)
                        switch (arm12 ? GemmPath.Auto : path)
                        {
                            case GemmPath.Auto: GemmDriver.Split<float, GemmKernelVec<float, V128<float>, Rows12>>(parts, ta, tb, m, n, k, (float)alpha, pa, lda, pb, ldb, (float)beta, pc, ldc); break;
                            case GemmPath.V512: GemmDriver.Split<float, GemmKernelVec<float, V512<float>, Rows12>>(parts, ta, tb, m, n, k, (float)alpha, pa, lda, pb, ldb, (float)beta, pc, ldc); break;
                            case GemmPath.V128: GemmDriver.Split<float, GemmKernelVec<float, V128<float>, Rows6>>(parts, ta, tb, m, n, k, (float)alpha, pa, lda, pb, ldb, (float)beta, pc, ldc); break;
                            case GemmPath.V256: GemmDriver.Split<float, GemmKernelVec<float, V256<float>, Rows6>>(parts, ta, tb, m, n, k, (float)alpha, pa, lda, pb, ldb, (float)beta, pc, ldc); break;
                            default: GemmDriver.Split<float, GemmKernelScalar<float>>(parts, ta, tb, m, n, k, (float)alpha, pa, lda, pb, ldb, (float)beta, pc, ldc); break;
                        }
                    AssertClose(ef, Array.ConvertAll(cf, v => (double)v), m, n, ldc, 2e-6 * Math.Sqrt(k + 1), "Sgemm " + what);
                }
    }
}
