using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The vector softmax paths against their scalar twin, sweeping n past three Vector512 widths, for rows
/// (inner = 1) and strided columns (inner &gt; 1).</summary>
public class SoftmaxKernelTests
{
    public static TheoryData<int, int, int> Layouts()
    {
        var d = new TheoryData<int, int, int>();
        foreach (int n in new[] { 0, 1, 2, 7, 15, 16, 17, 31, 33, 49, 50 })
            foreach (int inner in new[] { 1, 3, 17 })
                d.Add(3, n, inner);
        return d;
    }

    private static float[] Random(int len, int seed, float scale = 5)
    {
        var r = new Random(seed);
        var a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return a;
    }

    private static void Close(float[] expected, float[] actual, float tol = 2e-6f)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == actual[i] || Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
    }

    [Theory, MemberData(nameof(Layouts))]
    public void Forward_and_backward_match_the_scalar_twin(int outer, int n, int inner)
    {
        int len = outer * n * inner;
        var x = Random(len, n * 31 + inner);
        var g = Random(len, n * 7 + inner + 1, 1);
        foreach (bool log in new[] { false, true })
        {
            float[] y = new float[len], yRef = new float[len], dx = new float[len], dxRef = new float[len];
            SoftmaxKernel.Forward<float>(x, y, outer, n, inner, log);
            SoftmaxReference.Forward<float>(x, yRef, outer, n, inner, log);
            Close(yRef, y);
            SoftmaxKernel.Backward<float>(yRef, g, dx, outer, n, inner, log);
            SoftmaxReference.Backward<float>(yRef, g, dxRef, outer, n, inner, log);
            Close(dxRef, dx, 1e-5f);
        }
        int k = outer * inner;
        float[] max = new float[k], ls = new float[k], maxRef = new float[k], lsRef = new float[k];
        SoftmaxKernel.LogSumExp<float>(x, max, ls, outer, n, inner);
        SoftmaxReference.LogSumExp<float>(x, maxRef, lsRef, outer, n, inner);
        Assert.Equal(maxRef, max);
        Close(lsRef, ls);
    }

    [Fact]
    public void Huge_inputs_stay_finite()
    {
        // log-softmax of [1000, −1000, 999] = [0, −2000, −1] − log(1 + e^−1 + e^−2000).
        float[] x = [1000, -1000, 999];
        var y = new float[3];
        SoftmaxKernel.Forward<float>(x, y, 1, 3, 1, log: true);
        double l = Math.Log(1 + Math.Exp(-1));
        Assert.Equal(-l, y[0], 6);
        Assert.Equal(-2000 - l, y[1], 3);
        Assert.Equal(-1 - l, y[2], 6);
        SoftmaxKernel.Forward<float>(x, y, 1, 3, 1, log: false);
        Assert.Equal(1 / (1 + Math.Exp(-1)), y[0], 6);
        Assert.Equal(0f, y[1]);
    }
}
