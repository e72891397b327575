using System.Globalization;

namespace Nabla.Optim;

/// <summary>
/// Base of the optimizers: parameter groups, per-parameter state tensors named as in PyTorch
/// ("momentum_buffer", "exp_avg", ...), one fused update loop per optimizer, and a state dictionary that saves
/// and restores everything (flat keys "state.{i}.{name}", "param_groups.{g}.lr", ...).
/// </summary>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups;
    private readonly Dictionary<int, Dictionary<string, Tensor>> _state = [];

    /// <summary>Takes the groups, filling each unset learning rate and weight decay from the defaults.</summary>
    /// <param name="groups">parameter groups; together at least one parameter</param>
    /// <param name="defaultLearningRate">for groups without their own</param>
    /// <param name="defaultWeightDecay">for groups without their own</param>
    /// <exception cref="ArgumentException">no parameters, a negative rate or decay, or a parameter that is not a floating-point leaf</exception>
    protected Optimizer(IEnumerable<ParamGroup> groups, double defaultLearningRate, double defaultWeightDecay)
    {
        _groups = groups.ToList();
        if (_groups.Count == 0 || _groups.All(g => g.Params.Count == 0))
            throw new ArgumentException($"{GetType().Name}: got an empty parameter list");
        foreach (var g in _groups)
        {
            if (double.IsNaN(g.LearningRate)) g.LearningRate = defaultLearningRate;
            if (double.IsNaN(g.InitialLearningRate)) g.InitialLearningRate = g.LearningRate;
            if (double.IsNaN(g.WeightDecay)) g.WeightDecay = defaultWeightDecay;
            if (g.LearningRate < 0) throw new ArgumentException($"{GetType().Name}: invalid learning rate {g.LearningRate}");
            if (g.WeightDecay < 0) throw new ArgumentException($"{GetType().Name}: invalid weight decay {g.WeightDecay}");
            foreach (var p in g.Params)
                if (!p.IsLeaf || !p.DType.IsFloatingPoint())
                    throw new ArgumentException($"{GetType().Name}: parameters must be floating-point leaf tensors (got shape {ShapeUtil.Format(p.Shape)}, {p.DType.Name()})");
        }
    }

    /// <summary>The groups (PyTorch's <c>param_groups</c>); change a group's rate directly or through an <see cref="LRScheduler"/>.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>Number of completed <see cref="Step"/> calls.</summary>
    public long StepCount { get; private set; }

    /// <summary>Zeroes the gradients in place (buffers kept, like <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var g in _groups)
            foreach (var p in g.Params) p.ZeroGrad();
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = GradMode.NoGrad();
        StepCount++;
        int index = 0;
        foreach (var g in _groups)
            foreach (var p in g.Params)
            {
                if (p.Grad is { } grad)
                {
                    if (!p.IsContiguous || !grad.IsContiguous)
                        throw new NablaException($"{GetType().Name}: parameter {index} or its gradient is not contiguous");
                    if (p.DType == DType.Float32) Update(g, index, p.AsSpan<float>(), grad.AsSpan<float>());
                    else Update(g, index, p.AsSpan<double>(), grad.AsSpan<double>());
                    p.BumpVersion();   // a graph recorded before this step now refuses to backpropagate through the old values
                }
                index++;
            }
    }

    /// <summary>Updates one float32 parameter in place from its gradient.</summary>
    protected abstract void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad);

    /// <summary>Updates one float64 parameter in place from its gradient.</summary>
    protected abstract void Update(ParamGroup group, int index, Span<double> param, ReadOnlySpan<double> grad);

    /// <summary>The state tensor <paramref name="name"/> of parameter <paramref name="index"/>, created as zeros
    /// shaped like the parameter on first use; <paramref name="created"/> tells whether it was just created.</summary>
    protected Span<T> State<T>(int index, string name, out bool created)
    {
        if (!_state.TryGetValue(index, out var s)) _state[index] = s = [];
        created = !s.TryGetValue(name, out var t);
        if (created)
        {
            var p = Param(index);
            s[name] = t = Tensor.Zeros(p.Shape.ToArray(), p.DType);
        }
        return t!.AsSpan<T>();
    }

    /// <summary>A per-parameter scalar state value (e.g. Adam's step count), 0 before first use.</summary>
    protected double ScalarState(int index, string name, double? set = null)
    {
        if (!_state.TryGetValue(index, out var s)) _state[index] = s = [];
        if (set is double v) s[name] = Tensor.Scalar(v, DType.Float64);
        return s.TryGetValue(name, out var t) ? t.Item() : 0;
    }

    private Tensor Param(int index)
    {
        foreach (var g in _groups)
        {
            if (index < g.Params.Count) return g.Params[index];
            index -= g.Params.Count;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    private int ParamCount => _groups.Sum(g => g.Params.Count);

    /// <summary>Everything needed to resume: per-parameter state, group hyper-parameters, the step count.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor> { ["step_count"] = Tensor.Scalar(StepCount, DType.Float64) };
        for (int g = 0; g < _groups.Count; g++)
        {
            d[$"param_groups.{g}.lr"] = Tensor.Scalar(_groups[g].LearningRate, DType.Float64);
            d[$"param_groups.{g}.initial_lr"] = Tensor.Scalar(_groups[g].InitialLearningRate, DType.Float64);
            d[$"param_groups.{g}.weight_decay"] = Tensor.Scalar(_groups[g].WeightDecay, DType.Float64);
        }
        foreach (var (i, s) in _state)
            foreach (var (name, t) in s) d[$"state.{i}.{name}"] = t.Clone_Raw();
        return d;
    }

    /// <summary>Restores <see cref="StateDict"/> output; validates every entry before changing anything. With
    /// <paramref name="restoreHyperParameters"/> false the groups keep their current learning rate, initial learning
    /// rate and weight decay (only the step count and the per-parameter state are restored): a resumed run then uses the
    /// settings it was started with rather than the checkpoint's.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool restoreHyperParameters = true)
    {
        var problems = new List<string>();
        var parsed = new List<(int Index, string Name, Tensor T)>();
        foreach (var (k, t) in state)
        {
            var parts = k.Split('.');
            if (parts[0] == "state" && parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int i))
            {
                if (i >= ParamCount) { problems.Add($"'{k}' refers to parameter {i} but the optimizer has {ParamCount}"); continue; }
                var p = Param(i);
                if (t.Rank != 0 && !ShapeUtil.SameShape(t.Shape, p.Shape))
                    problems.Add($"'{k}' has shape {ShapeUtil.Format(t.Shape)} but parameter {i} has {ShapeUtil.Format(p.Shape)}");
                parsed.Add((i, parts[2], t));
            }
            else if (parts[0] == "param_groups" && parts.Length == 3 && int.TryParse(parts[1], out int g) && g >= _groups.Count)
                problems.Add($"'{k}' refers to group {g} but the optimizer has {_groups.Count}");
        }
        foreach (var (k, t) in state)
        {
            if (k != "step_count" && !k.StartsWith("param_groups.", StringComparison.Ordinal)) continue;
            double v = t.Numel == 1 ? t.Item() : double.NaN;
            if (t.Numel != 1) problems.Add($"'{k}' must hold one number, has shape {ShapeUtil.Format(t.Shape)}");
            else if (!double.IsFinite(v) || v < 0 || (k == "step_count" && (v != Math.Floor(v) || v > long.MaxValue)))
                problems.Add($"'{k}' is {v}; it must be a finite non-negative {(k == "step_count" ? "integer" : "number")}");
        }
        if (problems.Count > 0) throw new NablaException($"{GetType().Name}.LoadStateDict: " + string.Join("; ", problems));
        _state.Clear();
        foreach (var (i, name, t) in parsed)
        {
            if (!_state.TryGetValue(i, out var s)) _state[i] = s = [];
            var p = Param(i);
            s[name] = t.Rank == 0 ? t.Clone_Raw() : (t.DType == p.DType ? t.Clone_Raw() : t.ToDTypeRaw(p.DType));
        }
        if (state.TryGetValue("step_count", out var sc)) StepCount = (long)sc.Item();
        for (int g = 0; g < _groups.Count && restoreHyperParameters; g++)
        {
            if (state.TryGetValue($"param_groups.{g}.lr", out var lr)) _groups[g].LearningRate = lr.Item();
            if (state.TryGetValue($"param_groups.{g}.initial_lr", out var ilr)) _groups[g].InitialLearningRate = ilr.Item();
            if (state.TryGetValue($"param_groups.{g}.weight_decay", out var wd)) _groups[g].WeightDecay = wd.Item();
        }
    }

    /// <summary>Wraps a flat parameter list as one group.</summary>
    protected static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];
}
