
namespace Nabla.Course;

/// <summary>One step of an update rule: the next value of parameter <paramref name="w"/> given its gradient
/// <paramref name="dw"/>, and the (updated) per-parameter config; a null config starts a fresh one.</summary>
public delegate (Tensor NextW, UpdateConfig Config) UpdateFunction(Tensor w, Tensor dw, UpdateConfig? config = null);

/// <summary>
/// The first-order update rules of the homework's <c>optim.py</c>, as explicit functions: each takes a parameter w,
/// its gradient dw and a per-parameter <see cref="UpdateConfig"/>, fills in the rule's defaults, and returns the next
/// w (a fresh tensor of w's dtype and shape; w itself is not modified) with the config holding the new state.
/// </summary>
/// <remarks>
/// Arithmetic is per element in double; results and state are stored in w's dtype (float32 or float64). The
/// formulas and defaults (η is "learning_rate"):
/// <list type="bullet">
/// <item>sgd: w ← w − η·dw (η = 1e-2).</item>
/// <item>sgd_momentum: v ← μ·v − η·dw; w ← w + v (η = 1e-2, μ "momentum" = 0.9, v "velocity" = 0).</item>
/// <item>rmsprop: c ← ρ·c + (1 − ρ)·dw²; w ← w − η·dw / (√c + ε) (η = 1e-2, ρ "decay_rate" = 0.99,
/// ε "epsilon" = 1e-8, c "cache" = 0).</item>
/// <item>adam: t ← t + 1; m ← β₁m + (1 − β₁)dw; v ← β₂v + (1 − β₂)dw²; m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ);
/// w ← w − η·m̂ / (√v̂ + ε) (η = 1e-3, "beta1" = 0.9, "beta2" = 0.999, "epsilon" = 1e-8, m = v = 0, t = 0).</item>
/// </list>
/// </remarks>
public static class UpdateRules
{
    /// <summary>The key of the learning rate in every rule's config.</summary>
    public const string LearningRateKey = "learning_rate";

    private static readonly Dictionary<string, (UpdateFunction Rule, string[] Keys)> Registry = new(StringComparer.Ordinal)
    {
        ["sgd"] = (Sgd, [LearningRateKey]),
        ["sgd_momentum"] = (SgdMomentum, [LearningRateKey, "momentum"]),
        ["rmsprop"] = (RmsProp, [LearningRateKey, "decay_rate", "epsilon"]),
        ["adam"] = (Adam, [LearningRateKey, "beta1", "beta2", "epsilon"]),
    };

    /// <summary>The rule names <see cref="Get"/> accepts: sgd, sgd_momentum, rmsprop, adam.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "sgd_momentum", "rmsprop", "adam"];

    /// <summary>The rule called <paramref name="name"/> (solver.py's <c>getattr(optim, update_rule)</c>).</summary>
    /// <exception cref="ArgumentException">No such rule; the message lists the valid names.</exception>
    public static UpdateFunction Get(string name) => Entry(name).Rule;

    /// <summary>The hyper-parameters rule <paramref name="name"/> reads from its config.</summary>
    public static IReadOnlyList<string> HyperParameters(string name) => Entry(name).Keys;

