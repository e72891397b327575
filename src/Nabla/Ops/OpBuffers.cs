using Nabla.Tensors;

namespace Nabla.Ops;

/// <summary>Output allocation for ops whose kernels overwrite every element: skips the zeroing pass that
/// <see cref="Tensor.Empty"/> pays (measurable on the MB-sized activations of softmax, batch norm, dropout).</summary>
internal static class OpBuffers
{
    public static Tensor Uninitialized(int[] shape, DType dtype)
    {
        int n = ShapeUtil.Numel(shape);
        Array storage = dtype switch
        {
            DType.Float32 => GC.AllocateUninitializedArray<float>(n),
            DType.Float64 => GC.AllocateUninitializedArray<double>(n),
            _ => GC.AllocateUninitializedArray<int>(n),
        };
        return new Tensor(storage, shape.ToArray());
    }
}
