using System.Numerics;


namespace Nabla;

/// <summary>
/// y[…, :] = weight[indices[…], :] like <see cref="EmbeddingOp"/> (same checks, same dense gradient
/// ∂L/∂weight[v, :] = Σ_{p: indices[p] = v} ∂L/∂y[p, :], none for the paddingIdx row), but when weight is a leaf whose
/// gradient buffer already exists the rows are scatter-added straight into <c>weight.Grad</c> and no [V, D] tensor is
/// returned. That is the engine's own leaf accumulation (Grad += g) done without materialising g: for a 50000×300
/// table it saves allocating, zeroing and adding a 60 MB buffer per step. Otherwise it returns the dense gradient.
/// </summary>
public sealed class EmbeddingAccumulateOp : Node
{
    private int[] _indices = [];
    private Tensor _weight = null!;
    private int? _paddingIdx;

    public static Tensor Forward(Tensor indices, Tensor weight, int? paddingIdx = null)
    {
        if (!WillRecord(weight)) return EmbeddingOp.Forward(indices, weight, paddingIdx);
        Tensor y;
        using (GradMode.NoGrad()) y = EmbeddingOp.Forward(indices, weight, paddingIdx);   // validates and looks up
        if (paddingIdx is int p && p < 0) paddingIdx = p + weight.Size(0);
        return new EmbeddingAccumulateOp { _indices = indices.ToArray<int>(), _weight = weight, _paddingIdx = paddingIdx }.Record(y, null, weight);
    }

    public override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.ContiguousRaw();
        int v = _weight.Size(0), dim = _weight.Size(1);
        var grad = _weight.Grad;
        bool direct = _weight.IsLeaf && grad is not null && grad.IsContiguous && grad.DType == g.DType && ShapeUtil.SameShape(grad.Shape, _weight.Shape);
        var target = direct ? grad! : Tensor.Zeros([v, dim], g.DType);
        if (g.DType == DType.Float32) ScatterAdd(g.AsSpan<float>(), target.AsSpan<float>(), dim);
        else ScatterAdd(g.AsSpan<double>(), target.AsSpan<double>(), dim);
        return [null, direct ? null : target];
    }

    private void ScatterAdd<T>(ReadOnlySpan<T> g, Span<T> gradWeight, int dim) where T : IFloatingPointIeee754<T>
    {
        for (int p = 0; p < _indices.Length; p++)
        {
            int i = _indices[p];
            if (i == _paddingIdx) continue;
            var row = gradWeight.Slice(i * dim, dim);
            System.Numerics.Tensors.TensorPrimitives.Add(row, g.Slice(p * dim, dim), row);
        }
    }
}
