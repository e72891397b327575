using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>How <see cref="Muon"/> scales its learning rate with the shape of a parameter (PyTorch's
/// <c>adjust_lr_fn</c>).</summary>
public enum MuonLrAdjust
{
    /// <summary>η·√max(1, rows/cols) (PyTorch's default, "original": Keller Jordan's Muon).</summary>
    Original,
    /// <summary>η·0.2·√max(rows, cols) ("match_rms_adamw": an update of AdamW's typical RMS).</summary>
    MatchRmsAdamW,
    /// <summary>η unchanged.</summary>
    None,
}

/// <summary>Options of <see cref="Muon"/> (PyTorch 2.9's <c>torch.optim.Muon</c> defaults).</summary>
/// <param name="LearningRate">η (default 1e-3)</param>
/// <param name="WeightDecay">decoupled decay λ: θ ← θ·(1 − η·λ) before the step (default 0.1)</param>
/// <param name="Momentum">μ (default 0.95)</param>
/// <param name="Nesterov">update from g + μ·b instead of b (default true)</param>
/// <param name="NsSteps">Newton–Schulz iterations (default 5; airbench94_muon uses 3)</param>
/// <param name="NsA">first coefficient of the quintic iteration (3.4445)</param>
/// <param name="NsB">second coefficient (−4.7750)</param>
/// <param name="NsC">third coefficient (2.0315)</param>
/// <param name="Eps">added to the Frobenius norm that scales the update before the iteration (1e-7)</param>
/// <param name="AdjustLr">how η scales with the parameter's shape (default <see cref="MuonLrAdjust.Original"/>)</param>
/// <param name="NormalizeWeights">airbench94_muon's extra: before each step rescale θ to Frobenius norm √rows (off in PyTorch)</param>
public sealed record MuonOptions(double LearningRate = 1e-3, double WeightDecay = 0.1, double Momentum = 0.95, bool Nesterov = true,
    int NsSteps = 5, double NsA = 3.4445, double NsB = -4.7750, double NsC = 2.0315, double Eps = 1e-7,
    MuonLrAdjust AdjustLr = MuonLrAdjust.Original, bool NormalizeWeights = false)
{
    /// <summary>Returns this after checking the ranges.</summary>
    /// <exception cref="ArgumentException">a negative or non-finite rate, decay, momentum or ε, or fewer than one iteration</exception>
    public MuonOptions Validate()
    {
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"Muon: invalid learning rate {LearningRate}");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentException($"Muon: invalid weight decay {WeightDecay}");
        if (!(Momentum >= 0) || Momentum >= 1) throw new ArgumentException($"Muon: invalid momentum {Momentum} (0 ≤ μ < 1)");
        if (Nesterov && Momentum == 0) throw new ArgumentException("Muon: Nesterov momentum requires a momentum");
        if (NsSteps < 1 || NsSteps > 100) throw new ArgumentException($"Muon: invalid Newton–Schulz step count {NsSteps} (1..100)");
        if (!(Eps >= 0) || double.IsInfinity(Eps)) throw new ArgumentException($"Muon: invalid eps {Eps}");
        if (!double.IsFinite(NsA) || !double.IsFinite(NsB) || !double.IsFinite(NsC)) throw new ArgumentException("Muon: Newton–Schulz coefficients must be finite");
        return this;
    }
}

/// <summary>
/// Muon — MomentUm Orthogonalized by Newton–Schulz (Keller Jordan, 2024; PyTorch 2.9's <c>torch.optim.Muon</c>) for
/// matrix-shaped parameters; a parameter of rank &gt; 2 (a conv weight [out, in, kh, kw]) is treated as the matrix
/// [out, in·kh·kw]. Per step, with g the gradient:
/// <code>
/// b ← μ·b + g;   u ← g + μ·b (Nesterov) or b
/// X₀ = u / (‖u‖_F + ε) (transposed when rows &gt; cols);  X ← a·X + (b·A + c·A²)·X with A = X·Xᵀ, NsSteps times
/// θ ← θ·(1 − η·λ);  θ ← θ − η′·X   (η′ = η adjusted for the shape, <see cref="MuonOptions.AdjustLr"/>)
/// </code>
/// The quintic iteration drives every singular value of X₀ (all ≤ 1) toward the interval ~[0.7, 1.2]: the update is
/// u's polar factor U·Vᵀ up to that spread, so every direction of the matrix moves at the same rate. The iteration
/// runs in the parameter's own precision (PyTorch runs it in bfloat16). Biases, BatchNorm parameters and the output
/// layer belong with an element-wise optimizer such as <see cref="Sgd"/> or <see cref="Adam"/>; a 1-d parameter is
/// refused.
/// </summary>
public sealed class Muon : Optimizer
{
    /// <summary>The options (learning rate and weight decay per group live in <see cref="Optimizer.ParamGroups"/>).</summary>
    public MuonOptions Options { get; }

