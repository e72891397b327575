using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>
/// The GEMM epilogue (bias per column, then ReLU, applied to each strip of C after its last K block) against a float64
/// triple loop that adds the bias and rectifies afterwards: every kernel path, float and double, one thread and all,
/// shapes with one and several K blocks (a bias added per block would show), edge tiles, a narrow C (the transposed
/// product), a padded C whose padding must stay untouched, beta ≠ 0 and a NaN-filled C with beta = 0, and the sliced
/// parallel path called directly with each kernel.
/// </summary>
public class GemmEpilogueTests
{
    private static readonly GemmPath[] Paths = [GemmPath.V512, GemmPath.V256, GemmPath.V128, GemmPath.Scalar];

    private static bool Supported(GemmPath path) => path switch
    {
        GemmPath.V512 => GemmKernelVec<float, V512<float>, Rows12>.IsSupported,
        GemmPath.V256 => GemmKernelVec<float, V256<float>, Rows6>.IsSupported,
        GemmPath.V128 => GemmKernelVec<float, V128<float>, Rows6>.IsSupported,
        _ => true,
    };

    public static TheoryData<string, int, int, int, bool, bool> Cases()
    {
        var d = new TheoryData<string, int, int, int, bool, bool>();
        foreach (var path in Paths)
            foreach (var (m, n, k) in new[] { (13, 35, 7), (50, 70, 1100), (130, 10, 600), (100, 520, 300) })
            {
                d.Add(path.ToString(), m, n, k, true, true);
                d.Add(path.ToString(), m, n, k, true, false);
                d.Add(path.ToString(), m, n, k, false, true);
            }
        return d;
    }

    /// <summary>max(alpha·A·Bᵀ + beta·C + bias, 0) in float64 (beta = 0 does not read C).</summary>
    private static double[] Expected(int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c, int ldc, double[]? bias, bool relu)
    {
        var e = (double[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
                double v = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]) + (bias?[j] ?? 0);
                e[i * ldc + j] = relu ? Math.Max(v, 0) : v;
            }
        return e;
    }

    private static void AssertClose(double[] expected, double[] actual, int m, int n, int ldc, double tol, string what)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                double want = expected[i * ldc + j], got = actual[i * ldc + j];
                if (j >= n) Assert.True(want.Equals(got), $"{what}: padding C[{i},{j}] changed to {got}");
                else Assert.True(Math.Abs(got - want) <= tol * (1 + Math.Abs(want)), $"{what}: C[{i},{j}] = {got}, want {want}");
            }
    }

    private static (double[] A, double[] B, double[] C, double[] Bias) Operands(int m, int n, int k, int ldc, ulong seed)
    {
        var g = new Generator(seed);
        double Next() => (float)g.NextGaussian();   // representable in float32, so both precisions start equal
        var a = new double[m * k]; var b = new double[n * k]; var c = new double[m * ldc]; var bias = new double[n];
        foreach (var x in new[] { a, b, c, bias }) for (int i = 0; i < x.Length; i++) x[i] = Next();
        for (int j = 0; j < n; j++) bias[j] *= 3;   // large enough to flip many signs, so ReLU and bias both matter
        return (a, b, c, bias);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Bias_and_relu_match_float64_on_every_path_and_thread_count(string pathName, int m, int n, int k, bool withBias, bool relu)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Supported(path)) return;
        int ldc = n + 3;
        var (a, b, c, bias) = Operands(m, n, k, ldc, (ulong)(m * 7 + n + k));
        foreach (double beta in new[] { 0.0, 0.5 })
        {
            var c0 = (double[])c.Clone();
            if (beta == 0) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c0[i * ldc + j] = double.NaN;   // never read
            var e = Expected(m, n, k, 1.5, a, b, beta, c0, ldc, withBias ? bias : null, relu);
            foreach (int threads in new[] { 1, 8 })
            {
                string what = $"{path} {m}x{n}x{k} bias={withBias} relu={relu} beta={beta} threads={threads}";
                var cd = (double[])c0.Clone();
                Gemm.WithEpilogue<double>(false, true, m, n, k, 1.5, a, k, b, k, beta, cd, ldc, withBias ? bias : default, relu, path, threads);
                AssertClose(e, cd, m, n, ldc, 1e-12 * Math.Sqrt(k + 1), "double " + what);

                var cf = Array.ConvertAll(c0, v => (float)v);
                Gemm.WithEpilogue<float>(false, true, m, n, k, 1.5f, Array.ConvertAll(a, v => (float)v), k, Array.ConvertAll(b, v => (float)v), k,
                    (float)beta, cf, ldc, withBias ? Array.ConvertAll(bias, v => (float)v) : default, relu, path, threads);
                AssertClose(e, Array.ConvertAll(cf, v => (double)v), m, n, ldc, 3e-6 * Math.Sqrt(k + 1), "float " + what);
            }
        }
    }

    [Theory]
    [InlineData("V512")]
    [InlineData("V256")]
    [InlineData("V128")]
    [InlineData("Scalar")]
    public unsafe void Sliced_path_applies_the_epilogue_once_after_the_last_k_block(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Supported(path)) return;
        const int m = 90, n = 200, k = 1300, ldc = n + 1;   // three K blocks on every path
        var (a, b, c, bias) = Operands(m, n, k, ldc, 3);
        var e = Expected(m, n, k, 1.0, a, b, 1.0, c, ldc, bias, relu: true);
        var cd = (double[])c.Clone();
        fixed (double* pa = a, pb = b, pc = cd, pbias = bias)
        {
            var ep = new GemmEpilogue<double>(pbias, true);
            switch (path)
            {
                case GemmPath.V512: GemmDriver.Split<double, GemmKernelVec<double, V512<double>, Rows12>>(3, false, true, m, n, k, 1.0, pa, k, pb, k, 1.0, pc, ldc, ep); break;
                case GemmPath.V256: GemmDriver.Split<double, GemmKernelVec<double, V256<double>, Rows6>>(3, false, true, m, n, k, 1.0, pa, k, pb, k, 1.0, pc, ldc, ep); break;
                case GemmPath.V128: GemmDriver.Split<double, GemmKernelVec<double, V128<double>, Rows6>>(3, false, true, m, n, k, 1.0, pa, k, pb, k, 1.0, pc, ldc, ep); break;
                default: GemmDriver.Split<double, GemmKernelScalar<double>>(3, false, true, m, n, k, 1.0, pa, k, pb, k, 1.0, pc, ldc, ep); break;
            }
        }
        AssertClose(e, cd, m, n, ldc, 1e-12 * Math.Sqrt(k + 1), $"sliced {path}");
    }

    [Fact]
    public void K_zero_gives_the_epilogue_of_beta_times_C()
    {
        var c = new float[] { 1, -2, float.NaN, 4 };
        Gemm.WithEpilogue<float>(false, true, 2, 2, 0, 1f, [], 0, [], 0, 0f, c, 2, new float[] { 0.5f, -1f }, relu: true);
        Assert.Equal(new float[] { 0.5f, 0, 0.5f, 0 }, c);
    }

    [Fact]
    public void A_bias_of_the_wrong_length_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.WithEpilogue<float>(false, true, 2, 3, 1, 1f, new float[2], 1, new float[3], 1, 0f, new float[6], 3, new float[2], relu: false));
        Assert.Contains("bias has 2 elements for 3 columns", ex.Message);
    }
}
