using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>
/// Reverse-mode engine: an iterative depth-first walk orders the graph topologically (no recursion, so deep RNN
/// graphs are fine), then each node's backward runs once with the summed gradient of its output, in reverse order.
/// Leaf gradients accumulate into <see cref="Tensor.Grad"/> (in place once the buffer exists).
/// </summary>
/// <remarks>
/// Memory: a gradient that an op created during this pass (its storage rented from <see cref="StoragePool"/> while
/// the pass ran) goes back to the pool as soon as it is consumed — after the node it belongs to ran, or after it was
/// added into a leaf's gradient — unless another pending gradient still shares its storage. Nothing outside the
/// pass can hold such a gradient: ops return fresh tensors or views of their gradOutput, and the engine counts views.
/// With <c>freeIntermediates</c> the graph's own tensors (every tensor with a grad_fn except the root, and not
/// sharing storage with a leaf or the root) are returned too, once every node that could read them has run.
/// </remarks>
public static class Engine
{
    /// <summary>When set, called after each node's backward with its name and elapsed Stopwatch ticks (profiling).</summary>
    internal static Action<string, long>? NodeTimer;

    public static void Backward(Tensor root, Tensor? gradOutput = null, bool retainGraph = false, bool freeIntermediates = false)
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
        var leafHooks = PostAccumulateGradHooks.Begin(order);   // null unless a leaf of this graph has a hook
        // Graph tensors whose storage may be recycled once all of them are done (freeIntermediates), and how many
        // graph tensors share each such storage. Storage seen by a leaf input or the root is never recycled.
        Dictionary<Array, int>? graphRefs = freeIntermediates && !retainGraph ? GraphStorageRefs(root, order) : null;
        using var capture = StoragePool.BeginCapture();
        var created = capture.Arrays;                      // storage rented during this pass
        var pending = new Dictionary<Array, int>(ReferenceEqualityComparer.Instance);   // storage → pending gradients on it
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradOutput };
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            if (!grads.Remove(t, out var g)) { leafHooks?.NodeDone(t.GradFn!); ReleaseGraphTensor(t, graphRefs, pending); continue; }
            Unpend(pending, g);
            var node = t.GradFn!;
            if (node.IsReleased)
                throw new AutogradException($"Backward: the graph through {node.Name} was already freed by an earlier Backward(); pass retainGraph: true to the first call to go through it twice");
            long t0 = NodeTimer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            var inputGrads = node.Backward(g);
            NodeTimer?.Invoke(node.Name, System.Diagnostics.Stopwatch.GetTimestamp() - t0);
            var inputs = node.Inputs;
            if (inputGrads.Length != inputs.Count)
                throw new AutogradException($"{node.Name}: returned {inputGrads.Length} gradients for {inputs.Count} inputs");
            for (int i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var gi = inputGrads[i];
                if (input is null || gi is null) continue;
                CheckGradShape(node.Name, input, gi);
                if (input.GradFn is null)
                {
                    AccumulateLeaf(input, gi);
                    Recycle(gi, created, pending);
                }
                else if (grads.TryGetValue(input, out var prev))
                {
                    Unpend(pending, prev);
                    var sum = Add(prev, gi);
                    grads[input] = sum;
                    Pend(pending, sum);
                    Recycle(prev, created, pending);
                    Recycle(gi, created, pending);
                }
                else { grads[input] = gi; Pend(pending, gi); }
            }
            leafHooks?.NodeDone(node);                     // leaves whose gradient is now final: post-accumulate-grad hooks
            if (!retainGraph) node.Release();
            Recycle(g, created, pending);
            ReleaseGraphTensor(t, graphRefs, pending);
        }
    }

    private static void Pend(Dictionary<Array, int> pending, Tensor g) =>
        pending[g._storage] = pending.GetValueOrDefault(g._storage) + 1;

    private static void Unpend(Dictionary<Array, int> pending, Tensor g)
    {
        if (pending.TryGetValue(g._storage, out int n)) { if (n <= 1) pending.Remove(g._storage); else pending[g._storage] = n - 1; }
    }

    /// <summary>Returns a consumed gradient's storage to the pool when this pass created it and no pending gradient shares it.</summary>
    private static void Recycle(Tensor g, HashSet<Array> created, Dictionary<Array, int> pending)
    {
        var s = g._storage;
        if (pending.ContainsKey(s) || !created.Remove(s)) return;
        StoragePool.Return(s);
    }

    /// <summary>freeIntermediates: one graph tensor sharing this storage is done; the last one returns it.</summary>
    private static void ReleaseGraphTensor(Tensor t, Dictionary<Array, int>? graphRefs, Dictionary<Array, int> pending)
    {
        if (graphRefs is null || !graphRefs.TryGetValue(t._storage, out int n)) return;
        if (n > 1) { graphRefs[t._storage] = n - 1; return; }
        graphRefs.Remove(t._storage);
        if (!pending.ContainsKey(t._storage)) StoragePool.Return(t._storage);   // an op may pass a saved tensor on as a gradient
    }

    /// <summary>Storage of the graph's non-root tensors (pool-rented only) → how many of them share it, leaving out
    /// any storage that a leaf input or the root also uses.</summary>
    private static Dictionary<Array, int> GraphStorageRefs(Tensor root, List<Tensor> order)
    {
        var refs = new Dictionary<Array, int>(ReferenceEqualityComparer.Instance);
        var excluded = new HashSet<Array>(ReferenceEqualityComparer.Instance) { root._storage };
        foreach (var t in order)
        {
            foreach (var input in t.GradFn!.Inputs)
                if (input is { GradFn: null }) excluded.Add(input._storage);
            if (!ReferenceEquals(t, root) && StoragePool.IsRented(t._storage))
                refs[t._storage] = refs.GetValueOrDefault(t._storage) + 1;
        }
        foreach (var s in excluded) refs.Remove(s);
        return refs;
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
