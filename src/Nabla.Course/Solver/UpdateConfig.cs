
namespace Nabla.Course;

/// <summary>
/// The per-parameter <c>config</c> dictionary of the homework's <c>optim.py</c>: hyper-parameters by their Python
/// names ("learning_rate", "momentum", "decay_rate", "epsilon", "beta1", "beta2"), the step count "t" of Adam, and the
/// rule's state tensors ("velocity", "cache", "m", "v"), each shaped like the parameter.
/// </summary>
/// <remarks>
/// An update rule fills in its defaults with <see cref="SetDefault"/> (Python's <c>config.setdefault</c>), so a
/// config that starts empty ends up listing every hyper-parameter the rule used. The <see cref="Solver"/> keeps one
/// per parameter and multiplies its "learning_rate" by the learning-rate decay after every epoch.
/// </remarks>
public sealed class UpdateConfig
{
    private readonly Dictionary<string, double> _values;

    /// <summary>A config holding <paramref name="values"/> (copied), or an empty one.</summary>
    public UpdateConfig(IEnumerable<KeyValuePair<string, double>>? values = null) =>
        _values = values is null ? [] : new Dictionary<string, double>(values);

    /// <summary>Hyper-parameters and the step count "t", by name.</summary>
    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>The rule's state tensors ("velocity", "cache", "m", "v"), replaced by fresh tensors on every step.</summary>
    public Dictionary<string, Tensor> State { get; } = [];

    /// <summary>A hyper-parameter by name; reading a missing one throws a <see cref="KeyNotFoundException"/> naming
    /// the keys present.</summary>
    public double this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v
            : throw new KeyNotFoundException($"UpdateConfig: no value '{key}' (present: {string.Join(", ", _values.Keys.Order())})");
        set => _values[key] = value;
    }

    /// <summary>Whether the hyper-parameter <paramref name="key"/> is set.</summary>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>Python's <c>config.setdefault(key, value)</c>: sets <paramref name="key"/> to <paramref name="value"/>
    /// unless it is already set, and returns the value now stored.</summary>
    public double SetDefault(string key, double value)
    {
        if (_values.TryGetValue(key, out var v)) return v;
        _values[key] = value;
        return value;
    }

    /// <summary>"learning_rate" (must be set; the rules set their default on first use).</summary>
    public double LearningRate
    {
        get => this[UpdateRules.LearningRateKey];
        set => this[UpdateRules.LearningRateKey] = value;
    }

    /// <summary>A copy of the hyper-parameters (not the state), like solver.py's per-parameter
    /// <c>{k: v for k, v in optim_config.items()}</c>.</summary>
    public UpdateConfig CloneValues() => new(_values);

    public override string ToString() =>
        "{" + string.Join(", ", _values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value:R}")
            .Concat(State.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: [{ShapeUtil.Format(kv.Value.Shape)}]"))) + "}";
}
