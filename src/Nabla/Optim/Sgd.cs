using System.Numerics;


namespace Nabla.Optim;

/// <summary>Options of <see cref="Sgd"/> (current PyTorch's defaults: lr 1e-3 since PyTorch 2.2, where it stopped being required).</summary>
public sealed record SgdOptions(double LearningRate = 1e-3, double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false)
{
    public SgdOptions Validate()
    {
        if (LearningRate < 0) throw new ArgumentException($"SGD: invalid learning rate {LearningRate}");
        if (Momentum < 0) throw new ArgumentException($"SGD: invalid momentum {Momentum}");
        if (WeightDecay < 0) throw new ArgumentException($"SGD: invalid weight decay {WeightDecay}");
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
            throw new ArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening");
        return this;
    }
}

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay (PyTorch's algorithm):
/// d = g + λ·θ; b = μ·b + (1 − τ)·d (b = d on the first step); d = d + μ·b (Nesterov) or d = b; θ ← θ − η·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    public SgdOptions Options { get; }

    /// <summary>SGD over <paramref name="parameters"/>; without options, PyTorch's defaults (lr 1e-3, no momentum).</summary>
    public Sgd(IEnumerable<Tensor> parameters, SgdOptions? options = null) : this(OneGroup(parameters), options) { }

    /// <summary>SGD over parameter groups; without options, PyTorch's defaults (lr 1e-3, no momentum).</summary>
    public Sgd(IEnumerable<ParamGroup> groups, SgdOptions? options = null)
        : base(groups, (options ??= new SgdOptions()).Validate().LearningRate, options.WeightDecay) => Options = options;

    protected override void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad) => Run(group, index, param, grad);

    protected override void Update(ParamGroup group, int index, Span<double> param, ReadOnlySpan<double> grad) => Run(group, index, param, grad);

    private void Run<T>(ParamGroup group, int index, Span<T> p, ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(group.LearningRate), wd = T.CreateTruncating(group.WeightDecay);
        T mu = T.CreateTruncating(Options.Momentum), damp = T.One - T.CreateTruncating(Options.Dampening);
        if (Options.Momentum == 0 && wd == T.Zero)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, -lr, p, p);   // θ ← θ + (−η)·g, one vectorised pass
            return;
        }
        if (Options.Momentum == 0)
        {
            // θ ← θ − η·(g + λθ)
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var pv = new Vector<T>(p[i..]);
                    var d = new Vector<T>(g[i..]) + pv * wd;
                    (pv - d * lr).CopyTo(p[i..]);
                }
            for (; i < p.Length; i++) p[i] -= lr * (g[i] + wd * p[i]);
            return;
        }
        var buf = State<T>(index, "momentum_buffer", out bool first);
        bool nesterov = Options.Nesterov;
        if (!first && !nesterov && wd == T.Zero && damp == T.One)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(buf, mu, g, buf);   // b ← μ·b + g
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(buf, -lr, p, p);    // θ ← θ + (−η)·b
            return;
        }
        int j = 0;
        if (Vector.IsHardwareAccelerated && !first)
            for (; j <= p.Length - Vector<T>.Count; j += Vector<T>.Count)
            {
                var pv = new Vector<T>(p[j..]);
                var d = new Vector<T>(g[j..]) + pv * wd;
                var b = new Vector<T>(buf[j..]) * mu + d * damp;
                b.CopyTo(buf[j..]);
                (pv - (nesterov ? d + b * mu : b) * lr).CopyTo(p[j..]);
            }
        for (int i = j; i < p.Length; i++)
        {
            T d = g[i] + wd * p[i];
            T b = first ? d : mu * buf[i] + damp * d;
            buf[i] = b;
            p[i] -= lr * (nesterov ? d + mu * b : b);
        }
    }
}
