
namespace Nabla;

/// <summary>y = [x₀, x₁, …] joined along one dim (a copy). ∂L/∂xᵢ = the slice of ∂L/∂y that xᵢ filled (a view).</summary>
internal sealed class CatOp : Node
{
    private int[] _sizes = [];
    private int _dim;

    public static Tensor Forward(IReadOnlyList<Tensor> tensors, int dim)
    {
        if (tensors.Count == 0) throw new ArgumentException("Cat: expects at least one tensor");
        var first = tensors[0];
        if (first.Rank == 0) throw ShapeMismatchException.For("Cat", "cannot concatenate 0-d tensors; Stack them or Unsqueeze first", first.Shape.ToArray());
        int d = ShapeUtil.WrapDim(dim, first.Rank, "Cat");
        var shape = first.Shape.ToArray();
        var sizes = new int[tensors.Count];
        int total = 0;
        for (int k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k];
            Dispatch.SameDType("Cat", first, t);
            bool ok = t.Rank == first.Rank;
            for (int i = 0; ok && i < t.Rank; i++) ok = i == d || t.Shape[i] == shape[i];
            if (!ok)
                throw ShapeMismatchException.For("Cat", $"tensor {k} differs from tensor 0 outside dim {d}", [.. tensors.Select(x => x.Shape.ToArray())]);
            sizes[k] = t.Shape[d];
            total += sizes[k];
        }
        shape[d] = total;
        var y = Tensor.Empty(shape, first.DType);
        int pos = 0;
        foreach (var t in tensors)
        {
            // The slot of y that t fills: same strides, offset moved along dim.
            y.AsStrided(t.Shape.ToArray(), y.Strides.ToArray(), pos * y.Strides[d]).CopyFromRaw(t);
            pos += t.Shape[d];
        }
        return new CatOp { _sizes = sizes, _dim = d }.Record(y, [.. tensors]);
    }

    internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var grads = new Tensor?[_sizes.Length];
        int pos = 0;
        for (int k = 0; k < _sizes.Length; k++)
        {
            if (NeedsGrad(k)) grads[k] = gradOutput.Narrow(_dim, pos, _sizes[k]);
            pos += _sizes[k];
        }
        return grads;
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Joins tensors along an existing <paramref name="dim"/>; other dims must match (torch.cat). ∂L/∂xᵢ = the slice of the upstream gradient where xᵢ was placed.</summary>
        public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0) => CatOp.Forward(tensors, dim);

        /// <summary>Joins same-shape tensors along a new <paramref name="dim"/> (torch.stack). ∂L/∂xᵢ = the i-th slice of the upstream gradient along dim.</summary>
        public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
        {
            if (tensors.Count == 0) throw new ArgumentException("Stack: expects at least one tensor");
            for (int k = 1; k < tensors.Count; k++)
                if (!ShapeUtil.SameShape(tensors[k].Shape, tensors[0].Shape))
                    throw ShapeMismatchException.For("Stack", $"tensor {k} differs in shape from tensor 0", [.. tensors.Select(x => x.Shape.ToArray())]);
            int d = ShapeUtil.WrapDim(dim, tensors[0].Rank + 1, "Stack");
            return CatOp.Forward([.. tensors.Select(t => t.Unsqueeze(d))], d);
        }
    }

    extension(Tensor x)
    {
        /// <summary>Views of consecutive pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller). Views (Narrow): each piece's gradient lands in its range of x.</summary>
        public Tensor[] Split(int splitSize, int dim = 0)
        {
            int d = ShapeUtil.WrapDim(dim, x.Rank, "Split");
            if (splitSize <= 0) throw new ArgumentOutOfRangeException(nameof(splitSize), $"Split: splitSize must be positive, got {splitSize}");
            int size = x.Shape[d];
            var parts = new List<Tensor>();
            for (int s = 0; s < size; s += splitSize) parts.Add(x.Narrow(d, s, Math.Min(splitSize, size - s)));
            if (size == 0) parts.Add(x.Narrow(d, 0, 0));
            return [.. parts];
        }

        /// <summary>Views of pieces with the given sizes along <paramref name="dim"/> (they must add up to its size). Views (Narrow): each piece's gradient lands in its range of x.</summary>
        public Tensor[] Split(int[] splitSizes, int dim = 0)
        {
            int d = ShapeUtil.WrapDim(dim, x.Rank, "Split");
            if (splitSizes.Any(s => s < 0) || splitSizes.Sum() != x.Shape[d])
                throw ShapeMismatchException.For("Split", $"sizes ({string.Join(", ", splitSizes)}) must be non-negative and add up to dim {d} of size {x.Shape[d]}", x.Shape.ToArray());
            var parts = new Tensor[splitSizes.Length];
            int pos = 0;
            for (int k = 0; k < parts.Length; k++) { parts[k] = x.Narrow(d, pos, splitSizes[k]); pos += splitSizes[k]; }
            return parts;
        }

        /// <summary>At most <paramref name="chunks"/> views of size ⌈n/chunks⌉ along <paramref name="dim"/> (torch.chunk). Views (Narrow): each piece's gradient lands in its range of x.</summary>
        public Tensor[] Chunk(int chunks, int dim = 0)
        {
            if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), $"Chunk: chunks must be positive, got {chunks}");
            int size = x.Shape[ShapeUtil.WrapDim(dim, x.Rank, "Chunk")];
            return x.Split(Math.Max(1, (size + chunks - 1) / chunks), dim);
        }
    }
}
