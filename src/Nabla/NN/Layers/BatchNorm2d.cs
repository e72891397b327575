
namespace Nabla.NN;

/// <summary>BatchNorm over [N, C, H, W] (see <see cref="BatchNormBase"/>).</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, DType? dtype = null)
    : BatchNormBase(numFeatures, eps, momentum, affine, dtype, 4);
