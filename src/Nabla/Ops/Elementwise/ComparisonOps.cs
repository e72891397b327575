using Nabla.Tensors.Kernels;

namespace Nabla;

// Comparisons (torch.eq, ne, gt, ge, lt, le): 1 where the relation holds, 0 elsewhere, in the operands' float
// dtype and broadcast shape. Not differentiable, never recorded; use them as masks (x.Gt(0) * g) or in Where.
public static partial class TensorOps
{
    extension(Tensor a)
    {
        /// <summary>1[a = b] element-wise, with broadcasting.</summary>
        public Tensor Eq(Tensor b) => Elementwise.Compare<EqualOperator<float>, EqualOperator<double>>("Eq", a, b);
        public Tensor Eq(double b) => a.Eq(Tensor.Scalar(b, a.DType));

        /// <summary>1[a ≠ b] element-wise (true where either is NaN), with broadcasting.</summary>
        public Tensor Ne(Tensor b) => Elementwise.Compare<NotEqualOperator<float>, NotEqualOperator<double>>("Ne", a, b);
        public Tensor Ne(double b) => a.Ne(Tensor.Scalar(b, a.DType));

        /// <summary>1[a &gt; b] element-wise, with broadcasting.</summary>
        public Tensor Gt(Tensor b) => Elementwise.Compare<GreaterThanOperator<float>, GreaterThanOperator<double>>("Gt", a, b);
        public Tensor Gt(double b) => a.Gt(Tensor.Scalar(b, a.DType));

        /// <summary>1[a ≥ b] element-wise, with broadcasting.</summary>
        public Tensor Ge(Tensor b) => Elementwise.Compare<GreaterThanOrEqualOperator<float>, GreaterThanOrEqualOperator<double>>("Ge", a, b);
        public Tensor Ge(double b) => a.Ge(Tensor.Scalar(b, a.DType));

        /// <summary>1[a &lt; b] element-wise, with broadcasting.</summary>
        public Tensor Lt(Tensor b) => Elementwise.Compare<LessThanOperator<float>, LessThanOperator<double>>("Lt", a, b);
        public Tensor Lt(double b) => a.Lt(Tensor.Scalar(b, a.DType));

        /// <summary>1[a ≤ b] element-wise, with broadcasting.</summary>
        public Tensor Le(Tensor b) => Elementwise.Compare<LessThanOrEqualOperator<float>, LessThanOrEqualOperator<double>>("Le", a, b);
        public Tensor Le(double b) => a.Le(Tensor.Scalar(b, a.DType));
    }
}
