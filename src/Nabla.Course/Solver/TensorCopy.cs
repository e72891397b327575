
namespace Nabla.Course;

/// <summary>Plain copies of tensors: own storage, contiguous, same dtype and shape, no gradient, recorded nowhere.</summary>
internal static class TensorCopy
{
    public static Tensor Of(Tensor t)
    {
        if (t.Rank == 0) return Tensor.Scalar(t.Item(), t.DType);   // Wrap reads an empty shape as [n]
        var shape = t.Shape.ToArray();
        return t.DType switch
        {
            DType.Float32 => Tensor.Wrap(t.ToArray<float>(), shape),
            DType.Float64 => Tensor.Wrap(t.ToArray<double>(), shape),
            _ => Tensor.Wrap(t.ToArray<int>(), shape),
        };
    }
}
