using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = sin x. ∂y/∂x = cos x.</summary>
internal sealed class SinOp : Node
{
    private Tensor _input = null!;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Sin", x, new SinOperator<float>(), new SinOperator<double>());
        return new SinOp { _input = x.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * _input.Cos()];
}

/// <summary>y = cos x. ∂y/∂x = −sin x.</summary>
internal sealed class CosOp : Node
{
    private Tensor _input = null!;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Cos", x, new CosOperator<float>(), new CosOperator<double>());
        return new CosOp { _input = x.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [-(gradOutput * _input.Sin())];
}

/// <summary>y = erf x = 2/√π ∫₀ˣ e^(−t²) dt. ∂y/∂x = (2/√π)·e^(−x²).</summary>
internal sealed class ErfOp : Node
{
    private const double TwoOverSqrtPi = 1.12837916709551257390;
    private Tensor _input = null!;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x)
    {
        var y = Elementwise.Map("Erf", x, new ErfOperator(), new ErfOperator());
        return new ErfOp { _input = x.Detach() }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * (-_input.Square()).Exp() * TwoOverSqrtPi];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>sin x element-wise (radians). ∂/∂x = cos x.</summary>
        public Tensor Sin() => SinOp.Forward(x);

        /// <summary>cos x element-wise (radians). ∂/∂x = −sin x.</summary>
        public Tensor Cos() => CosOp.Forward(x);

        /// <summary>The error function element-wise. ∂/∂x = (2/√π)·e^(−x²).</summary>
        public Tensor Erf() => ErfOp.Forward(x);
    }
}
