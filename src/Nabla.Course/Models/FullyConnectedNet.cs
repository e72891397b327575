
namespace Nabla.Course.Models;

/// <summary>
/// The fully-connected network of any depth of cs231n / EECS 498 (<c>fc_net.py</c>):
/// {affine – [batch norm] – ReLU – [dropout]} × (L − 1) – affine – softmax, L = hiddenDims.Length + 1 affine layers;
/// loss = <see cref="Layers.SoftmaxLoss"/> + ½·reg·Σ_k ‖W_k‖².
/// </summary>
/// <remarks>
/// Shapes: x [N, D] (or [N, d1, …]) → scores [N, C]. Parameters W1…WL, b1…bL, and with batch norm gamma1…gamma(L−1),
/// beta1…beta(L−1) (γ = 1, β = 0 initially); the running statistics live in <see cref="BatchNormStates"/>, not in
/// <see cref="LayerModel.Params"/>. Dropout is inverted (<see cref="Layers.DropoutForward(Tensor, double, bool, Generator?, bool)"/>),
/// only in <see cref="Loss"/>; <see cref="Scores"/> is the test-mode forward.
/// </remarks>
public sealed class FullyConnectedNet : LayerModel
{
    private readonly List<BatchNormState> _bn = [];
    private readonly ulong? _dropoutSeed;

    /// <param name="hiddenDims">Widths of the hidden layers (may be empty: softmax regression).</param>
    /// <param name="dropout">Drop probability p ∈ [0, 1) of every hidden unit (0 = no dropout; PyTorch's convention).</param>
    /// <param name="dropoutIsKeepProbability">Read <paramref name="dropout"/> as the KEEP probability q ∈ (0, 1] instead,
    /// as the 2017+ cs231n starter code does (1 = no dropout); the drop probability is then 1 − q.</param>
    /// <param name="dropoutSeed">When set, every <see cref="Loss"/> call draws its masks from a fresh generator with this
    /// seed (the same masks each time, which finite-difference checks need — cs231n's <c>seed</c>); otherwise from
    /// the model's generator stream.</param>
    public FullyConnectedNet(int[] hiddenDims, int inputDim = 3 * 32 * 32, int numClasses = 10, double dropout = 0,
        Normalization normalization = Normalization.None, double reg = 0.0, double weightScale = 1e-2, DType dtype = DType.Float32,
        ulong? dropoutSeed = null, ulong seed = 0, Generator? generator = null, bool dropoutIsKeepProbability = false)
        : base(weightScale, reg, dtype, generator ?? new Generator(seed))
    {
        ArgumentNullException.ThrowIfNull(hiddenDims);
        if (inputDim <= 0) throw new ArgumentOutOfRangeException(nameof(inputDim), $"FullyConnectedNet: inputDim must be positive, got {inputDim}");
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), $"FullyConnectedNet: numClasses must be ≥ 2, got {numClasses}");
        double p = dropoutIsKeepProbability ? 1 - dropout : dropout;
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropoutIsKeepProbability
                ? $"FullyConnectedNet: the keep probability must be in (0, 1], got {dropout}"
                : $"FullyConnectedNet: the drop probability must be in [0, 1), got {dropout}");
        (InputDim, HiddenDims, NumClasses, Dropout, Normalization) = (inputDim, hiddenDims.ToArray(), numClasses, p, normalization);
        _dropoutSeed = dropoutSeed;
        int[] dims = [inputDim, .. hiddenDims, numClasses];
        for (int i = 1; i < dims.Length; i++)
        {
            AddLayer(i, [dims[i - 1], dims[i]], dims[i]);
            if (normalization == Normalization.BatchNorm && i < dims.Length - 1)
            {
                AddNorm(i, dims[i]);
                _bn.Add(new BatchNormState(dims[i], dtype));
            }
        }
    }

    public int InputDim { get; }

    public IReadOnlyList<int> HiddenDims { get; }

    public int NumClasses { get; }

    /// <summary>Drop probability of the hidden units (0 = no dropout).</summary>
    public double Dropout { get; }

    public Normalization Normalization { get; }

    /// <summary>Number of affine layers, L.</summary>
    public int NumLayers => HiddenDims.Count + 1;

    /// <summary>Running statistics of the batch-norm layers (empty without batch norm), layer 1 first.</summary>
    public IReadOnlyList<BatchNormState> BatchNormStates => _bn;

    /// <summary>The running mean and variance of every batch-norm layer (what the Solver snapshots with the best parameters).</summary>
    public override IEnumerable<Tensor> State => BatchNormStates.SelectMany(b => new[] { b.RunningMean, b.RunningVar });

    public override Tensor Scores(Tensor x) => Forward(Input(x, [InputDim]), train: false, null).Scores;

    public override (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        var masks = _dropoutSeed is ulong s ? new Generator(s) : Generator;
        var (scores, caches, top) = Forward(Input(x, [InputDim]), train: true, masks);
        var (loss, dout) = Layers.SoftmaxLoss(scores, y);
        var grads = new Dictionary<string, Tensor>();
        int l = NumLayers;
        (dout, grads[$"W{l}"], grads[$"b{l}"]) = Layers.AffineBackward(dout, top);
        for (int i = l - 1; i >= 1; i--)
        {
            var c = caches[i - 1];
            if (c.Dropout is not null) dout = Layers.DropoutBackward(dout, c.Dropout);
            dout = Layers.ReluBackward(dout, c.Relu);
            if (c.Norm is not null) (dout, grads[$"gamma{i}"], grads[$"beta{i}"]) = Layers.BatchNormBackward(dout, c.Norm);
            (dout, grads[$"W{i}"], grads[$"b{i}"]) = Layers.AffineBackward(dout, c.Affine);
        }
        return (Regularize(loss, grads), grads);
    }

    private sealed record HiddenCache(Layers.AffineCache Affine, Layers.BatchNormCache? Norm, Layers.ReluCache Relu, Layers.DropoutCache? Dropout);

    private (Tensor Scores, List<HiddenCache> Caches, Layers.AffineCache Top) Forward(Tensor x, bool train, Generator? masks)
    {
        var caches = new List<HiddenCache>();
        var h = x;
        for (int i = 1; i < NumLayers; i++)
        {
            var (a, ac) = Layers.AffineForward(h, P($"W{i}"), P($"b{i}"));
            Layers.BatchNormCache? nc = null;
            if (Normalization == Normalization.BatchNorm) (a, nc) = Layers.BatchNormForward(a, P($"gamma{i}"), P($"beta{i}"), _bn[i - 1], train);
            var (r, rc) = Layers.ReluForward(a);
            Layers.DropoutCache? dc = null;
            if (Dropout > 0 && train) (r, dc) = Layers.DropoutForward(r, Dropout, train: true, masks);
            caches.Add(new HiddenCache(ac, nc, rc, dc));
            h = r;
        }
        var (scores, top) = Layers.AffineForward(h, P($"W{NumLayers}"), P($"b{NumLayers}"));
        return (scores, caches, top);
    }
}
