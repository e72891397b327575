
namespace Nabla.Course;

/// <summary>
/// The MLP of 24789 (CMU, Spring 2021) programming Problem 1, in the template's PyTorch-like API (<c>forward</c>,
/// <c>backward</c>, <c>step</c>, <c>zero_grads</c>, <c>get_loss</c>, <c>get_error</c>, <c>random_normal_weight_init</c>,
/// <c>zeros_bias_init</c>), with every gradient written out and no automatic differentiation. It follows the
/// notation of the assignment's theory Problem 3 (row vectors, weights [in, out]):
/// <para>Forward (h_0 = x): f_l = h_{l−1}·W_l + b_l, h_l = act_l(f_l) for the hidden layers; o = softmax(f_L);
/// E = −(1/N) Σ_i log o_{i, y_i} (softmax cross-entropy).</para>
/// <para>Backward (δ_l = ∂E/∂f_l, [N, n_l]): δ_L = (o − y) / N (theory P3(a): ∂E/∂f₂ = o − y per example);
/// ∂E/∂W_l = h_{l−1}ᵀ·δ_l ([n_{l−1}, n_l]); ∂E/∂b_l = Σ_i δ_{l,i}; δ_{l−1} = (δ_l·W_lᵀ) ⊙ act′(f_{l−1})
/// (theory P3(b) carries this one step further to ∂E/∂x = δ_1·W_1ᵀ).</para>
/// <para>Step: W_l ← W_l − η·∂E/∂W_l, b_l ← b_l − η·∂E/∂b_l.</para>
/// <see cref="Backward"/> adds into <see cref="DW"/>/<see cref="DB"/> (call <see cref="ZeroGrads"/> between steps, as
/// with PyTorch). The dtype of the tensors the weight initialiser returns (float32 or float64) is the arithmetic's.
/// Shape: x [N, inputSize] (or [N, *]) → <see cref="Output"/> logits [N, outputSize].
/// </summary>
/// <example><code>
/// var g = new Generator(1);
/// var mlp = new Template24789Mlp(784, 10, [512, 256], [HandActivation.Sigmoid, HandActivation.Sigmoid],
///     (d0, d1) => Template24789Mlp.RandomNormalWeightInit(d0, d1, g), d => Template24789Mlp.ZerosBiasInit(d), 0.1);
/// mlp.ZeroGrads(); mlp.Forward(x); double e = mlp.GetLoss(y); mlp.Backward(y); mlp.Step();
/// </code></example>
public sealed class Template24789Mlp
{
    private readonly int[] _sizes;
    private readonly HandActivation[] _acts;
    private readonly Tensor[] _w, _b, _dw, _db;
    private Tensor[]? _hs, _fs;   // h_0 … h_{L−1} and f_1 … f_L of the last Forward

