using System.Globalization;

namespace Nabla;

/// <summary>
/// One entry of a tensor index <c>x[i0, i1, …]</c>, as in NumPy/PyTorch basic indexing: an integer (drops its dim;
/// negative counts from the end), an <see cref="Index"/> (<c>^1</c> is the last position), a <see cref="Range"/>
/// (<c>1..3</c>, <c>..</c>, <c>^2..</c>: keeps the dim), a stepped slice (<see cref="Slice"/>), the
/// <see cref="Ellipsis"/> (as many full slices as needed) or <see cref="NewAxis"/> (inserts a size-1 dim). Integers,
/// indices and ranges convert implicitly, so <c>x[0, .., 1..3]</c>, <c>x[^1]</c> and
/// <c>x[Tensor.NewAxis, ..]</c> compile as written.
/// </summary>
/// <remarks>An integer or <see cref="Index"/> outside its dim throws <see cref="TensorIndexException"/>; slice bounds
/// are clamped to the dim as in Python (<c>x[1..100]</c> on a dim of 3 is <c>x[1..3]</c>; end ≤ start is empty).</remarks>
public readonly struct TensorIndex
{
    internal enum IndexKind : byte { Unset, Single, Slice, Ellipsis, NewAxis }

    internal IndexKind Kind { get; }
    internal Index Start { get; }       // the position for Single; the first position for Slice
    internal Index End { get; }         // Slice only: one past the last position
    internal int Step { get; }          // Slice only: ≥ 1
    private readonly bool _fromNegativeInt;   // Single written as a negative int (shown as -k, not ^k)

    private TensorIndex(IndexKind kind, Index start = default, Index end = default, int step = 1, bool fromNegativeInt = false)
    {
        Kind = kind;
        Start = start;
        End = end;
        Step = step;
        _fromNegativeInt = fromNegativeInt;
    }

    /// <summary>All remaining dims, as many full slices as the other entries leave (NumPy/PyTorch <c>...</c>).
    /// At most one per index.</summary>
    public static TensorIndex Ellipsis { get; } = new(IndexKind.Ellipsis);

    /// <summary>Inserts a new dim of size 1 at this position (NumPy <c>np.newaxis</c>, PyTorch <c>None</c>).</summary>
    public static TensorIndex NewAxis { get; } = new(IndexKind.NewAxis);

    /// <summary>The Python slice <c>start:stop:step</c>: null start/stop mean the beginning/end, negative values count
    /// from the end, out-of-range bounds are clamped; <paramref name="step"/> must be positive (as in PyTorch).</summary>
    public static TensorIndex Slice(int? start = null, int? stop = null, int step = 1)
    {
        if (step <= 0) throw new TensorIndexException($"Slice: step must be positive, got {step}");
        return new(IndexKind.Slice, FromPython(start, Index.Start), FromPython(stop, Index.End), step);
    }

    /// <summary>One position; negative values count from the end (−1 is the last). Drops the dim.</summary>
    public static implicit operator TensorIndex(int index) =>
        new(IndexKind.Single, index >= 0 ? new Index(index) : Index.FromEnd(-(long)index > int.MaxValue ? int.MaxValue : -index), fromNegativeInt: index < 0);

    /// <summary>One position (<c>^1</c> is the last). Drops the dim.</summary>
    public static implicit operator TensorIndex(Index index) => new(IndexKind.Single, index);

    /// <summary>The positions of a range (<c>1..3</c>, <c>..</c>, <c>^2..</c>), clamped to the dim. Keeps the dim.</summary>
    public static implicit operator TensorIndex(Range range) => new(IndexKind.Slice, range.Start, range.End, 1);

    private static Index FromPython(int? i, Index whenNull) => i switch
    {
        null => whenNull,
        >= 0 => new Index(i.Value),
        _ => Index.FromEnd(i.Value == int.MinValue ? int.MaxValue : -i.Value),
    };

    /// <summary>The entry as C# source (<c>2</c>, <c>-1</c>, <c>^1</c>, <c>1..3</c>, <c>Slice(0, ^0, 2)</c>, <c>Ellipsis</c>, <c>NewAxis</c>).</summary>
    public override string ToString() => Kind switch
    {
        IndexKind.Single => _fromNegativeInt ? "-" + Start.Value.ToString(CultureInfo.InvariantCulture) : Start.ToString(),
        IndexKind.Slice => Step == 1 ? $"{Start}..{End}" : $"Slice({Start}, {End}, {Step})",
        IndexKind.Ellipsis => "Ellipsis",
        IndexKind.NewAxis => "NewAxis",
        _ => "default(TensorIndex)",
    };
}
