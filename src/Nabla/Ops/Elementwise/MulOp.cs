using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = a · b (broadcasting). ∂y/∂a = b, ∂y/∂b = a.</summary>
internal sealed class MulOp : Node
{
    private Tensor _a = null!, _b = null!;
    private protected override Tensor?[] Saved => [NeedsGrad(1) ? _a : null, NeedsGrad(0) ? _b : null];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<MultiplyOperator<float>, MultiplyOperator<double>>("Mul", a, b);
        return new MulOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? (gradOutput * _b).SumToShape(_a.Shape.ToArray()) : null,
        NeedsGrad(1) ? (gradOutput * _a).SumToShape(_b.Shape.ToArray()) : null,
    ];
}

/// <summary>y = a / b (broadcasting). ∂y/∂a = 1/b, ∂y/∂b = −a/b².</summary>
internal sealed class DivOp : Node
{
    private Tensor _a = null!, _b = null!;
    private protected override Tensor?[] Saved => [NeedsGrad(1) ? _a : null, _b];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<DivideOperator<float>, DivideOperator<double>>("Div", a, b);
        return new DivOp { _a = a.Detach(), _b = b.Detach() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        NeedsGrad(0) ? (gradOutput / _b).SumToShape(_a.Shape.ToArray()) : null,
        NeedsGrad(1) ? (-gradOutput * _a / (_b * _b)).SumToShape(_b.Shape.ToArray()) : null,
    ];
}

public static partial class TensorOps
{
    extension(Tensor a)
    {
        /// <summary>a ⊙ b with broadcasting (torch.mul). ∂/∂a = b, ∂/∂b = a, summed back over broadcast dims.</summary>
        public Tensor Mul(Tensor b) => MulOp.Forward(a, b);
        /// <summary>a·b for a scalar b, in a's dtype. ∂/∂a = b.</summary>
        public Tensor Mul(double b) => MulOp.Forward(a, Tensor.Scalar(b, a.DType));
        /// <summary>a / b with broadcasting (torch.div). ∂/∂a = 1/b, ∂/∂b = −a/b², summed back over broadcast dims.</summary>
        public Tensor Div(Tensor b) => DivOp.Forward(a, b);
        /// <summary>a / b for a scalar b, in a's dtype. ∂/∂a = 1/b.</summary>
        public Tensor Div(double b) => DivOp.Forward(a, Tensor.Scalar(b, a.DType));

        /// <summary>x ⊙ y with broadcasting. ∂/∂x = y, ∂/∂y = x.</summary>
        public static Tensor operator *(Tensor x, Tensor y) => MulOp.Forward(x, y);
        /// <summary>x·y, y taken in x's dtype. ∂/∂x = y.</summary>
        public static Tensor operator *(Tensor x, double y) => MulOp.Forward(x, Tensor.Scalar(y, x.DType));
        /// <summary>x·y, x taken in y's dtype. ∂/∂y = x.</summary>
        public static Tensor operator *(double x, Tensor y) => MulOp.Forward(Tensor.Scalar(x, y.DType), y);
        /// <summary>x / y with broadcasting. ∂/∂x = 1/y, ∂/∂y = −x/y².</summary>
        public static Tensor operator /(Tensor x, Tensor y) => DivOp.Forward(x, y);
        /// <summary>x / y, y taken in x's dtype. ∂/∂x = 1/y.</summary>
        public static Tensor operator /(Tensor x, double y) => DivOp.Forward(x, Tensor.Scalar(y, x.DType));
        /// <summary>x / y, x taken in y's dtype. ∂/∂y = −x/y².</summary>
        public static Tensor operator /(double x, Tensor y) => DivOp.Forward(Tensor.Scalar(x, y.DType), y);
    }
}
