using System.Diagnostics;

namespace Nabla;

/// <summary>
/// Reverse-mode engine: an iterative depth-first walk orders the graph topologically (no recursion, so deep RNN
/// graphs are fine), then each node's backward runs once with the summed gradient of its output, in reverse order.
/// Leaf gradients accumulate into <see cref="Tensor.Grad"/> (<see cref="GradAccumulation"/>). Memory is given back
/// by a <see cref="StorageRecycler"/> that the walk tells when a gradient waits, is consumed or reached a leaf, and
/// when a node has finished.
/// </summary>
internal static class Engine
{
    /// <summary>When set, called after each node's backward with its name and elapsed Stopwatch ticks (profiling).</summary>
    internal static Action<string, long>? NodeTimer;

    /// <summary>Backpropagates <paramref name="gradOutput"/> (ones for a one-element root) from <paramref name="root"/>
    /// into the leaves' gradients. Without <paramref name="retainGraph"/> the graph is freed as it goes; with
    /// <paramref name="freeIntermediates"/> its tensors' storage is recycled too (see <see cref="StorageRecycler"/>).</summary>
    public static void Backward(Tensor root, Tensor? gradOutput = null, bool retainGraph = false, bool freeIntermediates = false)
    {
        gradOutput = GradAccumulation.Seed(root, gradOutput);
        using var _ = GradMode.NoGrad();
        if (root.GradFn is null) { GradAccumulation.IntoLeaf(root, gradOutput); return; }

        var order = TopologicalOrder(root);
        using var recycler = new StorageRecycler(root, order, freeIntermediates && !retainGraph);
        var leafHooks = PostAccumulateGradHooks.Begin(order);   // null unless a leaf of this graph has a hook
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradOutput };
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            var node = t.GradFn!;
            if (grads.Remove(t, out var g))
            {
                recycler.GradientTaken(g);
                if (node.IsReleased)
                    throw new AutogradException($"Backward: the graph through {node.Name} was already freed by an earlier Backward(); pass retainGraph: true to the first call to go through it twice");
                node.CheckSavedVersions();                        // nothing it saved was written in place since
                long t0 = NodeTimer is null ? 0 : Stopwatch.GetTimestamp();
                var inputGrads = node.Backward(g);
                NodeTimer?.Invoke(node.Name, Stopwatch.GetTimestamp() - t0);
                if (inputGrads.Length != node.Inputs.Count)
                    throw new AutogradException($"{node.Name}: returned {inputGrads.Length} gradients for {node.Inputs.Count} inputs");
                for (int i = 0; i < inputGrads.Length; i++)
                    if (node.Inputs[i] is { } input && inputGrads[i] is { } gi) Pass(node, input, gi, grads, recycler);
                recycler.GradientConsumed(g, node);
                leafHooks?.NodeDone(node);                        // leaves whose gradient is now final: their hooks
                if (!retainGraph) node.Release();
            }
            else leafHooks?.NodeDone(node);
            recycler.NodeFinished(t);
        }
    }

    /// <summary>Hands a gradient on: into a leaf's Grad, or into the table (summed with one already waiting there).</summary>
    private static void Pass(Node node, Tensor input, Tensor gi, Dictionary<Tensor, Tensor> grads, StorageRecycler recycler)
    {
        GradAccumulation.CheckShape(node.Name, input, gi);
        if (input.GradFn is null)
        {
            GradAccumulation.IntoLeaf(input, gi);
            recycler.LeafAccumulated(gi, node);
            return;
        }
        if (grads.Remove(input, out var prev))
        {
            recycler.GradientTaken(prev);
            var sum = GradAccumulation.Sum(prev, gi);
            recycler.GradientConsumed(prev, node);
            recycler.GradientConsumed(gi, node);
            gi = sum;
        }
        grads[input] = gi;
        recycler.GradientWaiting(gi);
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
                if (inputs[next] is { GradFn: not null } child && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        return order;
    }
}
