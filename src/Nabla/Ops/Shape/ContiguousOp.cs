
namespace Nabla;

/// <summary>y = x laid out contiguously (a copy only when x is not). ∂L/∂x = ∂L/∂y.</summary>
public sealed class ContiguousOp : Node
{
    public static Tensor Forward(Tensor x) => x.IsContiguous ? x : new ContiguousOp().Record(x.ContiguousRaw(), x);

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput];
}

/// <summary>y = x converted to another dtype. ∂L/∂x = ∂L/∂y converted back (floating-point dtypes only).</summary>
public sealed class ToOp : Node
{
    private DType _from;

    public static Tensor Forward(Tensor x, DType dtype)
    {
        var y = x.ToDTypeRaw(dtype);
        return dtype.IsFloatingPoint() ? new ToOp { _from = x.DType }.Record(y, x) : y;
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.ToDTypeRaw(_from)];
}

/// <summary>A copy that records: y = x, ∂L/∂x = ∂L/∂y (PyTorch's clone).</summary>
public sealed class CloneOp : Node
{
    public static Tensor Forward(Tensor x) => new CloneOp().Record(x.Clone_Raw(), x);

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        public Tensor Contiguous() => ContiguousOp.Forward(x);

        /// <summary>A copy in another dtype (float32 ⇄ float64 keeps gradients flowing; int32 does not).</summary>
        public Tensor To(DType dtype) => ToOp.Forward(x, dtype);

        public Tensor Clone() => CloneOp.Forward(x);
    }
}
