using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>
/// Reverse-mode engine: an iterative depth-first walk orders the graph topologically (no recursion, so deep RNN
/// graphs are fine), then each node's backward runs once with the summed gradient of its output, in reverse order.
/// Leaf gradients accumulate into <see cref="Tensor.Grad"/> (in place once the buffer exists).
/// </summary>
public static class Engine
{
    public static void Backward(Tensor root, Tensor? gradOutput = null, bool retainGraph = false)
    {
        if (!root.RequiresGrad)
            throw new AutogradException($"Backward: tensor of shape {ShapeUtil.Format(root.Shape)} does not require grad and has no grad_fn");
        if (gradOutput is null)
        {
            if (root.Numel != 1)
                throw new AutogradException($"Backward: gradient can be implied only for a one-element output, not shape {ShapeUtil.Format(root.Shape)}; pass gradOutput");
            gradOutput = Tensor.OnesLike(root);
        }
        CheckGradShape("Backward", root, gradOutput);

        using var _ = GradMode.NoGrad();
        if (root.GradFn is null) { AccumulateLeaf(root, gradOutput); return; }

        var order = TopologicalOrder(root);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradOutput };
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            if (!grads.Remove(t, out var g)) continue;
            var node = t.GradFn!;
            if (node.IsReleased)
                throw new AutogradException($"Backward: the graph through {node.Name} was already freed by an earlier Backward(); pass retainGraph: true to the first call to go through it twice");
            var inputGrads = node.Backward(g);
            var inputs = node.Inputs;
            if (inputGrads.Length != inputs.Count)
                throw new AutogradException($"{node.Name}: returned {inputGrads.Length} gradients for {inputs.Count} inputs");
            for (int i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var gi = inputGrads[i];
                if (input is null || gi is null) continue;
                CheckGradShape(node.Name, input, gi);
                if (input.GradFn is null) AccumulateLeaf(input, gi);
                else grads[input] = grads.TryGetValue(input, out var prev) ? Add(prev, gi) : gi;
            }
            if (!retainGraph) node.Release();
        }
    }

    /// <summary>Tensors with a grad_fn reachable from <paramref name="root"/>, each after all of its inputs.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { root };
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn!.Inputs;
            if (next < inputs.Count)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child is { GradFn: not null } && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        return order;
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (leaf.Grad is null) leaf.Grad = g.Clone_Raw();
        else if (ShapeUtil.SameShape(leaf.Grad.Shape, g.Shape) && leaf.Grad.IsContiguous && leaf.Grad.DType == g.DType)
            AddInto(leaf.Grad, g);
        else leaf.Grad = Add(leaf.Grad, g);
    }

    private static void CheckGradShape(string op, Tensor t, Tensor g)
    {
        if (!ShapeUtil.SameShape(t.Shape, g.Shape))
            throw new AutogradException($"{op}: gradient of shape {ShapeUtil.Format(g.Shape)} does not match its tensor's shape {ShapeUtil.Format(t.Shape)}");
        if (t.DType != g.DType)
            throw new AutogradException($"{op}: gradient dtype {g.DType.Name()} does not match its tensor's dtype {t.DType.Name()}");
    }

    private static Tensor Add(Tensor a, Tensor b)
    {
        var r = a.Clone_Raw();
        AddInto(r, b);
        return r;
    }

    /// <summary>dst += src for a contiguous dst of the same shape.</summary>
    private static void AddInto(Tensor dst, Tensor src)
    {
        var s = src.ContiguousRaw();
        if (dst.DType == DType.Float32)
            System.Numerics.Tensors.TensorPrimitives.Add(dst.AsSpan<float>(), s.AsSpan<float>(), dst.AsSpan<float>());
        else
            System.Numerics.Tensors.TensorPrimitives.Add(dst.AsSpan<double>(), s.AsSpan<double>(), dst.AsSpan<double>());
    }
}
