namespace Nabla;

/// <summary>Shape arithmetic shared by tensors and ops: element counts, strides, broadcasting, dim wrapping.</summary>
public static class ShapeUtil
{
    /// <summary>The element count ∏ shape[i]; throws when it (or the product of the non-zero dims, which the
    /// strides need) exceeds 2^31−1 in magnitude. Checked after every factor, so no product wraps.</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1, magnitude = 1;
        foreach (int d in shape)
        {
            n *= d;
            magnitude *= Math.Max(Math.Abs((long)d), 1);
            if (magnitude > int.MaxValue) throw new NablaException($"tensor of shape {Format(shape)} has more than 2^31-1 elements");
        }
        return (int)n;
    }

    /// <summary>The element count of a shape of non-negative dims, false when it or the product of the non-zero
    /// dims exceeds 2^31−1. Checked after every factor, so no product wraps (2^30 · 2^30 · 16 is refused, not 0).</summary>
    public static bool TryNumel(ReadOnlySpan<int> shape, out int numel)
    {
        long n = 1, nonZero = 1;
        foreach (int d in shape)
        {
            if (d < 0) { numel = 0; return false; }
            n *= d;                                   // ≤ (2^31−1)² after the checks below: fits a long
            nonZero *= Math.Max(d, 1);
            if (nonZero > int.MaxValue) { numel = 0; return false; }
        }
        numel = (int)n;
        return true;
    }

    /// <summary>Row-major (C-order) strides of a contiguous tensor.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= Math.Max(shape[i], 1); }
        return s;
    }

    /// <summary>Maps a possibly negative dim (-1 = last) into [0, rank); throws naming the op otherwise.</summary>
    public static int WrapDim(int dim, int rank, string op = "dim")
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dim {dim} is out of range for a tensor of rank {rank}");
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>NumPy broadcasting: align right; each pair of dims must be equal or one of them 1.</summary>
    public static int[] BroadcastShapes(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            int db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw ShapeMismatchException.For(op, $"dim {i - r} has sizes {da} and {db}, which cannot be broadcast", a.ToArray(), b.ToArray());
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /// <summary>Strides that read a tensor of (shape, strides) as if it had the larger broadcast shape <paramref name="target"/> (stride 0 on broadcast dims).</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var s = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            s[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        return s;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
