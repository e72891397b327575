using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// Hooks called when a leaf's gradient is final for the current backward pass, like PyTorch's
/// <c>Tensor.register_post_accumulate_grad_hook</c>: after the last gradient flowing into the leaf has been added to
/// its <see cref="Tensor.Grad"/>, while the rest of the backward pass may still be running. This is what lets
/// distributed data parallel start reducing a group of gradients before backward ends.
/// </summary>
/// <remarks>
/// The engine counts, per hooked leaf, the graph edges that lead to it; each node that runs (or is skipped because no
/// gradient reached it) settles its edges, and the hook fires when the count reaches zero and the leaf has a gradient.
/// A leaf the graph does not reach gets no call. Hooks are per tensor, so concurrent backward passes over different
/// models do not see each other's hooks.
/// </remarks>
public static class PostAccumulateGradHooks
{
    private static readonly ConditionalWeakTable<Tensor, List<Action<Tensor>>> Hooks = new();
    private static int _count;

    extension(Tensor leaf)
    {
        /// <summary>Calls <paramref name="hook"/> with this leaf once its gradient is final in each backward pass;
        /// dispose the result to remove it.</summary>
        public IDisposable RegisterPostAccumulateGradHook(Action<Tensor> hook)
        {
            ArgumentNullException.ThrowIfNull(hook);
            if (!leaf.IsLeaf) throw new AutogradException("RegisterPostAccumulateGradHook: only a leaf tensor (no grad_fn) accumulates a gradient");
            var list = Hooks.GetOrCreateValue(leaf);
            lock (list) list.Add(hook);
            Interlocked.Increment(ref _count);
            return new Handle(() =>
            {
                bool removed;
                lock (list) removed = list.Remove(hook);
                if (removed) Interlocked.Decrement(ref _count);
            });
        }
    }

    private sealed class Handle(Action remove) : IDisposable
    {
        private Action? _remove = remove;
        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }

    /// <summary>The bookkeeping of one backward pass, or null when no leaf of this graph has a hook (the common case
    /// costs one read of a counter).</summary>
    internal static Pass? Begin(List<Tensor> order)
    {
        if (Volatile.Read(ref _count) == 0) return null;
        Dictionary<Tensor, int>? edges = null;
        foreach (var t in order)
            foreach (var input in t.GradFn!.Inputs)
                if (input is { GradFn: null } && Hooks.TryGetValue(input, out var list) && list.Count > 0)
                {
                    edges ??= new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
                    edges[input] = edges.GetValueOrDefault(input) + 1;
                }
        return edges is null ? null : new Pass(edges);
    }

    /// <summary>Edges still to be settled per hooked leaf in one backward pass.</summary>
    internal sealed class Pass(Dictionary<Tensor, int> edges)
    {
        /// <summary>Called by the engine after <paramref name="node"/> ran or was skipped (before it is released).</summary>
        public void NodeDone(Node node)
        {
            foreach (var input in node.Inputs)
            {
                if (input is null || !edges.TryGetValue(input, out int n)) continue;
                if (n > 1) { edges[input] = n - 1; continue; }
                edges.Remove(input);
                if (input.Grad is null || !Hooks.TryGetValue(input, out var list)) continue;
                Action<Tensor>[] copy;
                lock (list) copy = [.. list];
                foreach (var h in copy) h(input);
            }
        }
    }
}
