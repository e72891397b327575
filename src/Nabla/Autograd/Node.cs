
namespace Nabla;

/// <summary>
/// One recorded operation in the graph: it keeps its inputs (null where an input needs no gradient) and what its
/// backward reads, and maps the gradient of its output to gradients of its inputs. Ops return fresh gradients;
/// only the <see cref="Engine"/> accumulates.
/// </summary>
/// <remarks>Only the library's operations derive from it: a user reads a node through <see cref="Tensor.GradFn"/>
/// (its <see cref="Name"/> and <see cref="Inputs"/>, as PyTorch's <c>grad_fn</c>).</remarks>
public abstract class Node
{
    private Tensor?[] _inputs = [];
    private Tensor?[] _saved = [];
    private int[] _savedVersions = [];

    /// <summary>Only the library's operations are nodes.</summary>
    private protected Node() { }
    private Array[] _pooledConstants = [];

    /// <summary>The op's inputs in forward order; an entry is null when that input does not require grad.</summary>
    public IReadOnlyList<Tensor?> Inputs => _inputs;

    /// <summary>Name shown in <c>grad_fn=&lt;...&gt;</c>.</summary>
    public virtual string Name => GetType().Name.EndsWith("Op") ? GetType().Name[..^2] + "Backward" : GetType().Name;

    /// <summary>Pooled storage of the inputs that need no gradient (a node may have saved them): the
    /// <see cref="StorageRecycler"/> never recycles storage that one of them shares with the graph.</summary>
    internal IReadOnlyList<Array> PooledConstantInputs => _pooledConstants;

    /// <summary>Whether input <paramref name="i"/> needs a gradient (skip the work otherwise).</summary>
    private protected bool NeedsGrad(int i) => i < _inputs.Length && _inputs[i] is not null;

    /// <summary>
    /// The existing gradient buffer of input <paramref name="i"/> when that input is a leaf whose
    /// <see cref="Tensor.Grad"/> the engine would update in place (contiguous, same shape and dtype), else null.
    /// An op may add its gradient for that input straight into this buffer (e.g. a GEMM with beta = 1 for a
    /// weight gradient, like PyTorch's AccumulateGrad stealing the buffer) and return null for it: the result is the
    /// same sum without a fresh parameter-sized array per step.
    /// </summary>
    private protected Tensor? LeafGradBuffer(int i)
    {
        if (i >= _inputs.Length || _inputs[i] is not { GradFn: null, Grad: { } g } t) return null;
        return g.IsContiguous && g.DType == t.DType && ShapeUtil.SameShape(g.Shape, t.Shape) ? g : null;
    }

    /// <summary>Gradients for each input (same order as <see cref="Inputs"/>; null where not needed), given the
    /// gradient of the output. Runs with gradient recording off.</summary>
    internal abstract Tensor?[] Backward(Tensor gradOutput);

    /// <summary>The tensors this op saved for its backward that share storage with a tensor the user can reach (its
    /// inputs, its output, views of them): their versions are remembered when the op is recorded and checked before
    /// its backward runs (<see cref="CheckSavedVersions"/>). Buffers private to the op (masks, indices, normalised
    /// inputs) may be listed too: nothing writes into them. An op that saves no such tensor keeps the default.</summary>
    private protected virtual Tensor?[] Saved => [];

    /// <summary>Throws when a saved tensor was written in place after the op was recorded (PyTorch: "one of the
    /// variables needed for gradient computation has been modified by an inplace operation").</summary>
    internal void CheckSavedVersions()
    {
        for (int i = 0; i < _saved.Length; i++)
        {
            if (_saved[i] is not { IsFreed: false } t) continue;   // a recycled one throws FreedTensorException when read
            int now = t.Version;
            if (now != _savedVersions[i])
                throw new AutogradException(
                    $"Backward: a tensor that {Name} saved for its gradient (shape {ShapeUtil.Format(t.Shape)}, {t.DType.Name()}) was written in place " +
                    $"after the op was recorded (version {_savedVersions[i]} then, {now} now: Fill_, CopyFrom_, SetAt, x[...] = v, an Init function, " +
                    "LoadStateDict or an optimizer step), so its gradient would be that of other values " +
                    "(PyTorch: \"one of the variables needed for gradient computation has been modified by an inplace operation\"). " +
                    "Call Backward() before optimizer.Step(), or write into a Clone()");
        }
    }

    /// <summary>
    /// Links <paramref name="output"/> to this node when recording is on and some input requires grad; returns
    /// the output either way. Call it last in an op's entry point: <c>return new FooOp { ... }.Record(y, x);</c>.
    /// </summary>
    internal Tensor Record(Tensor output, params ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled) return output;
        bool any = false;
        foreach (var t in inputs) any |= t is { RequiresGrad: true };
        if (!any) return output;
        _inputs = new Tensor?[inputs.Length];
        int constants = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            _inputs[i] = inputs[i] is { RequiresGrad: true } t ? t : null;
            if (_inputs[i] is { } used) used.UsedAsGraphInput = true;   // an in-place write into it is now refused
            if (inputs[i] is { RequiresGrad: false, IsPooled: true }) constants++;
        }
        if (constants > 0)
        {
            _pooledConstants = new Array[constants];
            foreach (var t in inputs) if (t is { RequiresGrad: false, IsPooled: true }) _pooledConstants[--constants] = t.StorageKey;
        }
        var saved = Saved;
        if (saved.Length > 0)
        {
            _saved = saved;
            _savedVersions = new int[saved.Length];
            for (int i = 0; i < saved.Length; i++) _savedVersions[i] = saved[i]?.Version ?? 0;
        }
        output.RequiresGrad = true;
        output.GradFn = this;
        return output;
    }

    /// <summary>True when <see cref="Record"/> would record for these inputs: lets an op skip saving state.</summary>
    internal static bool WillRecord(params ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t is { RequiresGrad: true }) return true;
        return false;
    }

    /// <summary>Marks the node as consumed by a backward pass (like PyTorch freeing saved tensors).</summary>
    internal void Release()
    {
        if (IsReleased) return;
        IsReleased = true;
        _saved = [];
        OnRelease();
    }

    /// <summary>Called once when a backward pass frees the node: an op may hand buffers that only its backward
    /// reads (e.g. max-pool indices) back to the storage pool here.</summary>
    private protected virtual void OnRelease() { }

    internal bool IsReleased { get; private set; }
}