    /// <param name="hiddens">n_1 … n_{L−1}</param>
    /// <param name="activations">one per hidden layer</param>
    /// <param name="weightInitFn">(d0, d1) → W [d0, d1]; its dtype is the network's</param>
    /// <param name="biasInitFn">d → b [d] (converted to the weights' dtype)</param>
    public Template24789Mlp(int inputSize, int outputSize, int[] hiddens, HandActivation[] activations,
        Func<int, int, Tensor> weightInitFn, Func<int, Tensor> biasInitFn, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(hiddens);
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(weightInitFn);
        ArgumentNullException.ThrowIfNull(biasInitFn);
        _sizes = [inputSize, .. hiddens, outputSize];
        if (_sizes.Any(s => s <= 0))
            throw new ArgumentException($"Template24789Mlp: sizes must be positive, got [{string.Join(", ", _sizes)}]");
        if (activations.Length != hiddens.Length)
            throw new ArgumentException($"Template24789Mlp: one activation per hidden layer: {hiddens.Length} hidden layers, {activations.Length} activations");
        if (activations.Any(a => !Enum.IsDefined(a))) throw new ArgumentException("Template24789Mlp: unknown activation");
        HandMath.CheckLearningRate(learningRate, "Template24789Mlp");
        _acts = (HandActivation[])activations.Clone();
        LearningRate = learningRate;
        int layers = _sizes.Length - 1;
        _w = new Tensor[layers]; _b = new Tensor[layers]; _dw = new Tensor[layers]; _db = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            var w = weightInitFn(_sizes[l], _sizes[l + 1]);
            if (w is null || !w.Shape.SequenceEqual([_sizes[l], _sizes[l + 1]]) || !w.DType.IsFloatingPoint())
                throw new ArgumentException($"Template24789Mlp: weightInitFn({_sizes[l]}, {_sizes[l + 1]}) must return a float [{_sizes[l]}, {_sizes[l + 1]}] tensor");
            if (l > 0 && w.DType != _w[0].DType) throw new ArgumentException("Template24789Mlp: weightInitFn returned tensors of different dtypes");
            _w[l] = w.Detach().Contiguous();
            var b = biasInitFn(_sizes[l + 1]);
            if (b is null || !b.Shape.SequenceEqual([_sizes[l + 1]]))
                throw new ArgumentException($"Template24789Mlp: biasInitFn({_sizes[l + 1]}) must return a [{_sizes[l + 1]}] tensor");
            _b[l] = (b.DType == w.DType ? b.Detach() : b.Detach().To(w.DType)).Contiguous();
            _dw[l] = Tensor.Zeros([_sizes[l], _sizes[l + 1]], w.DType);
            _db[l] = Tensor.Zeros([_sizes[l + 1]], w.DType);
        }
    }

    /// <summary>W ~ N(0, 1), shape [d0, d1] (the template's <c>random_normal_weight_init</c>: the standard normal).</summary>
    public static Tensor RandomNormalWeightInit(int d0, int d1, Generator? generator = null, DType dtype = DType.Float64) =>
        Tensor.Randn([d0, d1], 0, 1, dtype, generator);

    /// <summary>b = 0, shape [d] (the template's <c>zeros_bias_init</c>).</summary>
    public static Tensor ZerosBiasInit(int d, DType dtype = DType.Float64) => Tensor.Zeros([d], dtype);

    /// <summary>Input size, hidden sizes, output size.</summary>
    public IReadOnlyList<int> LayerSizes => _sizes;

    public IReadOnlyList<HandActivation> Activations => _acts;

    public double LearningRate { get; set; }

    public DType DType => _w[0].DType;

    /// <summary>W_1 … W_L, each [n_{l−1}, n_l] (live tensors).</summary>
    public IReadOnlyList<Tensor> W => _w;

    /// <summary>b_1 … b_L, each [n_l].</summary>
    public IReadOnlyList<Tensor> B => _b;

    /// <summary>∂E/∂W_l accumulated by <see cref="Backward"/> since the last <see cref="ZeroGrads"/>.</summary>
    public IReadOnlyList<Tensor> DW => _dw;

    /// <summary>∂E/∂b_l accumulated by <see cref="Backward"/>.</summary>
    public IReadOnlyList<Tensor> DB => _db;

    /// <summary>The logits f_L [N, K] of the last <see cref="Forward"/>.</summary>
    public Tensor? Output { get; private set; }

    public long ParameterCount => _w.Sum(w => (long)w.Numel) + _b.Sum(b => (long)b.Numel);

    /// <summary>f_l = h_{l−1}·W_l + b_l, h_l = act_l(f_l); returns the logits f_L and keeps every h and f for
    /// <see cref="Backward"/>.</summary>
    public Tensor Forward(Tensor x)
    {
        var h = HandMath.AsMatrix(x, _sizes[0], DType, "Template24789Mlp.Forward");
        int layers = _w.Length;
        _hs = new Tensor[layers];
        _fs = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _hs[l] = h;
            _fs[l] = HandMath.Affine(h, _w[l], _b[l], weightIsOutIn: false);   // [N, n_l]
            if (l < layers - 1) h = HandMath.Activate(_acts[l], _fs[l]);
        }
        return Output = _fs[^1];
    }

    /// <summary>
    /// Adds the gradients of the mean softmax cross-entropy of the last <see cref="Forward"/> into DW and DB:
    /// δ_L = (softmax(f_L) − onehot(y)) / N; for l = L … 1: DW_l += h_{l−1}ᵀ·δ_l, DB_l += Σ_i δ_{l,i},
    /// δ_{l−1} = (δ_l·W_lᵀ) ⊙ act′(f_{l−1}) with σ′ = σ(1 − σ), tanh′ = 1 − tanh², ReLU′ = 1[f &gt; 0].
    /// <paramref name="labels"/>: int32 [N] or one-hot [N, K] (the template's form).
    /// </summary>
    public void Backward(Tensor labels)
    {
        if (_hs is null || _fs is null || Output is null)
            throw new InvalidOperationException("Template24789Mlp.Backward: call Forward(x) first");
        var y = HandMath.Labels(labels, Output.Size(0), _sizes[^1], "Template24789Mlp.Backward");
        var delta = HandMath.OutputDelta(Output, y);                                  // δ_L [N, K]
        for (int l = _w.Length - 1; l >= 0; l--)
        {
            HandMath.AddInto(_dw[l], _hs[l].T.MatMul(delta));                         // h_{l−1}ᵀ·δ_l  [n_{l−1}, n_l]
            HandMath.AddInto(_db[l], HandMath.ColumnSums(delta));                     // Σ_i δ_{l,i}   [n_l]
            if (l == 0) break;
            var back = delta.MatMul(_w[l].T);                                         // δ_l·W_lᵀ      [N, n_{l−1}]
            HandMath.MultiplyByDerivative(_acts[l - 1], _fs[l - 1], _hs[l], back);    // ⊙ act′(f_{l−1})
            delta = back;
        }
    }

    /// <summary>W_l ← W_l − η·DW_l, b_l ← b_l − η·DB_l with η = <see cref="LearningRate"/>.</summary>
    public void Step()
    {
        HandMath.CheckLearningRate(LearningRate, "Template24789Mlp.Step");
        for (int l = 0; l < _w.Length; l++)
        {
            HandMath.SgdStep(_w[l], _dw[l], LearningRate);
            HandMath.SgdStep(_b[l], _db[l], LearningRate);
        }
    }

    /// <summary>DW_l = 0, DB_l = 0.</summary>
    public void ZeroGrads()
    {
        foreach (var g in _dw) g.Fill_(0);
        foreach (var g in _db) g.Fill_(0);
    }

    /// <summary>E = (1/N) Σ_i [log Σ_j e^{f_ij} − f_{i, y_i}], the mean softmax cross-entropy of the last
    /// <see cref="Forward"/>'s logits (computed with the max shift: finite even when a probability underflows).</summary>
    public double GetLoss(Tensor labels)
    {
        var z = Output ?? throw new InvalidOperationException("Template24789Mlp.GetLoss: call Forward(x) first");
        return HandMath.CrossEntropy(z, HandMath.Labels(labels, z.Size(0), _sizes[^1], "Template24789Mlp.GetLoss"));
    }

    /// <summary>The number of rows of the last <see cref="Forward"/> whose argmax logit is not the label.</summary>
    public int GetError(Tensor labels)
    {
        var z = Output ?? throw new InvalidOperationException("Template24789Mlp.GetError: call Forward(x) first");
        var y = HandMath.Labels(labels, z.Size(0), _sizes[^1], "Template24789Mlp.GetError");
        var pred = HandMath.ArgMaxRows(z);
        int wrong = 0;
        for (int i = 0; i < y.Length; i++) if (pred[i] != y[i]) wrong++;
        return wrong;
    }

    /// <summary>Mean loss and accuracy on a set in batches (leaves <see cref="Output"/> at the last batch's logits).</summary>
    public (double Loss, double Accuracy) Evaluate(Tensor x, Tensor y, int batchSize = 1000)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Template24789Mlp.Evaluate: batch size must be positive, got {batchSize}");
        var xs = HandMath.AsMatrix(x, _sizes[0], DType, "Template24789Mlp.Evaluate");
        var labels = HandMath.Labels(y, xs.Size(0), _sizes[^1], "Template24789Mlp.Evaluate");
        return HandMlpLoop.Evaluate(xs, labels, batchSize, Forward);
    }

    /// <summary>The template's <c>get_training_stats</c>: mini-batch training (per batch ZeroGrads → Forward → GetLoss →
    /// Backward → Step) with the batch order of <see cref="HandMlpBatches"/>, recording every batch loss and, per
    /// epoch, training and validation loss and accuracy (error = 1 − accuracy). The learning rate is
    /// <see cref="LearningRate"/>; <paramref name="options"/>.LearningRate is ignored.</summary>
    public HandMlpHistory GetTrainingStats(Tensor x, Tensor y, HandMlpTrainOptions options, Tensor? validX = null, Tensor? validY = null,
        Action<HandMlpEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var xs = HandMath.AsMatrix(x, _sizes[0], DType, "Template24789Mlp.GetTrainingStats");
        var labels = HandMath.Labels(y, xs.Size(0), _sizes[^1], "Template24789Mlp.GetTrainingStats");
        return HandMlpLoop.Run(xs, labels, options, validX, validY, (xb, yb) =>
        {
            var yt = Tensor.FromArray(yb, yb.Length);
            ZeroGrads();
            Forward(xb);
            double loss = GetLoss(yt);
            Backward(yt);
            Step();
            return loss;
        }, (xe, ye) => Evaluate(xe, ye), onEpoch);
    }

    public override string ToString() =>
        $"Template24789Mlp(sizes=[{string.Join(", ", _sizes)}], activations=[{string.Join(", ", _acts)}], lr={LearningRate}, dtype={DType.Name()})";
}
