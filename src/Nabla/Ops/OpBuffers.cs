
namespace Nabla;

/// <summary>Output allocation for ops whose kernels overwrite every element: skips the zeroing pass that
/// <see cref="Tensor.Empty"/> pays (measurable on the MB-sized activations of softmax, batch norm, dropout). Large
/// buffers come from the <see cref="StoragePool"/>, which the autograd engine refills with dead gradients and
/// activations.</summary>
internal static class OpBuffers
{
    public static Tensor Uninitialized(int[] shape, DType dtype)
    {
        return new Tensor(StoragePool.Rent(dtype, ShapeUtil.Numel(shape)), shape.ToArray());
    }
}
