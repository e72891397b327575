using System.Numerics;

namespace Nabla.Optim;

/// <summary>Options of <see cref="RmsProp"/> (PyTorch's defaults).</summary>
public sealed record RmsPropOptions(double LearningRate = 0.01, double Alpha = 0.99, double Eps = 1e-8, double WeightDecay = 0, double Momentum = 0, bool Centered = false)
{
    public RmsPropOptions Validate()
    {
        if (LearningRate < 0) throw new ArgumentException($"RMSProp: invalid learning rate {LearningRate}");
        if (Alpha is < 0 or > 1) throw new ArgumentException($"RMSProp: alpha must be in [0, 1], got {Alpha}");
        if (Momentum < 0) throw new ArgumentException($"RMSProp: invalid momentum {Momentum}");
        return this;
    }
}

/// <summary>
/// RMSProp (Hinton), as PyTorch: g ← g + λθ; v ← αv + (1−α)g²; (centered: a ← αa + (1−α)g, v̄ = v − a²);
/// b ← μb + g/(√v̄ + ε), θ ← θ − ηb (momentum), or θ ← θ − η·g/(√v̄ + ε).
/// </summary>
public sealed class RmsProp : Optimizer
{
    public RmsPropOptions Options { get; }

    /// <summary>RmsProp over <paramref name="parameters"/>; without options, PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8).</summary>
    public RmsProp(IEnumerable<Tensor> parameters, RmsPropOptions? options = null) : this(OneGroup(parameters), options) { }

    /// <summary>RmsProp over parameter groups; without options, PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8).</summary>
    public RmsProp(IEnumerable<ParamGroup> groups, RmsPropOptions? options = null)
        : base(groups, (options ??= new RmsPropOptions()).Validate().LearningRate, options.WeightDecay) => Options = options;

    protected override void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad) => Run(group, index, param, grad);

    protected override void Update(ParamGroup group, int index, Span<double> param, ReadOnlySpan<double> grad) => Run(group, index, param, grad);

    private void Run<T>(ParamGroup group, int index, Span<T> p, ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = State<T>(index, "square_avg", out _);
        var a = Options.Centered ? State<T>(index, "grad_avg", out _) : default;
        var b = Options.Momentum > 0 ? State<T>(index, "momentum_buffer", out _) : default;
        T lr = T.CreateTruncating(group.LearningRate), wd = T.CreateTruncating(group.WeightDecay);
        T alpha = T.CreateTruncating(Options.Alpha), eps = T.CreateTruncating(Options.Eps), mu = T.CreateTruncating(Options.Momentum);
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i] + wd * p[i];
            v[i] = alpha * v[i] + (T.One - alpha) * gi * gi;
            T avg = v[i];
            if (Options.Centered)
            {
                a[i] = alpha * a[i] + (T.One - alpha) * gi;
                avg -= a[i] * a[i];
            }
            T step = gi / (T.Sqrt(avg) + eps);
            if (Options.Momentum > 0) { b[i] = mu * b[i] + step; step = b[i]; }
            p[i] -= lr * step;
        }
    }
}
