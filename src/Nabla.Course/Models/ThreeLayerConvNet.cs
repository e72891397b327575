
namespace Nabla.Course.Models;

/// <summary>
/// The three-layer convolutional network of cs231n / EECS 498 (<c>cnn.py</c>):
/// conv – [spatial batch norm] – ReLU – 2×2 max pool – affine – [batch norm] – ReLU – [dropout] – affine – softmax,
/// the bracketed parts being the options of EECS 498 Q5.4; loss = <see cref="Layers.SoftmaxLoss"/> + ½·reg·(‖W1‖² + ‖W2‖² + ‖W3‖²).
/// The convolution has stride 1 and padding (filterSize − 1)/2 (the input's size for odd filters); the pool has stride 2.
/// </summary>
/// <remarks>
/// Shapes: x [N, C, H, W] → conv [N, F, H′, W′] (H′ = H + 2·pad − filterSize + 1) → pool [N, F, ⌊H′/2⌋, ⌊W′/2⌋] →
/// hidden [N, hiddenDim] → scores [N, numClasses]. Parameters: W1 [F, C, k, k], b1 [F], W2 [F·⌊H′/2⌋·⌊W′/2⌋, hiddenDim],
/// b2, W3 [hiddenDim, numClasses], b3; with batch norm gamma1/beta1 [F] and gamma2/beta2 [hiddenDim] (running
/// statistics in <see cref="BatchNormStates"/>).
/// </remarks>
public sealed class ThreeLayerConvNet : LayerModel
{
    private readonly BatchNormState? _bn1, _bn2;
    private readonly ulong? _dropoutSeed;

