using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = a + b (broadcasting). ∂y/∂a = 1, ∂y/∂b = 1, summed back over broadcast dims.</summary>
public sealed class AddOp : Node
{
    private int[] _aShape = [], _bShape = [];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<AddOperator<float>, AddOperator<double>>("Add", a, b);
        return new AddOp { _aShape = a.Shape.ToArray(), _bShape = b.Shape.ToArray() }.Record(y, a, b);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? gradOutput.SumToShape(_aShape) : null,
        NeedsGrad(1) ? gradOutput.SumToShape(_bShape) : null,
    ];
}

/// <summary>y = a − b (broadcasting). ∂y/∂a = 1, ∂y/∂b = −1.</summary>
public sealed class SubOp : Node
{
    private int[] _aShape = [], _bShape = [];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<SubtractOperator<float>, SubtractOperator<double>>("Sub", a, b);
        return new SubOp { _aShape = a.Shape.ToArray(), _bShape = b.Shape.ToArray() }.Record(y, a, b);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? gradOutput.SumToShape(_aShape) : null,
        NeedsGrad(1) ? (-gradOutput).SumToShape(_bShape) : null,
    ];
}

public static partial class TensorOps
{
    extension(Tensor a)
    {
        public Tensor Add(Tensor b) => AddOp.Forward(a, b);
        public Tensor Add(double b) => AddOp.Forward(a, Tensor.Scalar(b, a.DType));
        public Tensor Sub(Tensor b) => SubOp.Forward(a, b);
        public Tensor Sub(double b) => SubOp.Forward(a, Tensor.Scalar(b, a.DType));

        public static Tensor operator +(Tensor x, Tensor y) => AddOp.Forward(x, y);
        public static Tensor operator +(Tensor x, double y) => AddOp.Forward(x, Tensor.Scalar(y, x.DType));
        public static Tensor operator +(double x, Tensor y) => AddOp.Forward(Tensor.Scalar(x, y.DType), y);
        public static Tensor operator -(Tensor x, Tensor y) => SubOp.Forward(x, y);
        public static Tensor operator -(Tensor x, double y) => SubOp.Forward(x, Tensor.Scalar(y, x.DType));
        public static Tensor operator -(double x, Tensor y) => SubOp.Forward(Tensor.Scalar(x, y.DType), y);
        public static Tensor operator -(Tensor x) => MulOp.Forward(x, Tensor.Scalar(-1, x.DType));
    }
}
