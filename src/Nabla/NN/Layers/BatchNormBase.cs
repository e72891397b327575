
namespace Nabla.NN;

/// <summary>
/// Batch normalisation over the channel dim: y = γ·(x − μ)/√(σ² + ε) + β, with batch statistics in training
/// (running estimates updated with <see cref="Momentum"/>, unbiased variance) and the running ones in eval.
/// Base of <see cref="BatchNorm1d"/> ([N, C] or [N, C, L]) and <see cref="BatchNorm2d"/> ([N, C, H, W]).
/// </summary>
public abstract class BatchNormBase : Module
{
    /// <summary>Channels C normalised (dim 1 of the input).</summary>
    public int NumFeatures { get; }
    /// <summary>ε added to the variance (PyTorch's default 1e-5).</summary>
    public double Eps { get; }
    /// <summary>Running-estimate update: r ← (1 − momentum)·r + momentum·batch statistic (PyTorch's default 0.1).</summary>
    public double Momentum { get; }
    /// <summary>γ [NumFeatures], initially 1; null without affine.</summary>
    public Tensor? Weight { get; }
    /// <summary>β [NumFeatures], initially 0; null without affine.</summary>
    public Tensor? Bias { get; }
    /// <summary>Running mean [NumFeatures] (a buffer), initially 0; used in eval mode.</summary>
    public Tensor RunningMean { get; }
    /// <summary>Running unbiased variance [NumFeatures] (a buffer), initially 1; used in eval mode.</summary>
    public Tensor RunningVar { get; }

    /// <summary>Training batches seen (PyTorch's num_batches_tracked).</summary>
    public Tensor NumBatchesTracked { get; }

    private readonly int[] _ranks;

    /// <summary>Registers γ, β (when <paramref name="affine"/>) and the running buffers.</summary>
    /// <param name="numFeatures">channels C</param>
    /// <param name="eps">ε</param>
    /// <param name="momentum">running-estimate momentum</param>
    /// <param name="affine">learn γ and β</param>
    /// <param name="dtype">dtype of parameters and running statistics; null = <see cref="DefaultDType.Current"/></param>
    /// <param name="ranks">input ranks the subclass accepts</param>
    /// <exception cref="ArgumentException"><paramref name="numFeatures"/> ≤ 0</exception>
    protected BatchNormBase(int numFeatures, double eps, double momentum, bool affine, DType? dtype, params int[] ranks)
    {
        if (numFeatures <= 0) throw new ArgumentException($"{GetType().Name}: numFeatures must be positive, got {numFeatures}");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        _ranks = ranks;
        if (affine)
        {
            Weight = RegisterParameter(nameof(Weight), Tensor.Ones([numFeatures], dtype));   // γ = 1
            Bias = RegisterParameter(nameof(Bias), Tensor.Zeros([numFeatures], dtype));      // β = 0
        }
        RunningMean = RegisterBuffer(nameof(RunningMean), Tensor.Zeros([numFeatures], dtype));
        RunningVar = RegisterBuffer(nameof(RunningVar), Tensor.Ones([numFeatures], dtype));
        NumBatchesTracked = RegisterBuffer(nameof(NumBatchesTracked), Tensor.Zeros([], DType.Int32));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        if (Training) NumBatchesTracked.SetAt(NumBatchesTracked.Item() + 1);
        return input.BatchNorm(RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }

    /// <summary>What <see cref="Forward"/> computes in eval mode (then a ReLU when <paramref name="relu"/>), written over
    /// <paramref name="input"/>: for <see cref="Sequential"/>'s no-grad forward, which owns that tensor.</summary>
    internal void EvalInPlace(Tensor input, bool relu)
    {
        CheckInput(input);
        if (Training) throw new InvalidOperationException($"{GetType().Name}: in place only in eval mode");
        BatchNormOp.EvalInPlace(input, RunningMean, RunningVar, Weight, Bias, Eps, relu);
    }

    private void CheckInput(Tensor input)
    {
        if (!_ranks.Contains(input.Rank) || input.Size(1) != NumFeatures)
            throw ShapeMismatchException.For(GetType().Name, $"expects rank {string.Join(" or ", _ranks)} with {NumFeatures} channels in dim 1", input.Shape.ToArray());
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{NumFeatures}, eps={Eps}, momentum={Momentum}, affine={Weight is not null}";
}