    private readonly Dictionary<int, (int Rows, int Cols)> _matrix = [];

    /// <summary>Muon over <paramref name="parameters"/> (each of rank ≥ 2); without options, PyTorch's defaults.</summary>
    public Muon(IEnumerable<Tensor> parameters, MuonOptions? options = null) : this(OneGroup(parameters), options) { }

    /// <summary>Muon over parameter groups (each parameter of rank ≥ 2); without options, PyTorch's defaults.</summary>
    /// <exception cref="ArgumentException">a parameter of rank below 2, or options out of range</exception>
    public Muon(IEnumerable<ParamGroup> groups, MuonOptions? options = null)
        : base(groups, (options ??= new MuonOptions()).Validate().LearningRate, options.WeightDecay)
    {
        Options = options;
        int index = 0;
        foreach (var g in ParamGroups)
            foreach (var p in g.Params)
            {
                if (p.Rank < 2)
                    throw new ArgumentException($"Muon: parameter {index} has shape {ShapeUtil.Format(p.Shape)}; Muon only updates matrices (rank ≥ 2: " +
                                                "a conv weight counts as [out, in·kh·kw]); give biases and norms to Sgd or Adam");
                _matrix[index++] = (p.Size(0), (int)(p.Numel / p.Size(0)));
            }
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad) => Run(group, index, param, grad);

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, int index, Span<double> param, ReadOnlySpan<double> grad) => Run(group, index, param, grad);

    private void Run<T>(ParamGroup group, int index, Span<T> p, ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = _matrix[index];
        // b ← μ·b + g; u ← g + μ·b (Nesterov) or b, written straight into the matrix the iteration starts from
        var matrix = Tensor.Zeros([rows, cols], typeof(T) == typeof(float) ? DType.Float32 : DType.Float64);
        var u = matrix.AsSpan<T>();
        T mu = T.CreateTruncating(Options.Momentum);
        if (Options.Momentum > 0)
        {
            var buf = State<T>(index, "momentum_buffer", out _);
            TensorPrimitives.MultiplyAdd(buf, mu, g, buf);
            if (Options.Nesterov) TensorPrimitives.MultiplyAdd(buf, mu, g, u);
            else buf.CopyTo(u);
        }
        else g.CopyTo(u);
        var update = Orthogonalize(matrix, Options).AsSpan<T>();

        if (Options.NormalizeWeights)
        {
            double norm = Math.Sqrt(double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(p)));
            if (norm > 0) TensorPrimitives.Multiply(p, T.CreateTruncating(Math.Sqrt(rows) / norm), p);
        }
        double lr = group.LearningRate;
        if (group.WeightDecay != 0) TensorPrimitives.Multiply(p, T.CreateTruncating(1 - lr * group.WeightDecay), p);
        double adjusted = Options.AdjustLr switch
        {
            MuonLrAdjust.Original => lr * Math.Sqrt(Math.Max(1.0, (double)rows / cols)),
            MuonLrAdjust.MatchRmsAdamW => lr * 0.2 * Math.Sqrt(Math.Max(rows, cols)),
            _ => lr,
        };
        TensorPrimitives.MultiplyAdd(update, T.CreateTruncating(-adjusted), p, p);
    }

    /// <summary>The Newton–Schulz iteration of <see cref="Muon"/> on a matrix <paramref name="g"/> (float32 or float64):
    /// X₀ = G/(‖G‖_F + ε), transposed when rows &gt; cols; X ← a·X + (b·A + c·A²)·X with A = X·Xᵀ, <see cref="MuonOptions.NsSteps"/>
    /// times; transposed back. Each singular value σ of X₀ maps through the scalar polynomial σ ↦ aσ + bσ³ + cσ⁵ while the
    /// singular vectors stay, so the result is U·f(Σ)·Vᵀ for G = U·Σ·Vᵀ.</summary>
    /// <exception cref="ArgumentException">a tensor that is not a floating-point matrix</exception>
    public static Tensor Orthogonalize(Tensor g, MuonOptions? options = null)
    {
        options ??= new MuonOptions();
        if (g.Rank != 2 || !g.DType.IsFloatingPoint())
            throw new ArgumentException($"Muon.Orthogonalize: needs a floating-point matrix, got shape {ShapeUtil.Format(g.Shape)} ({g.DType.Name()})");
        using var _ = GradMode.NoGrad();
        bool tall = g.Size(0) > g.Size(1);
        var x = tall ? g.T.Contiguous() : g.Contiguous();
        double norm = Math.Sqrt(x.Square().Sum().Item());
        x = x * (1.0 / (norm + options.Eps));
        for (int s = 0; s < options.NsSteps; s++)
        {
            var a = x.MatMul(x.T);
            var b = a * options.NsB + a.MatMul(a) * options.NsC;
            x = x * options.NsA + b.MatMul(x);
        }
        return tall ? x.T.Contiguous() : x.Contiguous();
    }
}
