using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// y = Σ (x − μ)² / (n − c) over the given dims, μ the mean, n the count, c = 1 when unbiased (Bessel) else 0.
/// ∂y/∂x = 2 (x − μ) / (n − c) (the μ term vanishes because Σ (x − μ) = 0). n − c ≤ 0 gives NaN, as in PyTorch.
/// </summary>
internal sealed class VarOp : Node
{
    private Tensor _input = null!;
    private int[] _dims = [], _keptShape = [];
    private int _denom;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims, bool unbiased, bool keepDim)
    {
        var (y, reduce, denom) = VarRaw(x, dims, unbiased, "Var");
        var yOut = Reduction.Output(y, x.Shape, reduce, keepDim);
        if (!WillRecord(x)) return yOut;
        return new VarOp { _input = x.Detach(), _dims = ReducedDims(reduce), _keptShape = y.Shape.ToArray(), _denom = denom }.Record(yOut, x);
    }

    /// <summary>Variance of kept shape (not recorded), the reduce flags, and n − c.</summary>
    internal static (Tensor Y, bool[] Reduce, int Denom) VarRaw(Tensor x, ReadOnlySpan<int> dims, bool unbiased, string op)
    {
        Dispatch.Floating(op, x);
        var reduce = Reduction.NormalizeDims(x.Rank, dims, op);
        int c = unbiased ? 1 : 0;
        var y = Tensor.Empty(Reduction.KeptShape(x.Shape, reduce), x.DType);
        if (x.DType == DType.Float32) Run<float>(x, reduce, c, y.AsSpan<float>());
        else Run<double>(x, reduce, c, y.AsSpan<double>());
        return (y, reduce, Reduction.ReducedCount(x.Shape, reduce) - c);
    }

    private static void Run<T>(Tensor x, bool[] reduce, int correction, Span<T> dst) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        using var src = ReduceSource<T>.Create(x, reduce);
        Reduce.VarDim<T>(src.Span, src.Outer, src.Reduced, src.Inner, correction, dst);
    }

    internal static int[] ReducedDims(bool[] reduce)
    {
        var dims = new List<int>();
        for (int d = 0; d < reduce.Length; d++) if (reduce[d]) dims.Add(d);
        return dims.ToArray();
    }

    /// <summary>(x − μ) with μ broadcast over the reduced dims.</summary>
    internal static Tensor Centered(Tensor x, int[] dims) => x - x.Mean(dims, keepDim: true);

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [Centered(_input, _dims) * (gradOutput.Reshape(_keptShape) * (2.0 / Math.Max(0, _denom)))];
}

/// <summary>
/// y = √Var(x) over the given dims (see <see cref="VarOp"/>). ∂y/∂x = (x − μ) / ((n − c)·y).
/// </summary>
/// <remarks>Where y = 0 (all values equal) the gradient is set to 0 rather than 0/0, as PyTorch's std_backward.</remarks>
internal sealed class StdOp : Node
{
    private Tensor _input = null!, _output = null!;   // _output has the kept shape
    private int[] _dims = [];
    private int _denom;
    private protected override Tensor?[] Saved => [_input, _output];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims, bool unbiased, bool keepDim)
    {
        var (y, reduce, denom) = VarOp.VarRaw(x, dims, unbiased, "Std");
        if (x.DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Sqrt(y.AsSpan<float>(), y.AsSpan<float>());
        else System.Numerics.Tensors.TensorPrimitives.Sqrt(y.AsSpan<double>(), y.AsSpan<double>());
        var yOut = Reduction.Output(y, x.Shape, reduce, keepDim);
        if (!WillRecord(x)) return yOut;
        return new StdOp { _input = x.Detach(), _output = y, _dims = VarOp.ReducedDims(reduce), _denom = denom }.Record(yOut, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        // scale = ∂L/∂y / ((n − c)·y), with 0 where y = 0.
        var scale = gradOutput.Reshape(_output.Shape.ToArray()) / (_output * Math.Max(0, _denom));
        if (scale.DType == DType.Float32) ZeroWhereZero(_output.AsSpan<float>(), scale.AsSpan<float>());
        else ZeroWhereZero(_output.AsSpan<double>(), scale.AsSpan<double>());
        return [VarOp.Centered(_input, _dims) * scale];
    }

    private static void ZeroWhereZero<T>(ReadOnlySpan<T> y, Span<T> s) where T : System.Numerics.INumber<T>
    {
        for (int i = 0; i < y.Length; i++) if (y[i] == T.Zero) s[i] = T.Zero;
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Variance of all elements (0-d); unbiased divides by n − 1 (PyTorch's default). ∂/∂x = 2(x − mean)/(n − 1) (or /n when not unbiased).</summary>
        public Tensor Var(bool unbiased = true) => VarOp.Forward(x, [], unbiased, false);

        /// <summary>Variance along <paramref name="dim"/>; unbiased divides by n − 1. ∂/∂x = 2(x − mean)/(n − 1) (or /n).</summary>
        public Tensor Var(int dim, bool unbiased = true, bool keepDim = false) => VarOp.Forward(x, [dim], unbiased, keepDim);

        /// <summary>Variance over <paramref name="dims"/>. ∂/∂x = 2(x − mean)/(n − 1) (or /n when biased).</summary>
        public Tensor Var(int[] dims, bool unbiased = true, bool keepDim = false) => VarOp.Forward(x, dims, unbiased, keepDim);

        /// <summary>Standard deviation of all elements (0-d); unbiased divides by n − 1 (PyTorch's default). ∂/∂x = (x − mean)/((n − 1)·std) (or n·std when not unbiased).</summary>
        public Tensor Std(bool unbiased = true) => StdOp.Forward(x, [], unbiased, false);

        /// <summary>Standard deviation along <paramref name="dim"/>. ∂/∂x = (x − mean)/((n − 1)·std) (or n·std).</summary>
        public Tensor Std(int dim, bool unbiased = true, bool keepDim = false) => StdOp.Forward(x, [dim], unbiased, keepDim);

        /// <summary>Standard deviation over <paramref name="dims"/>. ∂/∂x = (x − mean)/((n − 1)·std) (or n·std).</summary>
        public Tensor Std(int[] dims, bool unbiased = true, bool keepDim = false) => StdOp.Forward(x, dims, unbiased, keepDim);
    }
}
