using System.Numerics;

namespace Nabla;

/// <summary>
/// y[…, :] = weight[indices[…], :]: a lookup of rows of weight [V, D] by int32 indices of any shape → [..., D].
/// ∂L/∂weight[v, :] = Σ_{p: indices[p] = v} ∂L/∂y[p, :] (dense [V, D], like PyTorch's default), except the
/// paddingIdx row, which gets no gradient. Indices are not differentiable.
/// </summary>
public sealed class EmbeddingOp : Node
{
    private int[] _indices = [];
    private int _numEmbeddings, _dim;
    private int? _paddingIdx;

    public static Tensor Forward(Tensor indices, Tensor weight, int? paddingIdx = null)
    {
        if (indices.DType != DType.Int32) throw DTypeMismatchException.Unsupported("Embedding (indices)", indices.DType);
        Dispatch.Floating("Embedding (weight)", weight);
        if (weight.Rank != 2) throw ShapeMismatchException.For("Embedding", "weight must be 2-d [num_embeddings, embedding_dim]", indices.Shape.ToArray(), weight.Shape.ToArray());
        int v = weight.Shape[0], dim = weight.Shape[1];
        if (paddingIdx is int pi)
        {
            if (pi < -v || pi >= v)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Embedding: paddingIdx {pi} is out of range for num_embeddings {v}");
            paddingIdx = pi < 0 ? pi + v : pi;
        }
        var idx = indices.ToArray<int>();
        foreach (int i in idx)
            if ((uint)i >= (uint)v)
                throw new IndexOutOfRangeException($"Embedding: index {i} is out of range for num_embeddings {v} (weight shape {ShapeUtil.Format(weight.Shape)})");
        var y = Tensor.Empty([.. indices.Shape, dim], weight.DType);     // [..., D]
        var w = weight.ContiguousRaw();
        if (w.DType == DType.Float32) Lookup(w.AsSpan<float>(), idx, dim, y.AsSpan<float>());
        else Lookup(w.AsSpan<double>(), idx, dim, y.AsSpan<double>());
        if (!WillRecord(weight)) return y;
        return new EmbeddingOp { _indices = idx, _numEmbeddings = v, _dim = dim, _paddingIdx = paddingIdx }.Record(y, null, weight);
    }

    private static void Lookup<T>(ReadOnlySpan<T> w, int[] idx, int dim, Span<T> y)
    {
        for (int p = 0; p < idx.Length; p++) w.Slice(idx[p] * dim, dim).CopyTo(y.Slice(p * dim, dim));
    }

    public override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        var gradWeight = Tensor.Zeros([_numEmbeddings, _dim], g.DType);
        if (g.DType == DType.Float32) ScatterAdd(g.AsSpan<float>(), gradWeight.AsSpan<float>());
        else ScatterAdd(g.AsSpan<double>(), gradWeight.AsSpan<double>());
        return [null, gradWeight];
    }

    private void ScatterAdd<T>(ReadOnlySpan<T> g, Span<T> gradWeight) where T : IFloatingPointIeee754<T>
    {
        for (int p = 0; p < _indices.Length; p++)
        {
            int i = _indices[p];
            if (i == _paddingIdx) continue;
            var row = gradWeight.Slice(i * _dim, _dim);
            System.Numerics.Tensors.TensorPrimitives.Add(row, g.Slice(p * _dim, _dim), row);
        }
    }
}

public static partial class TensorOps
{
    extension(Tensor x)
    {
        /// <summary>Rows of <paramref name="weight"/> [V, D] looked up by int32 <paramref name="indices"/> of any shape
        /// → [..., D] (F.embedding(input, weight, padding_idx)); the paddingIdx row receives no gradient.</summary>
        public static Tensor Embedding(Tensor indices, Tensor weight, int? paddingIdx = null) => EmbeddingOp.Forward(indices, weight, paddingIdx);
    }
}
