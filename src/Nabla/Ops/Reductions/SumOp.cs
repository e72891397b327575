using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>y = Σ x over the given dims (all dims when none). ∂L/∂x = ∂L/∂y broadcast back over the summed dims.</summary>
/// <remarks>A contiguous input whose reduced dims are adjacent is read in place (a full sum is one
/// TensorPrimitives.Sum); other layouts are gathered once into a pooled buffer.</remarks>
public sealed class SumOp : Node
{
    private int[] _inputShape = [], _keptShape = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims, bool keepDim)
    {
        Dispatch.Floating("Sum", x);
        var reduce = Reduction.NormalizeDims(x.Rank, dims, "Sum");
        var y = SumRaw(x, reduce);
        var yOut = Reduction.Output(y, x.Shape, reduce, keepDim);
        return new SumOp { _inputShape = x.Shape.ToArray(), _keptShape = y.Shape.ToArray() }.Record(yOut, x);
    }

    /// <summary>Σ over the flagged dims into a fresh contiguous tensor of the kept shape (not recorded).</summary>
    internal static Tensor SumRaw(Tensor x, bool[] reduce)
    {
        var y = Tensor.Empty(Reduction.KeptShape(x.Shape, reduce), x.DType);
        if (x.DType == DType.Float32) SumInto<float>(x, reduce, y.AsSpan<float>());
        else SumInto<double>(x, reduce, y.AsSpan<double>());
        return y;
    }

    private static void SumInto<T>(Tensor x, bool[] reduce, Span<T> dst) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        using var src = ReduceSource<T>.Create(x, reduce);
        Reduce.SumDim<T>(src.Span, src.Outer, src.Reduced, src.Inner, dst);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
        [gradOutput.Reshape(_keptShape).Expand(_inputShape)];
}

/// <summary>y = (1/n) Σ x over the given dims, n the number of elements folded into each output.
/// ∂L/∂x = ∂L/∂y / n broadcast back over the reduced dims.</summary>
public sealed class MeanOp : Node
{
    private int[] _inputShape = [], _keptShape = [];
    private int _count;

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims, bool keepDim)
    {
        Dispatch.Floating("Mean", x);
        var reduce = Reduction.NormalizeDims(x.Rank, dims, "Mean");
        int n = Reduction.ReducedCount(x.Shape, reduce);
        var y = SumOp.SumRaw(x, reduce);
        // n = 0 gives 0/0 = NaN, as in PyTorch.
        if (x.DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Divide(y.AsSpan<float>(), n, y.AsSpan<float>());
        else System.Numerics.Tensors.TensorPrimitives.Divide(y.AsSpan<double>(), n, y.AsSpan<double>());
        var yOut = Reduction.Output(y, x.Shape, reduce, keepDim);
        return new MeanOp { _inputShape = x.Shape.ToArray(), _keptShape = y.Shape.ToArray(), _count = n }.Record(yOut, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
        [(gradOutput.Reshape(_keptShape) / _count).Expand(_inputShape)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Sum of all elements (a 0-d tensor).</summary>
        public Tensor Sum() => SumOp.Forward(x, [], false);

        public Tensor Sum(int dim, bool keepDim = false) => SumOp.Forward(x, [dim], keepDim);

        public Tensor Sum(int[] dims, bool keepDim = false) => SumOp.Forward(x, dims, keepDim);

        /// <summary>Mean of all elements (a 0-d tensor).</summary>
        public Tensor Mean() => MeanOp.Forward(x, [], false);

        public Tensor Mean(int dim, bool keepDim = false) => MeanOp.Forward(x, [dim], keepDim);

        public Tensor Mean(int[] dims, bool keepDim = false) => MeanOp.Forward(x, dims, keepDim);
    }
}
