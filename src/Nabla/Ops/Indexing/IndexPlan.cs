namespace Nabla;

/// <summary>
/// A basic index (<see cref="TensorIndex"/> entries) resolved against one input shape: which position each input dim
/// starts at, and where each output dim comes from. <see cref="View"/> applies it to any tensor of that shape, so
/// the forward view of x and the backward scatter into a fresh gradient use the same positions.
/// </summary>
internal sealed class IndexPlan
{
    private readonly int[] _inputShape;
    private readonly int[] _start;          // per input dim: first position taken (0 for an empty slice)
    private readonly int[] _outShape;
    private readonly int[] _outSource;      // per output dim: the input dim it walks, or −1 for a new axis
    private readonly int[] _outStep;        // per output dim: the step along its input dim

    private IndexPlan(int[] inputShape, int[] start, int[] outShape, int[] outSource, int[] outStep)
    {
        _inputShape = inputShape;
        _start = start;
        _outShape = outShape;
        _outSource = outSource;
        _outStep = outStep;
    }

    /// <summary>The shape the index produces.</summary>
    public int[] OutputShape => _outShape;

    /// <summary>Resolves <paramref name="indices"/> against <paramref name="shape"/>; throws
    /// <see cref="TensorIndexException"/> for a position out of range, too many indices or two ellipses.</summary>
    public static IndexPlan Resolve(string op, ReadOnlySpan<int> shape, ReadOnlySpan<TensorIndex> indices)
    {
        int rank = shape.Length, consuming = 0, ellipses = 0;
        foreach (var ix in indices)
        {
            switch (ix.Kind)
            {
                case TensorIndex.IndexKind.Single or TensorIndex.IndexKind.Slice: consuming++; break;
                case TensorIndex.IndexKind.Ellipsis: ellipses++; break;
                case TensorIndex.IndexKind.Unset: throw new TensorIndexException($"{op}: default(TensorIndex) is not an index; use an int, an Index, a Range, Ellipsis or NewAxis");
            }
        }
        if (ellipses > 1)
            throw new TensorIndexException($"{op}: an index can have only one Ellipsis, got {ellipses}");
        if (consuming > rank)
            throw new TensorIndexException($"{op}: too many indices for a tensor of rank {rank} (shape {ShapeUtil.Format(shape)}): {consuming} given");

        var start = new int[rank];
        var outShape = new List<int>(rank + indices.Length);
        var outSource = new List<int>(rank + indices.Length);
        var outStep = new List<int>(rank + indices.Length);
        void Keep(int d, int size, int step) { outShape.Add(size); outSource.Add(d); outStep.Add(step); }

        int dim = 0;
        foreach (var ix in indices)
        {
            switch (ix.Kind)
            {
                case TensorIndex.IndexKind.Single:
                {
                    int size = shape[dim];
                    long i = ix.Start.IsFromEnd ? (long)size - ix.Start.Value : ix.Start.Value;
                    if (i < 0 || i >= size) throw TensorIndexException.OutOfRange(op, ix.ToString(), dim, size, shape);
                    start[dim++] = (int)i;
                    break;
                }
                case TensorIndex.IndexKind.Slice:
                {
                    int size = shape[dim];
                    int s = Clamp(ix.Start, size), e = Clamp(ix.End, size);
                    int length = e > s ? (e - s + ix.Step - 1) / ix.Step : 0;
                    start[dim] = length > 0 ? s : 0;
                    Keep(dim, length, ix.Step);
                    dim++;
                    break;
                }
                case TensorIndex.IndexKind.Ellipsis:
                    for (int k = 0; k < rank - consuming; k++, dim++) Keep(dim, shape[dim], 1);
                    break;
                case TensorIndex.IndexKind.NewAxis:
                    outShape.Add(1); outSource.Add(-1); outStep.Add(0);
                    break;
            }
        }
        for (; dim < rank; dim++) Keep(dim, shape[dim], 1);   // trailing dims not named are taken whole
        return new IndexPlan(shape.ToArray(), start, [.. outShape], [.. outSource], [.. outStep]);
    }

    private static int Clamp(Index i, int size)
    {
        long v = i.IsFromEnd ? (long)size - i.Value : i.Value;
        return (int)Math.Clamp(v, 0, size);
    }

    /// <summary>The indexed view of <paramref name="t"/> (a tensor of the plan's input shape, any strides).</summary>
    public Tensor View(Tensor t)
    {
        if (!ShapeUtil.SameShape(t.Shape, _inputShape))
            throw ShapeMismatchException.For("Index", "the tensor changed shape since the index was resolved", _inputShape, t.Shape.ToArray());
        int offset = t.Offset;
        for (int d = 0; d < _start.Length; d++) offset += _start[d] * t.Strides[d];
        var strides = new int[_outShape.Length];
        for (int k = 0; k < strides.Length; k++)
            strides[k] = _outSource[k] < 0 ? 0 : t.Strides[_outSource[k]] * _outStep[k];   // a new axis has size 1: any stride
        return t.AsStrided(_outShape.ToArray(), strides, offset);
    }
}
