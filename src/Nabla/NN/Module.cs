using System.Text;

namespace Nabla.NN;

/// <summary>
/// Base of every layer and model, like <c>torch.nn.Module</c>: explicitly registered parameters, buffers and child
/// modules (dotted state-dict keys, no reflection), a train/eval mode, gradient zeroing, a state dictionary.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private readonly List<Action<Module, Tensor, Tensor>> _forwardHooks = [];

    /// <summary>True in training mode (dropout active, batch statistics in BatchNorm).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The computation; <see cref="Invoke"/> runs it with hooks.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Runs <see cref="Forward"/> and the forward hooks (what containers call, like <c>module(x)</c>).</summary>
    public Tensor Invoke(Tensor input)
    {
        var y = Forward(input);
        foreach (var h in _forwardHooks) h(this, input, y);
        return y;
    }

    /// <summary>Whether a forward hook is registered (a hook may keep the tensors it is shown).</summary>
    internal bool HasForwardHooks => _forwardHooks.Count > 0;

    /// <summary>Registers a hook called after each <see cref="Invoke"/> with (module, input, output); dispose to remove.</summary>
    public IDisposable RegisterForwardHook(Action<Module, Tensor, Tensor> hook)
    {
        _forwardHooks.Add(hook);
        return new HookHandle(() => _forwardHooks.Remove(hook));
    }

    private sealed class HookHandle(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>Registers a parameter (sets RequiresGrad). Names given as <c>nameof(Weight)</c> become PyTorch's
    /// snake_case state-dict keys ("Weight" → "weight", "RunningMean" → "running_mean").</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        name = ToStateKey(name);
        CheckName(name);
        if (!tensor.IsLeaf) tensor = tensor.Detach();
        tensor.RequiresGrad = true;
        _parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a buffer: state saved in <see cref="StateDict"/> but not trained (e.g. BatchNorm's running
    /// statistics; PyTorch's <c>register_buffer</c>). The name becomes a snake_case key like a parameter's.</summary>
    /// <exception cref="ArgumentException">an empty or dotted name, or one already registered</exception>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        name = ToStateKey(name);
        CheckName(name);
        _buffers.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a child module: its parameters and buffers appear under "name." in <see cref="StateDict"/>,
    /// and <see cref="Train"/>/<see cref="Eval"/> reach it (PyTorch's <c>add_module</c>). Returns the module.</summary>
    /// <exception cref="ArgumentException">an empty or dotted name, or one already registered</exception>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        name = ToStateKey(name);
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    /// <summary>PascalCase → snake_case ("RunningMean" → "running_mean"); other names are kept.</summary>
    public static string ToStateKey(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0])) return name;
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: invalid member name '{name}' (non-empty, no dots)");
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: '{name}' is already registered");
    }

    /// <summary>Replaces a registered parameter's tensor (same name), e.g. to load pretrained vectors.</summary>
    protected void ReplaceParameter(string name, Tensor tensor)
    {
        name = ToStateKey(name);
        int i = _parameters.FindIndex(p => p.Name == name);
        if (i < 0) throw new ArgumentException($"{GetType().Name}: no parameter named '{name}'");
        _parameters[i] = (name, tensor);
    }

    /// <summary>The directly registered child modules with their state-dict names, in registration order
    /// (PyTorch's <c>named_children()</c>).</summary>
    public IReadOnlyList<(string Name, Module Module)> Children => _children;

    /// <summary>All parameters of this module and its descendants, in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>Parameters of this module and its descendants with dotted names ("0.weight"), each prefixed by
    /// <paramref name="prefix"/>; own parameters first, then each child's in registration order.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (n, t) in _parameters) yield return (prefix + n, t);
        foreach (var (n, m) in _children)
            foreach (var p in m.NamedParameters(prefix + n + ".")) yield return p;
    }

    /// <summary>Buffers of this module and its descendants with dotted names, like <see cref="NamedParameters"/>.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, t) in _buffers) yield return (prefix + n, t);
        foreach (var (n, m) in _children)
            foreach (var b in m.NamedBuffers(prefix + n + ".")) yield return b;
    }

    /// <summary>This module and all descendants with their dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix.TrimEnd('.'), this);
        foreach (var (n, m) in _children)
            foreach (var x in m.NamedModules(prefix + n + ".")) yield return x;
    }

    /// <summary>Number of parameter elements (trainable only when <paramref name="trainableOnly"/>).</summary>
    public long ParameterCount(bool trainableOnly = false) =>
        Parameters().Where(p => !trainableOnly || p.RequiresGrad).Sum(p => (long)p.Numel);

    /// <summary>Sets training mode (<paramref name="mode"/> true) or evaluation mode on this module and every
    /// descendant; returns this (PyTorch's <c>train(mode=True)</c>).</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var (_, m) in _children) m.Train(mode);
        return this;
    }

    /// <summary>Evaluation mode: <c>Train(false)</c> (dropout off, BatchNorm uses its running statistics).</summary>
    public Module Eval() => Train(false);

    /// <summary>Zeroes every parameter gradient in place (buffers are kept, like <c>set_to_none=False</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Parameters and buffers by dotted name (the tensors themselves, not copies).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (n, t) in NamedParameters()) d[n] = t;
        foreach (var (n, t) in NamedBuffers()) d[n] = t;
        return d;
    }

    /// <summary>Copies values from <paramref name="state"/> into this module's parameters and buffers. With
    /// <paramref name="strict"/>, missing or unexpected keys are an error; a shape or dtype mismatch always is.
    /// Nothing is modified unless every entry checks out.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var mine = StateDict();
        var problems = new List<string>();
        if (strict)
        {
            var missing = mine.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !mine.ContainsKey(k)).ToList();
            if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
        }
        foreach (var (k, t) in mine)
        {
            if (!state.TryGetValue(k, out var src)) continue;
            if (!ShapeUtil.SameShape(t.Shape, src.Shape))
                problems.Add($"'{k}' has shape {ShapeUtil.Format(src.Shape)} in the state but {ShapeUtil.Format(t.Shape)} in the model");
            else if (t.DType != src.DType)
                problems.Add($"'{k}' has dtype {src.DType.Name()} in the state but {t.DType.Name()} in the model");
        }
        if (problems.Count > 0)
            throw new StateDictMismatchException($"LoadStateDict into {GetType().Name}: " + string.Join("; ", problems));
        foreach (var (k, t) in mine)
            if (state.TryGetValue(k, out var src)) t.CopyFrom_(src);
    }

    /// <summary>Hyper-parameters shown in <see cref="ToString"/> (like PyTorch's extra_repr).</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>PyTorch-style description: <c>Type(extra)</c>, with each child on its own indented line as
    /// <c>(name): child</c>.</summary>
    public override string ToString()
    {
        var extra = ExtraRepr();
        if (_children.Count == 0) return $"{GetType().Name}({extra})";
        var sb = new StringBuilder($"{GetType().Name}(");
        if (extra.Length > 0) sb.Append("\n  ").Append(extra);
        foreach (var (n, m) in _children)
            sb.Append("\n  (").Append(n).Append("): ").Append(m.ToString().Replace("\n", "\n  "));
        return sb.Append("\n)").ToString();
    }
}

/// <summary>A state dictionary that does not fit the model (names, shapes or dtypes).</summary>
public sealed class StateDictMismatchException(string message) : NablaException(message);
