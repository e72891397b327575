using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y = log Σ exp(x) over the given dims, computed as m + log Σ exp(x − m) with m = max x so nothing overflows.
/// ∂y/∂x = exp(x − y) (the softmax over the reduced dims).
/// </summary>
internal sealed class LogSumExpOp : Node
{
    private Tensor _input = null!, _output = null!;   // _output has the kept shape
    private protected override Tensor?[] Saved => [_input, _output];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims, bool keepDim)
    {
        Dispatch.Floating("LogSumExp", x);
        var reduce = Reduction.NormalizeDims(x.Rank, dims, "LogSumExp");
        var y = Tensor.Empty(Reduction.KeptShape(x.Shape, reduce), x.DType);
        if (x.DType == DType.Float32) Run<float>(x, reduce, y.AsSpan<float>());
        else Run<double>(x, reduce, y.AsSpan<double>());
        var yOut = Reduction.Output(y, x.Shape, reduce, keepDim);
        if (!WillRecord(x)) return yOut;
        return new LogSumExpOp { _input = x.Detach(), _output = y }.Record(yOut, x);
    }

    private static void Run<T>(Tensor x, bool[] reduce, Span<T> dst) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        using var src = ReduceSource<T>.Create(x, reduce);
        Reduce.LogSumExpDim<T>(src.Span, src.Outer, src.Reduced, src.Inner, dst);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var e = _input - _output;                       // fresh, contiguous, input shape
        if (e.DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Exp(e.AsSpan<float>(), e.AsSpan<float>());
        else System.Numerics.Tensors.TensorPrimitives.Exp(e.AsSpan<double>(), e.AsSpan<double>());
        return [e * gradOutput.Reshape(_output.Shape.ToArray())];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>log Σ exp(x) along <paramref name="dim"/>, stable for large values. ∂/∂x = softmax(x) along dim.</summary>
        public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExpOp.Forward(x, [dim], keepDim);

        /// <summary>log Σ exp(x) over <paramref name="dims"/>, stable for large values. ∂/∂x = softmax of x over those dims.</summary>
        public Tensor LogSumExp(int[] dims, bool keepDim = false) => LogSumExpOp.Forward(x, dims, keepDim);
    }
}
