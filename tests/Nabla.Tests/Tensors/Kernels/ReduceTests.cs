using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>Reduction kernels against naive loops, and the vectorised arg-reduction against its scalar twin
/// for lengths 0 … past three Vector512 widths.</summary>
public class ReduceTests
{
    private static float[] Data(int n, int seed, bool ties = false)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = ties ? rng.Next(-3, 4) : (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    public static TheoryData<int, int, int> Layouts => new()
    {
        { 1, 1, 1 }, { 1, 7, 1 }, { 3, 5, 1 }, { 2, 3, 4 }, { 1, 4, 16 }, { 2, 5, 17 }, { 3, 2, 33 }, { 1, 3, 49 },
        { 2, 6, 1030 }, { 4, 1, 9 }, { 1, 100, 8 }, { 3, 100, 1 }, { 2, 33, 1 }, { 1, 32, 1 }, { 2, 47, 1 },
    };

    [Theory, MemberData(nameof(Layouts))]
    public void ArgReduce_matches_scalar_twin(int outer, int reduced, int inner)
    {
        foreach (bool ties in new[] { false, true })
        {
            var src = Data(outer * reduced * inner, outer * 1000 + reduced * 10 + inner, ties);
            var (v1, i1, v2, i2) = (new float[outer * inner], new int[outer * inner], new float[outer * inner], new int[outer * inner]);
            ArgReduce.Run<float, ArgMaxOperator>(src, outer, reduced, inner, v1, i1);
            ArgReduce.RunScalar<float, ArgMaxOperator>(src, outer, reduced, inner, v2, i2);
            Assert.Equal(v2, v1);
            Assert.Equal(i2, i1);
            ArgReduce.Run<float, ArgMinOperator>(src, outer, reduced, inner, v1, i1);
            ArgReduce.RunScalar<float, ArgMinOperator>(src, outer, reduced, inner, v2, i2);
            Assert.Equal(v2, v1);
            Assert.Equal(i2, i1);
        }
    }

    [Fact]
    public void ArgReduce_vector_lengths_sweep_and_nan()
    {
        for (int inner = 0; inner <= 3 * 16 + 5; inner++)
            foreach (int reduced in new[] { 1, 2, 7 })
            {
                var src = Data(reduced * inner, inner, ties: inner % 2 == 0);
                if (inner > 3) src[(reduced / 2) * inner + inner - 2] = float.NaN;   // one NaN column, vector or tail lane
                var (v1, i1, v2, i2) = (new float[inner], new int[inner], new float[inner], new int[inner]);
                ArgReduce.Run<float, ArgMaxOperator>(src, 1, reduced, inner, v1, i1);
                ArgReduce.RunScalar<float, ArgMaxOperator>(src, 1, reduced, inner, v2, i2);
                Assert.Equal(v2, v1);
                Assert.Equal(i2, i1);
                // Rows: TensorPrimitives.IndexOfMax/Min must agree with the twin too (first on ties, NaN wins).
                var row = Data(inner + 1, inner + 7, ties: true);
                if (inner > 2) { row[inner - 1] = float.NaN; row[inner] = float.NaN; }
                float[] rv = [0], sv = [0];
                int[] ri = [0], si = [0];
                ArgReduce.Run<float, ArgMinOperator>(row, 1, row.Length, 1, rv, ri);
                ArgReduce.RunScalar<float, ArgMinOperator>(row, 1, row.Length, 1, sv, si);
                Assert.Equal(si[0], ri[0]);
                ArgReduce.Run<float, ArgMaxOperator>(row, 1, row.Length, 1, rv, ri);
                ArgReduce.RunScalar<float, ArgMaxOperator>(row, 1, row.Length, 1, sv, si);
                Assert.Equal(si[0], ri[0]);
                row[inner / 2] = float.NaN;                                      // an earlier NaN must win
                ArgReduce.Run<float, ArgMaxOperator>(row, 1, row.Length, 1, rv, ri);
                ArgReduce.RunScalar<float, ArgMaxOperator>(row, 1, row.Length, 1, sv, si);
                Assert.Equal(si[0], ri[0]);
            }
    }

    [Fact]
    public void ArgReduce_handles_double_and_int()
    {
        double[] d = [1, 9, 9, -2, 4, 9];                 // [1, 2, 3]: columns 1/-2, 9/4, 9/9
        var (dv, di) = (new double[3], new int[3]);
        ArgReduce.Run<double, ArgMaxOperator>(d, 1, 2, 3, dv, di);
        Assert.Equal([1.0, 9, 9], dv);
        Assert.Equal([0, 0, 0], di);
        int[] n = [4, -1, 7, 7];
        var (nv, ni) = (new int[1], new int[1]);
        ArgReduce.Run<int, ArgMaxOperator>(n, 1, 4, 1, nv, ni);
        Assert.Equal((7, 2), (nv[0], ni[0]));
    }

    [Theory, MemberData(nameof(Layouts))]
    public void Sum_var_logsumexp_match_naive_loops(int outer, int reduced, int inner)
    {
        var src = Array.ConvertAll(Data(outer * reduced * inner, 3 + inner), v => (double)v * 5);
        var sum = new double[outer * inner];
        var var = new double[outer * inner];
        var lse = new double[outer * inner];
        Reduce.SumDim<double>(src, outer, reduced, inner, sum);
        Reduce.VarDim<double>(src, outer, reduced, inner, 1, var);
        Reduce.LogSumExpDim<double>(src, outer, reduced, inner, lse);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = 0, e = 0, q = 0;
                for (int j = 0; j < reduced; j++) { double x = src[(o * reduced + j) * inner + i]; s += x; e += Math.Exp(x); }
                for (int j = 0; j < reduced; j++) { double x = src[(o * reduced + j) * inner + i] - s / reduced; q += x * x; }
                Assert.Equal(s, sum[o * inner + i], 1e-9);
                Assert.Equal(Math.Log(e), lse[o * inner + i], 1e-9);
                if (reduced > 1) Assert.Equal(q / (reduced - 1), var[o * inner + i], 1e-9);
                else Assert.True(double.IsNaN(var[o * inner + i]));      // 0 / 0 with Bessel's correction, as PyTorch
            }
    }

    [Fact]
    public void LogSumExp_is_stable_and_handles_infinities()
    {
        float[] big = [1000f, 1000f, float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity, 1f];
        var dst = new float[3];
        Reduce.LogSumExpDim<float>(big, 3, 2, 1, dst);
        Assert.Equal(1000f + MathF.Log(2f), dst[0], 3);
        Assert.Equal(float.NegativeInfinity, dst[1]);
        Assert.Equal(float.PositiveInfinity, dst[2]);
        Reduce.LogSumExpDim<float>(big, 1, 2, 3, dst);        // columns: (1000, -inf), (1000, +inf), (-inf, 1)
        Assert.Equal([1000f, float.PositiveInfinity, 1f], dst);
    }
}