    /// <param name="dropout">Drop probability of the hidden units (0 = none), inverted dropout.</param>
    /// <param name="dropoutSeed">When set, each <see cref="Loss"/> call draws the same masks (for gradient checks).</param>
    public ThreeLayerConvNet((int C, int H, int W)? inputDim = null, int numFilters = 32, int filterSize = 7, int hiddenDim = 100,
        int numClasses = 10, double weightScale = 1e-3, double reg = 0.0, DType dtype = DType.Float32, double dropout = 0,
        bool batchNorm = false, ulong? dropoutSeed = null, ulong seed = 0, Generator? generator = null)
        : base(weightScale, reg, dtype, generator ?? new Generator(seed))
    {
        var (c, h, w) = inputDim ?? (1, 28, 28);
        if (c <= 0 || h <= 0 || w <= 0) throw new ArgumentOutOfRangeException(nameof(inputDim), $"ThreeLayerConvNet: inputDim must be positive, got ({c}, {h}, {w})");
        if (numFilters <= 0 || filterSize <= 0 || hiddenDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(numFilters), $"ThreeLayerConvNet: numFilters, filterSize and hiddenDim must be positive, got {numFilters}, {filterSize}, {hiddenDim}");
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), $"ThreeLayerConvNet: numClasses must be ≥ 2, got {numClasses}");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), $"ThreeLayerConvNet: the drop probability must be in [0, 1), got {dropout}");
        Pad = (filterSize - 1) / 2;
        int convH = h + 2 * Pad - filterSize + 1, convW = w + 2 * Pad - filterSize + 1;
        if (convH < 2 || convW < 2)
            throw new ArgumentException($"ThreeLayerConvNet: a {filterSize}×{filterSize} filter leaves a {convH}×{convW} map on a {h}×{w} input, too small for 2×2 pooling", nameof(filterSize));
        (InputDim, NumFilters, FilterSize, HiddenDim, NumClasses, Dropout, BatchNorm) = ((c, h, w), numFilters, filterSize, hiddenDim, numClasses, dropout, batchNorm);
        _dropoutSeed = dropoutSeed;
        int pooled = numFilters * (convH / 2) * (convW / 2);
        AddLayer(1, [numFilters, c, filterSize, filterSize], numFilters);
        AddLayer(2, [pooled, hiddenDim], hiddenDim);
        AddLayer(3, [hiddenDim, numClasses], numClasses);
        if (batchNorm)
        {
            AddNorm(1, numFilters);
            AddNorm(2, hiddenDim);
            (_bn1, _bn2) = (new BatchNormState(numFilters, dtype), new BatchNormState(hiddenDim, dtype));
        }
    }

    public (int C, int H, int W) InputDim { get; }

    public int NumFilters { get; }

    public int FilterSize { get; }

    /// <summary>Zero padding of the convolution, (filterSize − 1)/2.</summary>
    public int Pad { get; }

    public int HiddenDim { get; }

    public int NumClasses { get; }

    public double Dropout { get; }

    public bool BatchNorm { get; }

    /// <summary>Running statistics of the two batch-norm layers (empty without batch norm).</summary>
    public IReadOnlyList<BatchNormState> BatchNormStates => _bn1 is null ? [] : [_bn1, _bn2!];

    /// <summary>The running mean and variance of every batch-norm layer (what the Solver snapshots with the best parameters).</summary>
    public override IEnumerable<Tensor> State => BatchNormStates.SelectMany(b => new[] { b.RunningMean, b.RunningVar });

    public override Tensor Scores(Tensor x) => Forward(Input(x, [InputDim.C, InputDim.H, InputDim.W]), train: false, null).Scores;

    public override (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        var masks = _dropoutSeed is ulong s ? new Generator(s) : Generator;
        var (scores, k) = Forward(Input(x, [InputDim.C, InputDim.H, InputDim.W]), train: true, masks);
        var (loss, d) = Layers.SoftmaxLoss(scores, y);
        var grads = new Dictionary<string, Tensor>();
        (d, grads["W3"], grads["b3"]) = Layers.AffineBackward(d, k.Affine3);
        if (k.Drop is not null) d = Layers.DropoutBackward(d, k.Drop);
        d = Layers.ReluBackward(d, k.Relu2);
        if (k.Norm2 is not null) (d, grads["gamma2"], grads["beta2"]) = Layers.BatchNormBackward(d, k.Norm2);
        (d, grads["W2"], grads["b2"]) = Layers.AffineBackward(d, k.Affine2);
        d = Layers.MaxPoolBackward(d, k.Pool);   // AffineBackward returned ∂L/∂pooled in the pooled shape [N, F, H″, W″]
        d = Layers.ReluBackward(d, k.Relu1);
        if (k.Norm1 is not null) (d, grads["gamma1"], grads["beta1"]) = Layers.SpatialBatchNormBackward(d, k.Norm1);
        (_, grads["W1"], grads["b1"]) = Layers.ConvBackward(d, k.Conv);
        return (Regularize(loss, grads), grads);
    }

    private sealed record Caches(Layers.ConvCache Conv, Layers.BatchNormCache? Norm1, Layers.ReluCache Relu1, Layers.MaxPoolCache Pool,
        Layers.AffineCache Affine2, Layers.BatchNormCache? Norm2, Layers.ReluCache Relu2, Layers.DropoutCache? Drop, Layers.AffineCache Affine3);

    private (Tensor Scores, Caches Caches) Forward(Tensor x, bool train, Generator? masks)
    {
        var (a, conv) = Layers.ConvForward(x, P("W1"), P("b1"), 1, Pad);
        Layers.BatchNormCache? n1 = null, n2 = null;
        if (BatchNorm) (a, n1) = Layers.SpatialBatchNormForward(a, P("gamma1"), P("beta1"), _bn1!, train);
        var (r, relu1) = Layers.ReluForward(a);
        var (pooled, pool) = Layers.MaxPoolForward(r, 2, 2);
        var (h, affine2) = Layers.AffineForward(pooled, P("W2"), P("b2"));
        if (BatchNorm) (h, n2) = Layers.BatchNormForward(h, P("gamma2"), P("beta2"), _bn2!, train);
        var (r2, relu2) = Layers.ReluForward(h);
        Layers.DropoutCache? drop = null;
        if (Dropout > 0 && train) (r2, drop) = Layers.DropoutForward(r2, Dropout, train: true, masks);
        var (scores, affine3) = Layers.AffineForward(r2, P("W3"), P("b3"));
        return (scores, new Caches(conv, n1, relu1, pool, affine2, n2, relu2, drop, affine3));
    }
}
