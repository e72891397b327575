using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = c ? a : b element-wise with broadcasting over all three (c true where nonzero; c is a 0/1 float or
/// int32 tensor and is not differentiated). ∂y/∂a = 1[c], ∂y/∂b = 1[¬c], summed back over broadcast dims.</summary>
internal sealed class WhereOp : Node
{
    private Tensor _condition = null!;
    private int[] _aShape = [], _bShape = [];
    private protected override Tensor?[] Saved => [_condition];

    public static Tensor Forward(Tensor condition, Tensor a, Tensor b)
    {
        Dispatch.SameDType("Where", a, b);
        Dispatch.Floating("Where", a);
        var shape = ShapeUtil.BroadcastShapes(ShapeUtil.BroadcastShapes(condition.Shape, a.Shape, "Where"), b.Shape, "Where");
        var y = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32) Run<float>(condition, a, b, y, shape);
        else Run<double>(condition, a, b, y, shape);
        return new WhereOp { _condition = condition.Detach(), _aShape = a.Shape.ToArray(), _bShape = b.Shape.ToArray() }.Record(y, a, b);
    }

    private static void Run<T>(Tensor c, Tensor a, Tensor b, Tensor y, int[] shape)
    {
        var sc = ShapeUtil.BroadcastStrides(c.Shape, c.Strides, shape);
        var sa = ShapeUtil.BroadcastStrides(a.Shape, a.Strides, shape);
        var sb = ShapeUtil.BroadcastStrides(b.Shape, b.Strides, shape);
        T[] av = a.Storage<T>(), bv = b.Storage<T>();
        var d = y.AsSpan<T>();
        switch (c.DType)
        {
            case DType.Float32: Select.Where(c.Storage<float>(), c.Offset, sc, av, a.Offset, sa, bv, b.Offset, sb, d, shape); break;
            case DType.Float64: Select.Where(c.Storage<double>(), c.Offset, sc, av, a.Offset, sa, bv, b.Offset, sb, d, shape); break;
            default: Select.Where(c.Storage<int>(), c.Offset, sc, av, a.Offset, sa, bv, b.Offset, sb, d, shape); break;
        }
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var zero = Tensor.Scalar(0, gradOutput.DType);
        return
        [
            NeedsGrad(0) ? Tensor.Where(_condition, gradOutput, zero).SumToShape(_aShape) : null,
            NeedsGrad(1) ? Tensor.Where(_condition, zero, gradOutput).SumToShape(_bShape) : null,
        ];
    }
}

public static partial class TensorOps
{
    extension(Tensor)
    {
        /// <summary>Picks <paramref name="a"/> where <paramref name="condition"/> is nonzero and <paramref name="b"/>
        /// elsewhere (torch.where), broadcasting all three. ∂/∂a = 1[condition ≠ 0], ∂/∂b = 1[condition = 0] (summed back over broadcast dims); the condition gets none.</summary>
        public static Tensor Where(Tensor condition, Tensor a, Tensor b) => WhereOp.Forward(condition, a, b);

        /// <summary>Picks <paramref name="a"/> where <paramref name="condition"/> is nonzero, the scalar <paramref name="b"/>
        /// elsewhere. ∂/∂a = 1[condition ≠ 0] (summed back over broadcast dims).</summary>
        public static Tensor Where(Tensor condition, Tensor a, double b) => WhereOp.Forward(condition, a, Tensor.Scalar(b, a.DType));

        /// <summary>Picks the scalar <paramref name="a"/> where <paramref name="condition"/> is nonzero, <paramref name="b"/>
        /// elsewhere. ∂/∂b = 1[condition = 0] (summed back over broadcast dims).</summary>
        public static Tensor Where(Tensor condition, double a, Tensor b) => WhereOp.Forward(condition, Tensor.Scalar(a, b.DType), b);
    }
}
