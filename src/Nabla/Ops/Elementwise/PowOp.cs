using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = xᵖ for a scalar exponent p. ∂y/∂x = p·xᵖ⁻¹ (0 everywhere when p = 0, as in PyTorch).</summary>
internal sealed class PowScalarOp : Node
{
    private Tensor _input = null!;
    private double _exponent;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, double exponent)
    {
        var y = Elementwise.Map("Pow", x, new PowScalarOperator<float>((float)exponent), new PowScalarOperator<double>(exponent));
        return new PowScalarOp { _input = x.Detach(), _exponent = exponent }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
    [
        _exponent == 0 ? Tensor.ZerosLike(_input) : gradOutput * _input.Pow(_exponent - 1) * _exponent,
    ];
}

/// <summary>y = aᵇ element-wise with broadcasting. ∂y/∂a = b·aᵇ⁻¹, taken as 0 where b = 0; ∂y/∂b = aᵇ·ln a, taken
/// as 0 where a = 0 (PyTorch's choices: no NaN from 0·0⁻¹ or 0·ln 0).</summary>
internal sealed class PowOp : Node
{
    private Tensor _a = null!, _b = null!, _output = null!;
    private protected override Tensor?[] Saved => [_a, _b, _output];

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var y = Dispatch.Binary<PowOperator<float>, PowOperator<double>>("Pow", a, b);
        return new PowOp { _a = a.Detach(), _b = b.Detach(), _output = y.Detach() }.Record(y, a, b);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        Tensor? ga = null, gb = null;
        if (NeedsGrad(0)) ga = (gradOutput * Tensor.Where(_b.Eq(0), 0.0, _b * _a.Pow(_b - 1.0))).SumToShape(_a.Shape);
        if (NeedsGrad(1)) gb = (gradOutput * Tensor.Where(_a.Eq(0), 0.0, _output * _a.Log())).SumToShape(_b.Shape);
        return [ga, gb];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>xᵖ element-wise for a scalar exponent. ∂/∂x = p·x^(p − 1).</summary>
        public Tensor Pow(double exponent) => PowScalarOp.Forward(x, exponent);

        /// <summary>x raised to <paramref name="exponent"/> element-wise, with broadcasting. ∂/∂x = p·x^(p − 1), ∂/∂p = x^p·ln x (summed back over broadcast dims).</summary>
        public Tensor Pow(Tensor exponent) => PowOp.Forward(x, exponent);
    }
}