    /// <summary>Checks the hyper-parameters in <paramref name="values"/> for rule <paramref name="name"/>: each must be
    /// one the rule reads (when <paramref name="rejectUnknown"/>) and lie in its range (learning_rate and epsilon
    /// finite and ≥ 0; momentum, beta1, beta2 in [0, 1); decay_rate in [0, 1]).</summary>
    /// <exception cref="ArgumentException">An unknown rule or key.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range (NaN and infinities included).</exception>
    public static void CheckHyperParameters(string name, IReadOnlyDictionary<string, double> values, bool rejectUnknown = true)
    {
        var keys = Entry(name).Keys;
        foreach (var (key, value) in values)
        {
            bool ok = key switch
            {
                LearningRateKey or "epsilon" => double.IsFinite(value) && value >= 0,
                "momentum" or "beta1" or "beta2" => value is >= 0 and < 1,
                "decay_rate" => value is >= 0 and <= 1,
                "t" => double.IsFinite(value) && value >= 0 && value == Math.Floor(value),
                _ => true,
            };
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(values), value,
                    $"{name}: {key} = {value} is out of range ({Range(key)})");
            if (rejectUnknown && !keys.Contains(key))
                throw new ArgumentException($"{name}: unknown hyper-parameter '{key}' (the rule reads {string.Join(", ", keys)})", nameof(values));
        }
    }

    /// <summary>Vanilla SGD: w ← w − η·dw (η "learning_rate" = 1e-2).</summary>
    public static (Tensor NextW, UpdateConfig Config) Sgd(Tensor w, Tensor dw, UpdateConfig? config = null)
    {
        config = Begin("sgd", w, dw, config);
        double lr = config.SetDefault(LearningRateKey, 1e-2);
        CheckHyperParameters("sgd", config.Values, rejectUnknown: false);
        double[] x = w.ToDoubleArray(), g = dw.ToDoubleArray();
        for (int i = 0; i < x.Length; i++) x[i] -= lr * g[i];
        return (Make(x, w), config);
    }

    /// <summary>SGD with momentum, velocity form: v ← μ·v − η·dw; w ← w + v (η = 1e-2, μ "momentum" = 0.9;
    /// state "velocity", zeros at first).</summary>
    public static (Tensor NextW, UpdateConfig Config) SgdMomentum(Tensor w, Tensor dw, UpdateConfig? config = null)
    {
        config = Begin("sgd_momentum", w, dw, config);
        double lr = config.SetDefault(LearningRateKey, 1e-2);
        double mu = config.SetDefault("momentum", 0.9);
        CheckHyperParameters("sgd_momentum", config.Values, rejectUnknown: false);
        double[] x = w.ToDoubleArray(), g = dw.ToDoubleArray(), v = StateOf(config, "velocity", w);
        for (int i = 0; i < x.Length; i++)
        {
            v[i] = mu * v[i] - lr * g[i];
            x[i] += v[i];
        }
        config.State["velocity"] = Make(v, w);
        return (Make(x, w), config);
    }

    /// <summary>RMSProp: c ← ρ·c + (1 − ρ)·dw²; w ← w − η·dw / (√c + ε) (η = 1e-2, ρ "decay_rate" = 0.99,
    /// ε "epsilon" = 1e-8; state "cache", zeros at first).</summary>
    public static (Tensor NextW, UpdateConfig Config) RmsProp(Tensor w, Tensor dw, UpdateConfig? config = null)
    {
        config = Begin("rmsprop", w, dw, config);
        double lr = config.SetDefault(LearningRateKey, 1e-2);
        double rho = config.SetDefault("decay_rate", 0.99);
        double eps = config.SetDefault("epsilon", 1e-8);
        CheckHyperParameters("rmsprop", config.Values, rejectUnknown: false);
        double[] x = w.ToDoubleArray(), g = dw.ToDoubleArray(), c = StateOf(config, "cache", w);
        for (int i = 0; i < x.Length; i++)
        {
            c[i] = rho * c[i] + (1 - rho) * g[i] * g[i];
            x[i] -= lr * g[i] / (Math.Sqrt(c[i]) + eps);
        }
        config.State["cache"] = Make(c, w);
        return (Make(x, w), config);
    }

    /// <summary>Adam with bias correction: t ← t + 1; m ← β₁m + (1 − β₁)dw; v ← β₂v + (1 − β₂)dw²;
    /// w ← w − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε) (η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8; state "m",
    /// "v" zeros and "t" = 0 at first).</summary>
    public static (Tensor NextW, UpdateConfig Config) Adam(Tensor w, Tensor dw, UpdateConfig? config = null)
    {
        config = Begin("adam", w, dw, config);
        double lr = config.SetDefault(LearningRateKey, 1e-3);
        double b1 = config.SetDefault("beta1", 0.9), b2 = config.SetDefault("beta2", 0.999);
        double eps = config.SetDefault("epsilon", 1e-8);
        double t = config.SetDefault("t", 0) + 1;
        config["t"] = t;
        CheckHyperParameters("adam", config.Values, rejectUnknown: false);
        double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
        double[] x = w.ToDoubleArray(), g = dw.ToDoubleArray(), m = StateOf(config, "m", w), v = StateOf(config, "v", w);
        for (int i = 0; i < x.Length; i++)
        {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            x[i] -= lr * (m[i] / bc1) / (Math.Sqrt(v[i] / bc2) + eps);
        }
        config.State["m"] = Make(m, w);
        config.State["v"] = Make(v, w);
        return (Make(x, w), config);
    }

    private static (UpdateFunction Rule, string[] Keys) Entry(string name) =>
        name is not null && Registry.TryGetValue(name, out var e) ? e
            : throw new ArgumentException($"Invalid update rule \"{name}\" (valid rules: {string.Join(", ", Names)})", nameof(name));

    private static string Range(string key) => key switch
    {
        LearningRateKey or "epsilon" => "must be finite and >= 0",
        "momentum" or "beta1" or "beta2" => "must be in [0, 1)",
        "decay_rate" => "must be in [0, 1]",
        _ => "must be a whole number >= 0",
    };

    /// <summary>Checks w and dw, and returns the config to use (a fresh one for null).</summary>
    private static UpdateConfig Begin(string rule, Tensor w, Tensor dw, UpdateConfig? config)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(dw);
        if (!w.DType.IsFloatingPoint())
            throw new ArgumentException($"{rule}: parameters must be float32 or float64, got {w.DType.Name()}", nameof(w));
        if (dw.DType != w.DType)
            throw new ArgumentException($"{rule}: dw is {dw.DType.Name()} but w is {w.DType.Name()}", nameof(dw));
        if (!w.Shape.SequenceEqual(dw.Shape))
            throw new ArgumentException($"{rule}: dw has shape {ShapeUtil.Format(dw.Shape)} but w has shape {ShapeUtil.Format(w.Shape)}", nameof(dw));
        return config ?? new UpdateConfig();
    }

    /// <summary>The values of state tensor <paramref name="key"/> (a copy), zeros if the config has none yet.</summary>
    private static double[] StateOf(UpdateConfig config, string key, Tensor w)
    {
        if (!config.State.TryGetValue(key, out var s)) return new double[w.Numel];
        if (!s.Shape.SequenceEqual(w.Shape))
            throw new ArgumentException(
                $"config state '{key}' has shape {ShapeUtil.Format(s.Shape)} but the parameter has shape {ShapeUtil.Format(w.Shape)} (a config belongs to one parameter)", "config");
        return s.ToDoubleArray();
    }

    /// <summary>A fresh tensor shaped and typed like <paramref name="like"/> holding <paramref name="values"/>.</summary>
    private static Tensor Make(double[] values, Tensor like)
    {
        if (like.Rank == 0) return Tensor.Scalar(values[0], like.DType);   // Wrap reads an empty shape as [n]
        var shape = like.Shape.ToArray();
        return like.DType == DType.Float64 ? Tensor.Wrap(values, shape) : Tensor.Wrap(Array.ConvertAll(values, v => (float)v), shape);
    }
}
