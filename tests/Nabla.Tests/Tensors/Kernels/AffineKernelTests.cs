using Nabla.Tensors.Kernels;

namespace Nabla.Tests.Tensors.Kernels;

public class AffineKernelTests
{
    [Fact]
    public void Matches_the_scalar_twin_for_all_lengths()
    {
        for (int n = 0; n <= 3 * 16 + 5; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => (float)Math.Sin(i)).ToArray();
            var xd = x.Select(v => (double)v).ToArray();
            float[] d = new float[n], dRef = new float[n];
            AffineKernel.Affine<float>(x, 1.5f, -0.25f, d);
            AffineKernel.AffineScalar<float>(x, 1.5f, -0.25f, dRef);
            Assert.Equal(dRef, d);
            double[] e = new double[n], eRef = new double[n];
            AffineKernel.Affine<double>(xd, -3.0, 2.0, e);
            AffineKernel.AffineScalar<double>(xd, -3.0, 2.0, eRef);
            Assert.Equal(eRef, e);
            if (n > 0) Assert.Equal(x[n - 1] * 1.5f - 0.25f, d[n - 1]);
        }
    }
}
