using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = a · b (broadcasting). ∂y/∂a = b, ∂y/∂b = a.</summary>
public sealed class MulOp : Node
{
    private Tensor _a = null!, _b = null!;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<MultiplyOperator<float>, MultiplyOperator<double>>("Mul", a, b);
        return new MulOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? (gradOutput * _b).SumToShape(_a.Shape.ToArray()) : null,
        NeedsGrad(1) ? (gradOutput * _a).SumToShape(_b.Shape.ToArray()) : null,
    ];
}

/// <summary>y = a / b (broadcasting). ∂y/∂a = 1/b, ∂y/∂b = −a/b².</summary>
public sealed class DivOp : Node
{
    private Tensor _a = null!, _b = null!;

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<DivideOperator<float>, DivideOperator<double>>("Div", a, b);
        return new DivOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? (gradOutput / _b).SumToShape(_a.Shape.ToArray()) : null,
        NeedsGrad(1) ? (-gradOutput * _a / (_b * _b)).SumToShape(_b.Shape.ToArray()) : null,
    ];
}

public static partial class TensorOps
{
    extension(Tensor a)
    {
        public Tensor Mul(Tensor b) => MulOp.Forward(a, b);
        public Tensor Mul(double b) => MulOp.Forward(a, Tensor.Scalar(b, a.DType));
        public Tensor Div(Tensor b) => DivOp.Forward(a, b);
        public Tensor Div(double b) => DivOp.Forward(a, Tensor.Scalar(b, a.DType));

        public static Tensor operator *(Tensor x, Tensor y) => MulOp.Forward(x, y);
        public static Tensor operator *(Tensor x, double y) => MulOp.Forward(x, Tensor.Scalar(y, x.DType));
        public static Tensor operator *(double x, Tensor y) => MulOp.Forward(Tensor.Scalar(x, y.DType), y);
        public static Tensor operator /(Tensor x, Tensor y) => DivOp.Forward(x, y);
        public static Tensor operator /(Tensor x, double y) => DivOp.Forward(x, Tensor.Scalar(y, x.DType));
        public static Tensor operator /(double x, Tensor y) => DivOp.Forward(Tensor.Scalar(x, y.DType), y);
    }
}
