using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = a + b (broadcasting). ∂y/∂a = 1, ∂y/∂b = 1, summed back over broadcast dims.</summary>
internal sealed class AddOp : Node
{
    private int[] _aShape = [], _bShape = [];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<AddOperator<float>, AddOperator<double>>("Add", a, b);
        return new AddOp { _aShape = a.Shape.ToArray(), _bShape = b.Shape.ToArray() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? gradOutput.SumToShape(_aShape) : null,
        NeedsGrad(1) ? gradOutput.SumToShape(_bShape) : null,
    ];
}

/// <summary>y = a − b (broadcasting). ∂y/∂a = 1, ∂y/∂b = −1.</summary>
internal sealed class SubOp : Node
{
    private int[] _aShape = [], _bShape = [];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<SubtractOperator<float>, SubtractOperator<double>>("Sub", a, b);
        return new SubOp { _aShape = a.Shape.ToArray(), _bShape = b.Shape.ToArray() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? gradOutput.SumToShape(_aShape) : null,
        NeedsGrad(1) ? (-gradOutput).SumToShape(_bShape) : null,
    ];
}

public static partial class TensorOps
{
    extension(Tensor a)
    {
        /// <summary>a + b with broadcasting (torch.add). ∂/∂a = 1, ∂/∂b = 1, each summed back over its broadcast dims.</summary>
        public Tensor Add(Tensor b) => AddOp.Forward(a, b);
        /// <summary>a + b for a scalar b, in a's dtype. ∂/∂a = 1.</summary>
        public Tensor Add(double b) => AddOp.Forward(a, Tensor.Scalar(b, a.DType));
        /// <summary>a − b with broadcasting (torch.sub). ∂/∂a = 1, ∂/∂b = −1, summed back over broadcast dims.</summary>
        public Tensor Sub(Tensor b) => SubOp.Forward(a, b);
        /// <summary>a − b for a scalar b, in a's dtype. ∂/∂a = 1.</summary>
        public Tensor Sub(double b) => SubOp.Forward(a, Tensor.Scalar(b, a.DType));

        /// <summary>x + y with broadcasting (as <c>x.Add(y)</c>). ∂/∂x = ∂/∂y = 1, summed back over broadcast dims.</summary>
        public static Tensor operator +(Tensor x, Tensor y) => AddOp.Forward(x, y);
        /// <summary>x + y, y taken in x's dtype. ∂/∂x = 1.</summary>
        public static Tensor operator +(Tensor x, double y) => AddOp.Forward(x, Tensor.Scalar(y, x.DType));
        /// <summary>x + y, x taken in y's dtype. ∂/∂y = 1.</summary>
        public static Tensor operator +(double x, Tensor y) => AddOp.Forward(Tensor.Scalar(x, y.DType), y);
        /// <summary>x − y with broadcasting. ∂/∂x = 1, ∂/∂y = −1.</summary>
        public static Tensor operator -(Tensor x, Tensor y) => SubOp.Forward(x, y);
        /// <summary>x − y, y taken in x's dtype. ∂/∂x = 1.</summary>
        public static Tensor operator -(Tensor x, double y) => SubOp.Forward(x, Tensor.Scalar(y, x.DType));
        /// <summary>x − y, x taken in y's dtype. ∂/∂y = −1.</summary>
        public static Tensor operator -(double x, Tensor y) => SubOp.Forward(Tensor.Scalar(x, y.DType), y);
        /// <summary>−x. ∂/∂x = −1.</summary>
        public static Tensor operator -(Tensor x) => MulOp.Forward(x, Tensor.Scalar(-1, x.DType));
    }
}
