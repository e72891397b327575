using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Nabla.NN;

namespace Nabla.Course;

/// <summary>
/// An ordinary <see cref="Module"/> plus a loss seen as an <see cref="ILossModel"/>, so the <see cref="Solver"/> trains
/// it: <see cref="Params"/> are the module's named parameters ("0.weight", "fc1.bias", …), <see cref="Loss"/> is a
/// training-mode forward, the loss and an autograd backward, and <see cref="Scores"/> an eval-mode forward under no-grad.
/// </summary>
/// <remarks>
/// Assigning <c>Params[name] = w</c> copies w's values into the module's parameter tensor in place (same shape and
/// dtype required), so the Solver's updates and its final swap to the best parameters reach the module itself and
/// anything else holding its parameters. Reading <c>Params[name]</c> returns the live parameter tensor; the set of
/// names is fixed (no Add or Remove).
/// </remarks>
public sealed class ModuleLossModel : ILossModel
{
    private readonly Func<Tensor, Tensor, Tensor> _loss;

    /// <summary>Wraps <paramref name="module"/>; <paramref name="loss"/>(scores, y) must return a scalar tensor
    /// (default: mean cross-entropy of [N, C] logits and int32 labels).</summary>
    /// <exception cref="ArgumentException">The module has no parameters, or two share a name.</exception>
    public ModuleLossModel(Module module, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Module = module;
        _loss = loss ?? ((scores, y) => scores.CrossEntropy(y));
        var parameters = module.NamedParameters().ToList();
        if (parameters.Count == 0) throw new ArgumentException($"ModuleLossModel: {module.GetType().Name} has no parameters", nameof(module));
        Params = new ParameterDictionary(parameters);
    }

    /// <summary>The wrapped module.</summary>
    public Module Module { get; }

    /// <summary>The module's parameters by dotted name; setting one copies the values in place.</summary>
    public IDictionary<string, Tensor> Params { get; }

    /// <summary>The module's buffers (batch norm's running statistics), which the Solver snapshots with the best parameters.</summary>
    public IEnumerable<Tensor> State => Module.NamedBuffers().Select(b => b.Tensor);

    /// <summary>Eval-mode forward under no-grad; the module's previous mode is restored afterwards.</summary>
    public Tensor Scores(Tensor x)
    {
        bool wasTraining = Module.Training;
        Module.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            return Module.Forward(x);
        }
        finally
        {
            Module.Train(wasTraining);
        }
    }

    /// <summary>Training-mode forward, the loss, and backward; returns the loss value and a copy of every parameter's
    /// gradient (zeros for a parameter the loss does not depend on). The parameters' <c>Grad</c> is cleared before
    /// and after, so nothing accumulates across calls. The module is left in training mode.</summary>
    /// <exception cref="InvalidOperationException">The loss function did not return a one-element tensor.</exception>
    public (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        Module.Train();
        foreach (var p in Params.Values) p.Grad = null;
        var loss = _loss(Module.Forward(x), y);
        if (loss.Numel != 1)
            throw new InvalidOperationException($"ModuleLossModel: the loss function returned shape {ShapeUtil.Format(loss.Shape)}, not a scalar");
        loss.Backward();
        var grads = new Dictionary<string, Tensor>();
        foreach (var (name, p) in Params)
        {
            grads[name] = p.Grad is { } g ? TensorCopy.Of(g) : Tensor.Zeros(p.Shape.ToArray(), p.DType);
            p.Grad = null;
        }
        return (loss.Item(), grads);
    }

    /// <summary>Name → live parameter; the setter copies into the parameter (in place, not recorded).</summary>
    private sealed class ParameterDictionary : IDictionary<string, Tensor>
    {
        private readonly Dictionary<string, Tensor> _params = [];
        private readonly List<string> _order = [];

        public ParameterDictionary(IEnumerable<(string Name, Tensor Tensor)> parameters)
        {
            foreach (var (name, t) in parameters)
            {
                if (!_params.TryAdd(name, t)) throw new ArgumentException($"ModuleLossModel: two parameters are named '{name}'", nameof(parameters));
                _order.Add(name);
            }
        }

        public Tensor this[string key]
        {
            get => _params.TryGetValue(key, out var t) ? t : throw Missing(key);
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                var p = _params.TryGetValue(key, out var t) ? t : throw Missing(key);
                if (ReferenceEquals(p, value)) return;
                if (!p.Shape.SequenceEqual(value.Shape) || p.DType != value.DType)
                    throw new ArgumentException(
                        $"ModuleLossModel: parameter '{key}' is {p.DType.Name()} {ShapeUtil.Format(p.Shape)}; cannot assign {value.DType.Name()} {ShapeUtil.Format(value.Shape)}", nameof(value));
                p.CopyFrom_(value);
            }
        }

        private KeyNotFoundException Missing(string key) =>
            new($"ModuleLossModel: no parameter '{key}' (parameters: {string.Join(", ", _order)})");

        public ICollection<string> Keys => _order.AsReadOnly();
        public ICollection<Tensor> Values => _order.Select(k => _params[k]).ToList().AsReadOnly();
        public int Count => _order.Count;
        public bool IsReadOnly => false;
        public bool ContainsKey(string key) => _params.ContainsKey(key);
        public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _params.TryGetValue(key, out value);
        public bool Contains(KeyValuePair<string, Tensor> item) => _params.TryGetValue(item.Key, out var t) && ReferenceEquals(t, item.Value);

        public void CopyTo(KeyValuePair<string, Tensor>[] array, int arrayIndex)
        {
            foreach (var kv in this) array[arrayIndex++] = kv;
        }

        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
            _order.Select(k => new KeyValuePair<string, Tensor>(k, _params[k])).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public void Add(string key, Tensor value) => throw FixedSet();
        public void Add(KeyValuePair<string, Tensor> item) => throw FixedSet();
        public bool Remove(string key) => throw FixedSet();
        public bool Remove(KeyValuePair<string, Tensor> item) => throw FixedSet();
        public void Clear() => throw FixedSet();

        private static NotSupportedException FixedSet() =>
            new("ModuleLossModel: the parameter set is the module's; entries can be assigned (copied in place) but not added or removed");
    }
}
