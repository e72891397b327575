
namespace Nabla;

/// <summary>y = x with its dims reordered (a view: strides permuted, no copy). ∂L/∂x = permute(∂L/∂y, inverse).</summary>
public sealed class PermuteOp : Node
{
    private int[] _inverse = [];

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims)
    {
        int r = x.Rank;
        if (dims.Length != r)
            throw ShapeMismatchException.For("Permute", $"{dims.Length} dims given for a tensor of rank {r}", x.Shape.ToArray());
        var perm = new int[r];
        var inverse = new int[r];
        var seen = new bool[r];
        for (int i = 0; i < r; i++)
        {
            int d = ShapeUtil.WrapDim(dims[i], r, "Permute");
            if (seen[d]) throw new ArgumentException($"Permute: dim {d} is repeated in ({string.Join(", ", dims.ToArray())})");
            seen[d] = true;
            perm[i] = d;
            inverse[d] = i;
        }
        var shape = new int[r];
        var strides = new int[r];
        for (int i = 0; i < r; i++) { shape[i] = x.Shape[perm[i]]; strides[i] = x.Strides[perm[i]]; }
        var y = x.AsStrided(shape, strides, x.Offset);
        return new PermuteOp { _inverse = inverse }.Record(y, x);
    }

    public override Tensor?[] Backward(Tensor gradOutput) => [gradOutput.Permute(_inverse)];
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        public Tensor Permute(params int[] dims) => PermuteOp.Forward(x, dims);

        /// <summary>Swaps two dims (a view).</summary>
        public Tensor Transpose(int dim0, int dim1)
        {
            int r = x.Rank;
            var p = new int[r];
            for (int i = 0; i < r; i++) p[i] = i;
            int a = ShapeUtil.WrapDim(dim0, r, "Transpose"), b = ShapeUtil.WrapDim(dim1, r, "Transpose");
            (p[a], p[b]) = (p[b], p[a]);
            return PermuteOp.Forward(x, p);
        }

        /// <summary>Transpose of a matrix (rank ≤ 2), as a view.</summary>
        public Tensor T => x.Rank < 2 ? x : x.Rank == 2 ? x.Transpose(0, 1)
            : throw ShapeMismatchException.For("T", "expects a tensor of rank ≤ 2; use Transpose(dim0, dim1) or MT", x.Shape.ToArray());

        /// <summary>Transpose of the last two dims (batched matrices), as a view.</summary>
        public Tensor MT => x.Transpose(-2, -1);
    }
}
