
namespace Nabla;

/// <summary>
/// Storage recycling for one backward pass: the <see cref="Engine"/> tells it when a gradient waits, is consumed or
/// was added into a leaf, and when a node has finished; it gives the <see cref="StoragePool"/> back what nothing can
/// read any more. A returned array's lease is closed, so any tensor still over it throws
/// <see cref="FreedTensorException"/> on its next read (never stale data).
/// </summary>
/// <remarks>
/// Gradients: a gradient whose storage was rented during this pass goes back once consumed, unless another waiting
/// gradient shares that storage (ops may return views of their gradOutput; waiting gradients are counted per
/// storage). Ops return fresh tensors or views of gradOutput, so nothing outside the pass holds one.
/// Intermediates (only when <c>freeIntermediates</c>): every graph tensor except the root, unless its storage is
/// shared with the root, a leaf input, or an input that needs no gradient (a detached intermediate fed back in); a storage shared by several graph tensors goes back when the last of them
/// has finished. A graph tensor is finished when its own node has run: by then every node that reads it (its
/// consumers, which saved it, come earlier in reverse topological order) has run too.
/// </remarks>
internal sealed class StorageRecycler : IDisposable
{
    private readonly StoragePool.Capture _rentedDuringPass = StoragePool.BeginCapture();
    private readonly Dictionary<Array, int> _waiting = new(ReferenceEqualityComparer.Instance);   // storage → waiting gradients on it
    private readonly Dictionary<Array, int>? _intermediates;   // storage → unfinished graph tensors on it (freeIntermediates)
    private readonly List<(Tensor Gradient, Node Node)> _consumed = [];   // given back when the current node finishes

    /// <param name="root">The tensor backward starts from (never recycled).</param>
    /// <param name="order">The graph's tensors with a grad_fn, each after its inputs.</param>
    /// <param name="freeIntermediates">Whether the graph's own tensors are recycled too.</param>
    public StorageRecycler(Tensor root, List<Tensor> order, bool freeIntermediates)
    {
        if (freeIntermediates) _intermediates = IntermediateStorage(root, order);
    }

    /// <summary>A gradient waits in the engine's table until its tensor's node runs.</summary>
    public void GradientWaiting(Tensor g) => _waiting[g.StorageKey] = _waiting.GetValueOrDefault(g.StorageKey) + 1;

    /// <summary>The engine took a gradient out of its table (to run its node, or to sum it with another).</summary>
    public void GradientTaken(Tensor g)
    {
        var s = g.StorageKey;
        if (_waiting.TryGetValue(s, out int n)) { if (n <= 1) _waiting.Remove(s); else _waiting[s] = n - 1; }
    }

    /// <summary>A gradient was read for the last time (its node ran on it, or it was summed into a new one). Its
    /// storage goes back when the current node has finished: a sibling gradient of the same node may be a view of it.</summary>
    public void GradientConsumed(Tensor g, Node node) => _consumed.Add((g, node));

    /// <summary>A gradient was added into a leaf's <see cref="Tensor.Grad"/> (which never shares its storage).</summary>
    public void LeafAccumulated(Tensor g, Node node) => _consumed.Add((g, node));

    /// <summary>The node of graph tensor <paramref name="t"/> has run, or never will in this pass (no gradient
    /// reached it): the gradients it consumed go back, and with freeIntermediates the last graph tensor on a storage
    /// gives that storage back.</summary>
    public void NodeFinished(Tensor t)
    {
        foreach (var (g, node) in _consumed)
        {
            var gs = g.StorageKey;
            if (!_waiting.ContainsKey(gs) && _rentedDuringPass.Arrays.Remove(gs))
                StoragePool.Return(gs, $"a gradient flowing through {node.Name}, recycled by Backward() once consumed");
        }
        _consumed.Clear();
        var s = t.StorageKey;
        if (_intermediates is null || !_intermediates.TryGetValue(s, out int n)) return;
        if (n > 1) { _intermediates[s] = n - 1; return; }
        _intermediates.Remove(s);
        if (_waiting.ContainsKey(s)) return;   // an op may pass a saved tensor on as a gradient
        _rentedDuringPass.Arrays.Remove(s);
        string name = t.GradFn!.Name;
        string op = name.EndsWith("Backward", StringComparison.Ordinal) ? name[..^"Backward".Length] : name;
        StoragePool.Return(s, $"an intermediate produced by {op} (grad_fn=<{name}>), freed by Backward(freeIntermediates: true) once every node that reads it had run");
    }

    public void Dispose() => _rentedDuringPass.Dispose();

    /// <summary>Storage of the graph's non-root tensors (pool-rented only) → how many of them share it, leaving out
    /// any storage that the root, a leaf input or an input that needs no gradient (which a node may have saved) uses.</summary>
    private static Dictionary<Array, int> IntermediateStorage(Tensor root, List<Tensor> order)
    {
        var refs = new Dictionary<Array, int>(ReferenceEqualityComparer.Instance);
        var excluded = new HashSet<Array>(ReferenceEqualityComparer.Instance) { root.StorageKey };
        foreach (var t in order)
        {
            foreach (var input in t.GradFn!.Inputs)
                if (input is { GradFn: null }) excluded.Add(input.StorageKey);
            foreach (var constant in t.GradFn.PooledConstantInputs) excluded.Add(constant);   // e.g. h.Detach() fed back in
            if (!ReferenceEquals(t, root) && StoragePool.IsRented(t.StorageKey))
                refs[t.StorageKey] = refs.GetValueOrDefault(t.StorageKey) + 1;
        }
        foreach (var s in excluded) refs.Remove(s);
        return refs;
    }
}
