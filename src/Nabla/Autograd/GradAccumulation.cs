using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Nabla;

/// <summary>The engine's gradient arithmetic: shape/dtype assertion, summing two gradients of one tensor, and
/// accumulation into a leaf's <see cref="Tensor.Grad"/> (in place once that buffer exists).</summary>
internal static class GradAccumulation
{
    /// <summary>The gradient backward starts from: <paramref name="gradOutput"/> checked against the root, or ones for a
    /// one-element root.</summary>
    public static Tensor Seed(Tensor root, Tensor? gradOutput)
    {
        if (!root.RequiresGrad)
            throw new AutogradException($"Backward: tensor of shape {ShapeUtil.Format(root.Shape)} does not require grad and has no grad_fn");
        if (gradOutput is null && root.Numel != 1)
            throw new AutogradException($"Backward: gradient can be implied only for a one-element output, not shape {ShapeUtil.Format(root.Shape)}; pass gradOutput");
        gradOutput ??= Tensor.OnesLike(root);
        CheckShape("Backward", root, gradOutput);
        return gradOutput;
    }

    /// <summary>Throws unless gradient <paramref name="g"/> has <paramref name="t"/>'s shape and dtype.</summary>
    public static void CheckShape(string op, Tensor t, Tensor g)
    {
        if (!ShapeUtil.SameShape(t.Shape, g.Shape))
            throw new AutogradException($"{op}: gradient of shape {ShapeUtil.Format(g.Shape)} does not match its tensor's shape {ShapeUtil.Format(t.Shape)}");
        if (t.DType != g.DType)
            throw new AutogradException($"{op}: gradient dtype {g.DType.Name()} does not match its tensor's dtype {t.DType.Name()}");
    }

    /// <summary>leaf.Grad += g; the first gradient is copied, so a leaf's Grad never shares storage with the graph.
    /// Adding in place counts as a write (<see cref="Tensor.Version"/>): a graph that saved this Grad tensor (say
    /// <c>w * x.Grad</c>) refuses its backward afterwards instead of reading the new sum.</summary>
    public static void IntoLeaf(Tensor leaf, Tensor g)
    {
        if (leaf.Grad is null) leaf.Grad = g.Clone_Raw();
        else if (ShapeUtil.SameShape(leaf.Grad.Shape, g.Shape) && leaf.Grad.IsContiguous && leaf.Grad.DType == g.DType)
        {
            AddInto(leaf.Grad, g);
            leaf.Grad.BumpVersion();
        }
        else leaf.Grad = Sum(leaf.Grad, g);
    }

    /// <summary>a + b in fresh storage.</summary>
    public static Tensor Sum(Tensor a, Tensor b)
    {
        var r = a.Clone_Raw();
        AddInto(r, b);
        return r;
    }

    /// <summary>dst += src for a contiguous dst of the same shape.</summary>
    private static void AddInto(Tensor dst, Tensor src)
    {
        var s = src.ContiguousRaw();
        if (dst.DType == DType.Float32) TensorPrimitives.Add(dst.AsSpan<float>(), s.AsSpan<float>(), dst.AsSpan<float>());
        else TensorPrimitives.Add(dst.AsSpan<double>(), s.AsSpan<double>(), dst.AsSpan<double>());
    }
}
