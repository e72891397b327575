
namespace Nabla.NN;

/// <summary>
/// Batch normalisation over the channel dim: y = γ·(x − μ)/√(σ² + ε) + β, with batch statistics in training
/// (running estimates updated with <see cref="Momentum"/>, unbiased variance) and the running ones in eval.
/// Base of <see cref="BatchNorm1d"/> ([N, C] or [N, C, L]) and <see cref="BatchNorm2d"/> ([N, C, H, W]).
/// </summary>
public abstract class BatchNormBase : Module
{
    public int NumFeatures { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    /// <summary>Training batches seen (PyTorch's num_batches_tracked).</summary>
    public Tensor NumBatchesTracked { get; }

    private readonly int[] _ranks;

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

    public override Tensor Forward(Tensor input)
    {
        if (!_ranks.Contains(input.Rank) || input.Size(1) != NumFeatures)
            throw ShapeMismatchException.For(GetType().Name, $"expects rank {string.Join(" or ", _ranks)} with {NumFeatures} channels in dim 1", input.Shape.ToArray());
        if (Training) NumBatchesTracked.SetAt(NumBatchesTracked.Item() + 1);
        return input.BatchNorm(RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }

    protected override string ExtraRepr() => $"{NumFeatures}, eps={Eps}, momentum={Momentum}, affine={Weight is not null}";
}
