using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

/// <summary>The vector batch-norm loops (S = 1 across channels, S &gt; 1 over planes) against the scalar twin.</summary>
public class BatchNormKernelTests
{
    [Theory]
    [InlineData(5, 1, 1)]
    [InlineData(4, 17, 1)]
    [InlineData(3, 50, 1)]
    [InlineData(2, 3, 7)]
    [InlineData(3, 2, 33)]
    [InlineData(2, 3, 50)]
    [InlineData(1, 2, 2000)]
    [InlineData(9, 5, 1500)]   // 67,500 elements: channels and planes split between the cores
    public void Matches_the_scalar_twin(int n, int c, int s)
    {
        var r = new Random(n * 100 + c * 10 + s);
        double[] Rand(int len) => Enumerable.Range(0, len).Select(_ => r.NextDouble() * 4 - 1).ToArray();
        int len = n * c * s;
        var x = Rand(len);
        var g = Rand(len);
        var w = Rand(c);
        var b = Rand(c);
        double[] mean = new double[c], var = new double[c], meanRef = new double[c], varRef = new double[c];
        BatchNormKernel.MeanVar<double>(x, n, c, s, mean, var);
        BatchNormReference.MeanVar<double>(x, n, c, s, meanRef, varRef);
        Close(meanRef, mean);
        Close(varRef, var);

        var invStd = varRef.Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray();
        double[] xh = new double[len], y = new double[len], xhRef = new double[len], yRef = new double[len];
        BatchNormKernel.Normalize<double>(x, n, c, s, meanRef, invStd, w, b, xh, y);
        BatchNormReference.Normalize<double>(x, n, c, s, meanRef, invStd, w, b, xhRef, yRef);
        Close(xhRef, xh);
        Close(yRef, y);

        // in place (y over x) and rectified in the same pass, as Sequential's eval forward runs it
        var inPlace = (double[])x.Clone();
        double[] yReluRef = new double[len];
        BatchNormKernel.Normalize<double>(inPlace, n, c, s, meanRef, invStd, w, b, default, inPlace, relu: true);
        BatchNormReference.Normalize<double>(x, n, c, s, meanRef, invStd, w, b, default, yReluRef, relu: true);
        Assert.Contains(yRef, v => v < 0);   // the ReLU has something to do
        Close(yReluRef, inPlace);

        double[] sg = new double[c], sgx = new double[c], sgRef = new double[c], sgxRef = new double[c];
        BatchNormKernel.GradSums<double>(g, xhRef, n, c, s, sg, sgx);
        BatchNormReference.GradSums<double>(g, xhRef, n, c, s, sgRef, sgxRef);
        Close(sgRef, sg);
        Close(sgxRef, sgx);

        var scale = w.Zip(invStd, (a, k) => a * k).ToArray();
        double[] dx = new double[len], dxRef = new double[len];
        BatchNormKernel.BackwardTraining<double>(g, xhRef, n, c, s, scale, sgRef, sgxRef, dx);
        BatchNormReference.BackwardTraining<double>(g, xhRef, n, c, s, scale, sgRef, sgxRef, dxRef);
        Close(dxRef, dx);
    }

    private static void Close(double[] e, double[] a)
    {
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-10 * Math.Max(1, Math.Abs(e[i])), $"element {i}: {e[i]} vs {a[i]}");
    }
}
