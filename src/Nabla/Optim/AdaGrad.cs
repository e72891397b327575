using System.Numerics;

namespace Nabla.Optim;

/// <summary>Options of <see cref="AdaGrad"/> (PyTorch's defaults).</summary>
/// <param name="EpsPlacement">ε outside the root, g/(√s + ε) (PyTorch, the default), or inside, g/√(s + ε)</param>
public sealed record AdaGradOptions(double LearningRate = 0.01, double Eps = 1e-10, double WeightDecay = 0, double InitialAccumulatorValue = 0,
    EpsPlacement EpsPlacement = EpsPlacement.OutsideSqrt)
{
    public AdaGradOptions Validate()
    {
        if (LearningRate < 0) throw new ArgumentException($"AdaGrad: invalid learning rate {LearningRate}");
        if (InitialAccumulatorValue < 0) throw new ArgumentException($"AdaGrad: invalid initial accumulator value {InitialAccumulatorValue}");
        if (!(Eps >= 0)) throw new ArgumentException($"AdaGrad: invalid epsilon {Eps} (must be non-negative)");
        if (!Enum.IsDefined(EpsPlacement)) throw new ArgumentException($"AdaGrad: unknown eps placement {EpsPlacement}");
        return this;
    }
}

/// <summary>AdaGrad (Duchi et al.): g ← g + λθ; s ← s + g²; θ ← θ − η·g/(√s + ε), or θ ← θ − η·g/√(s + ε) with
/// <see cref="EpsPlacement.InsideSqrt"/>.</summary>
public sealed class AdaGrad : Optimizer
{
    public AdaGradOptions Options { get; }

    /// <summary>AdaGrad over <paramref name="parameters"/>; without options, PyTorch's defaults (lr 1e-2, eps 1e-10).</summary>
    public AdaGrad(IEnumerable<Tensor> parameters, AdaGradOptions? options = null) : this(OneGroup(parameters), options) { }

    /// <summary>AdaGrad over parameter groups; without options, PyTorch's defaults (lr 1e-2, eps 1e-10).</summary>
    public AdaGrad(IEnumerable<ParamGroup> groups, AdaGradOptions? options = null)
        : base(groups, (options ??= new AdaGradOptions()).Validate().LearningRate, options.WeightDecay) => Options = options;

    protected override void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad) => Run(group, index, param, grad);

    protected override void Update(ParamGroup group, int index, Span<double> param, ReadOnlySpan<double> grad) => Run(group, index, param, grad);

    private void Run<T>(ParamGroup group, int index, Span<T> p, ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = State<T>(index, "sum", out bool created);
        if (created && Options.InitialAccumulatorValue != 0) s.Fill(T.CreateTruncating(Options.InitialAccumulatorValue));
        T lr = T.CreateTruncating(group.LearningRate), wd = T.CreateTruncating(group.WeightDecay), eps = T.CreateTruncating(Options.Eps);
        bool inside = Options.EpsPlacement == EpsPlacement.InsideSqrt;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i] + wd * p[i];
            s[i] += gi * gi;
            p[i] -= lr * gi / (inside ? T.Sqrt(s[i] + eps) : T.Sqrt(s[i]) + eps);
        }
    }
}
