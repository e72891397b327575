
namespace Nabla;

/// <summary>
/// y = x surrounded by a constant along its last dims (F.pad, mode "constant"): pad = (left, right) for the last
/// dim, then (top, bottom) for the one before, and so on; negative amounts crop. ∂L/∂x = the region of ∂L/∂y
/// where x was copied (0 for cropped elements).
/// </summary>
internal sealed class PadOp : Node
{
    private int[] _inputShape = [], _srcStart = [], _dstStart = [], _length = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> pad, double value)
    {
        int r = x.Rank;
        if (pad.Length % 2 != 0 || pad.Length > 2 * r)
            throw ShapeMismatchException.For("Pad", $"pad has {pad.Length} entries; it needs an even count of at most 2·rank = {2 * r}", x.Shape.ToArray());
        var outShape = x.Shape.ToArray();
        var srcStart = new int[r];
        var dstStart = new int[r];
        var length = x.Shape.ToArray();
        for (int k = 0; k < pad.Length / 2; k++)
        {
            int d = r - 1 - k, lo = pad[2 * k], hi = pad[2 * k + 1];
            outShape[d] = x.Shape[d] + lo + hi;
            if (outShape[d] < 0)
                throw ShapeMismatchException.For("Pad", $"padding ({lo}, {hi}) leaves dim {d} of size {x.Shape[d]} with size {outShape[d]}", x.Shape.ToArray());
            srcStart[d] = Math.Max(0, -lo);
            dstStart[d] = Math.Max(0, lo);
            length[d] = Math.Max(0, x.Shape[d] - Math.Max(0, -lo) - Math.Max(0, -hi));
        }
        var y = Tensor.Full(outShape, value, x.DType);
        var node = new PadOp { _inputShape = x.Shape.ToArray(), _srcStart = srcStart, _dstStart = dstStart, _length = length };
        if (ShapeUtil.Numel(length) > 0) Region(y, dstStart, length).CopyFromRaw(Region(x, srcStart, length));
        return node.Record(y, x);
    }

    /// <summary>The box [start, start + length) of t, as a view.</summary>
    private static Tensor Region(Tensor t, int[] start, int[] length)
    {
        int offset = t.Offset;
        for (int d = 0; d < start.Length; d++) offset += start[d] * t.Strides[d];
        return t.AsStrided(length, t.Strides.ToArray(), offset);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = Tensor.Zeros(_inputShape, gradOutput.DType);
        if (ShapeUtil.Numel(_length) > 0) Region(g, _srcStart, _length).CopyFromRaw(Region(gradOutput, _dstStart, _length));
        return [g];
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Pads the last dims with <paramref name="value"/>: pad = (left, right, top, bottom, …) as F.pad. ∂L/∂x = the upstream gradient with the padding cut off.</summary>
        public Tensor Pad(int[] pad, double value = 0) => PadOp.Forward(x, pad, value);

        /// <summary>Tiles x <c>repeats[d]</c> times along each dim (torch's repeat; extra leading repeats add dims). ∂L/∂x = the upstream gradient summed over the repeated copies.</summary>
        public Tensor Repeat(params int[] repeats)
        {
            if (repeats.Length < x.Rank)
                throw ShapeMismatchException.For("Repeat", $"{repeats.Length} repeats given for a tensor of rank {x.Rank}", x.Shape.ToArray());
            if (repeats.Any(k => k < 0)) throw new ArgumentException($"Repeat: repeats ({string.Join(", ", repeats)}) must be non-negative");
            int lead = repeats.Length - x.Rank;
            // [s0, s1] → [1, s0, 1, s1] → expand [r0, s0, r1, s1] → [r0·s0, r1·s1].
            var inter = new int[2 * repeats.Length];
            var expanded = new int[2 * repeats.Length];
            var result = new int[repeats.Length];
            for (int d = 0; d < repeats.Length; d++)
            {
                int s = d < lead ? 1 : x.Shape[d - lead];
                inter[2 * d] = 1; inter[2 * d + 1] = s;
                expanded[2 * d] = repeats[d]; expanded[2 * d + 1] = s;
                result[d] = repeats[d] * s;
            }
            return x.Reshape(inter).Expand(expanded).Reshape(result);
        }
    }
}
