
namespace Nabla;

/// <summary>y = x[…, start:end:step, …] along one dim (a view: offset moved, stride multiplied by step).
/// ∂L/∂x = ∂L/∂y placed at the sliced positions, 0 elsewhere.</summary>
/// <remarks>Python rules: negative start/end count from the end, out-of-range ends are clamped, end ≤ start is
/// empty. step must be positive (as in PyTorch).</remarks>
internal sealed class SliceOp : Node
{
    private int[] _inputShape = [];
    private int _dim, _start, _step;

    public static Tensor Forward(Tensor x, int dim, int start, int? end, int step)
    {
        if (x.Rank == 0) throw ShapeMismatchException.For("Slice", "cannot slice a 0-d tensor", x.Shape.ToArray());
        int d = ShapeUtil.WrapDim(dim, x.Rank, "Slice");
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), $"Slice: step must be positive, got {step}");
        int size = x.Shape[d];
        int s = Clamp(start, size), e = Clamp(end ?? size, size);
        int length = e > s ? (e - s + step - 1) / step : 0;
        var shape = x.Shape.ToArray();
        var strides = x.Strides.ToArray();
        shape[d] = length;
        strides[d] *= step;
        var y = x.AsStrided(shape, strides, x.Offset + (length > 0 ? s * x.Strides[d] : 0));
        return new SliceOp { _inputShape = x.Shape.ToArray(), _dim = d, _start = s, _step = step }.Record(y, x);
    }

    private static int Clamp(int i, int size) => Math.Clamp(i < 0 ? i + size : i, 0, size);

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = Tensor.Zeros(_inputShape, gradOutput.DType);
        if (gradOutput.Numel == 0) return [g];
        var strides = g.Strides.ToArray();
        strides[_dim] *= _step;
        g.AsStrided(gradOutput.Shape.ToArray(), strides, _start * g.Strides[_dim]).CopyFromRaw(gradOutput);
        return [g];
    }
}

/// <summary>y = x[…, index, …]: one position of one dim, that dim removed (a view).
/// ∂L/∂x = ∂L/∂y placed at that position, 0 elsewhere.</summary>
internal sealed class SelectOp : Node
{
    private int[] _inputShape = [];
    private int _dim, _index;

    public static Tensor Forward(Tensor x, int dim, int index)
    {
        if (x.Rank == 0) throw ShapeMismatchException.For("Select", "cannot index a 0-d tensor", x.Shape.ToArray());
        int d = ShapeUtil.WrapDim(dim, x.Rank, "Select");
        int size = x.Shape[d];
        int i = index < 0 ? index + size : index;
        if ((uint)i >= (uint)size)
            throw new IndexOutOfRangeException($"Select: index {index} is out of range for dim {d} of size {size} (shape {ShapeUtil.Format(x.Shape)})");
        var shape = x.Shape.ToArray().ToList();
        var strides = x.Strides.ToArray().ToList();
        shape.RemoveAt(d);
        strides.RemoveAt(d);
        var y = x.AsStrided(shape.ToArray(), strides.ToArray(), x.Offset + i * x.Strides[d]);
        return new SelectOp { _inputShape = x.Shape.ToArray(), _dim = d, _index = i }.Record(y, x);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = Tensor.Zeros(_inputShape, gradOutput.DType);
        var strides = g.Strides.ToArray().ToList();
        strides.RemoveAt(_dim);
        g.AsStrided(gradOutput.Shape.ToArray(), strides.ToArray(), _index * g.Strides[_dim]).CopyFromRaw(gradOutput);
        return [g];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>x[…, start:end:step, …] along <paramref name="dim"/> as a view (Python slicing; null end = to the end). ∂L/∂x = the upstream gradient placed at the sliced positions, 0 elsewhere.</summary>
        public Tensor Slice(int dim, int start, int? end = null, int step = 1) => SliceOp.Forward(x, dim, start, end, step);

        /// <summary>x[…, index, …]: drops <paramref name="dim"/> (a view; negative index counts from the end). ∂L/∂x = the upstream gradient placed at that index, 0 elsewhere.</summary>
        public Tensor Select(int dim, int index) => SelectOp.Forward(x, dim, index);
    }
}
