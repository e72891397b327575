using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class CrossEntropyKernelTests
{
    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(4, 17, 1)]
    [InlineData(2, 50, 1)]
    [InlineData(2, 5, 3)]
    [InlineData(3, 33, 20)]
    public void Backward_matches_the_scalar_twin(int outer, int c, int inner)
    {
        var r = new Random(outer + c + inner);
        var x = Enumerable.Range(0, outer * c * inner).Select(_ => r.NextDouble() * 10 - 5).ToArray();
        var labels = Enumerable.Range(0, outer * inner).Select(k => k % 4 == 3 ? -100 : r.Next(c)).ToArray();
        var scale = labels.Select(y => y < 0 ? 0.0 : r.NextDouble()).ToArray();
        double[] max = new double[outer * inner], logSum = new double[outer * inner];
        SoftmaxReference.LogSumExp<double>(x, max, logSum, outer, c, inner);
        double[] dx = new double[x.Length], dxRef = new double[x.Length];
        CrossEntropyKernel.Backward<double>(x, max, logSum, labels, scale, dx, outer, c, inner);
        CrossEntropyKernel.BackwardScalar<double>(x, max, logSum, labels, scale, dxRef, outer, c, inner);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(dxRef[i], dx[i], 12);
    }
}
