using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>Shared forward plumbing for ops: dtype checks and the broadcasting binary driver.</summary>
internal static class Dispatch
{
    public static void SameDType(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType) throw DTypeMismatchException.For(op, a.DType, b.DType);
    }

    public static void Floating(string op, Tensor a)
    {
        if (!a.DType.IsFloatingPoint()) throw DTypeMismatchException.Unsupported(op, a.DType);
    }

    /// <summary>out = a ∘ b with NumPy broadcasting, for float32 (TF) or float64 (TD) operands.</summary>
    public static Tensor Binary<TF, TD>(string op, Tensor a, Tensor b)
        where TF : IBinaryOperator<float> where TD : IBinaryOperator<double>
    {
        SameDType(op, a, b);
        Floating(op, a);
        var shape = ShapeUtil.SameShape(a.Shape, b.Shape) ? a.Shape.ToArray() : ShapeUtil.BroadcastShapes(a.Shape, b.Shape, op);
        var sa = ShapeUtil.BroadcastStrides(a.Shape, a.Strides, shape);
        var sb = ShapeUtil.BroadcastStrides(b.Shape, b.Strides, shape);
        var y = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32)
            BinaryDriver.Run<float, TF>(a.Storage<float>(), a.Offset, sa, b.Storage<float>(), b.Offset, sb, y.AsSpan<float>(), shape);
        else
            BinaryDriver.Run<double, TD>(a.Storage<double>(), a.Offset, sa, b.Storage<double>(), b.Offset, sb, y.AsSpan<double>(), shape);
        return y;
    }
}
