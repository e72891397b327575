using System.Numerics;

namespace Nabla.Optim;

/// <summary>Options of <see cref="Adam"/> and <see cref="AdamW"/> (PyTorch's defaults; AdamW's weight decay default is 0.01).</summary>
public sealed record AdamOptions(double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0)
{
    public AdamOptions Validate()
    {
        if (LearningRate < 0) throw new ArgumentException($"Adam: invalid learning rate {LearningRate}");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException($"Adam: betas must be in [0, 1), got ({Beta1}, {Beta2})");
        if (Eps < 0) throw new ArgumentException($"Adam: invalid eps {Eps}");
        return this;
    }
}

/// <summary>
/// Adam (Kingma &amp; Ba), as PyTorch: g ← g + λθ (L2 form); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// θ ← θ − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε). With <see cref="Decoupled"/> (AdamW) the decay is θ ← θ(1 − ηλ) instead.
/// </summary>
public class Adam : Optimizer
{
    public AdamOptions Options { get; }

    /// <summary>Decoupled weight decay (AdamW) instead of the L2 term in the gradient.</summary>
    protected virtual bool Decoupled => false;

    /// <summary>Adam over <paramref name="parameters"/>; without options, PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay).</summary>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null) : this(OneGroup(parameters), options) { }

    /// <summary>Adam over parameter groups; without options, PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay).</summary>
    public Adam(IEnumerable<ParamGroup> groups, AdamOptions? options = null)
        : base(groups, (options ??= new AdamOptions()).Validate().LearningRate, options.WeightDecay) => Options = options;

    protected override void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad) => Run(group, index, param, grad);

    protected override void Update(ParamGroup group, int index, Span<double> param, ReadOnlySpan<double> grad) => Run(group, index, param, grad);

    private void Run<T>(ParamGroup group, int index, Span<T> p, ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = State<T>(index, "exp_avg", out _);
        var v = State<T>(index, "exp_avg_sq", out _);
        double t = ScalarState(index, "step") + 1;
        ScalarState(index, "step", t);
        double b1 = Options.Beta1, b2 = Options.Beta2;
        // θ −= stepSize · m / (√v / √bc2 + ε), with stepSize = η / bc1 (PyTorch's arrangement).
        T stepSize = T.CreateTruncating(group.LearningRate / (1 - Math.Pow(b1, t)));
        T invSqrtBc2 = T.CreateTruncating(1 / Math.Sqrt(1 - Math.Pow(b2, t)));
        T beta1 = T.CreateTruncating(b1), beta2 = T.CreateTruncating(b2), c1 = T.One - beta1, c2 = T.One - beta2;
        T eps = T.CreateTruncating(Options.Eps);
        T l2 = Decoupled ? T.Zero : T.CreateTruncating(group.WeightDecay);
        T decay = Decoupled ? T.One - T.CreateTruncating(group.LearningRate * group.WeightDecay) : T.One;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb1 = new Vector<T>(beta1); var vb2 = new Vector<T>(beta2); var vc1 = new Vector<T>(c1); var vc2 = new Vector<T>(c2);
            var veps = new Vector<T>(eps); var vstep = new Vector<T>(stepSize); var vinv = new Vector<T>(invSqrtBc2);
            for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pv = new Vector<T>(p[i..]) * decay;
                var gv = new Vector<T>(g[i..]) + pv * l2;
                var mv = new Vector<T>(m[i..]) * vb1 + gv * vc1;
                var vv = new Vector<T>(v[i..]) * vb2 + gv * gv * vc2;
                mv.CopyTo(m[i..]);
                vv.CopyTo(v[i..]);
                (pv - vstep * mv / (Vector.SquareRoot(vv) * vinv + veps)).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            T pi = p[i] * decay;
            T gi = g[i] + l2 * pi;
            m[i] = beta1 * m[i] + c1 * gi;
            v[i] = beta2 * v[i] + c2 * gi * gi;
            p[i] = pi - stepSize * m[i] / (T.Sqrt(v[i]) * invSqrtBc2 + eps);
        }
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay θ ← θ(1 − ηλ); default λ = 0.01.</summary>
public sealed class AdamW : Adam
{
    protected override bool Decoupled => true;

    /// <summary>AdamW over <paramref name="parameters"/>; without options, PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2).</summary>
    public AdamW(IEnumerable<Tensor> parameters, AdamOptions? options = null) : base(parameters, options ?? new AdamOptions(WeightDecay: 0.01)) { }

    /// <summary>AdamW over parameter groups; without options, PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2).</summary>
    public AdamW(IEnumerable<ParamGroup> groups, AdamOptions? options = null) : base(groups, options ?? new AdamOptions(WeightDecay: 0.01)) { }
}
