namespace Nabla;

/// <summary>A tensor index that does not fit the tensor: a position outside its dim, more indices than dims, two
/// ellipses, a non-positive step (PyTorch's <c>IndexError</c>). For a position out of range, <see cref="Dim"/>,
/// <see cref="Index"/> and <see cref="Size"/> say which.</summary>
public sealed class TensorIndexException(string message) : NablaException(message)
{
    /// <summary>The dim whose size the index exceeded, or null when the problem is not one position.</summary>
    public int? Dim { get; private init; }

    /// <summary>The offending index as written (<c>5</c>, <c>-4</c>, <c>^4</c>), or null.</summary>
    public string? Index { get; private init; }

    /// <summary>The size of <see cref="Dim"/>, or null.</summary>
    public int? Size { get; private init; }

    internal static TensorIndexException OutOfRange(string op, string index, int dim, int size, ReadOnlySpan<int> shape) =>
        new($"{op}: index {index} is out of range for dim {dim} of size {size} (tensor of shape {ShapeUtil.Format(shape)})")
        { Dim = dim, Index = index, Size = size };
}
