using Nabla.NN;

namespace Nabla.Course;

/// <summary>
/// The MLP of IFT6135 (H2019) Problem 1 in the assignment's class structure (<c>initialize_weights</c>,
/// <c>forward</c>, <c>activation</c>, <c>loss</c>, <c>softmax</c>, <c>backward</c>, <c>update</c>, <c>train</c>,
/// <c>test</c>), with the forward and backward passes written out layer by layer and no automatic differentiation:
/// the parameters never require grad, and every gradient below is computed by the formula beside it.
/// <para>Forward, for l = 1 … L (h^0 = x):
/// a^l = h^{l−1}·W^lᵀ + b^l, h^l = g(a^l) for l &lt; L; p = softmax(a^L);
/// L = −(1/N) Σ_i log p_{i, y_i}.</para>
/// <para>Backward (δ^l = ∂L/∂a^l, [N, h^l]):
/// δ^L = (p − onehot(y)) / N;
/// ∂L/∂W^l = δ^lᵀ·h^{l−1} ([h^l, h^{l−1}]); ∂L/∂b^l = Σ_i δ^l_i;
/// δ^{l−1} = (δ^l·W^l) ⊙ g′(a^{l−1}).</para>
/// <para>Update (SGD): W^l ← W^l − η·∂L/∂W^l, b^l ← b^l − η·∂L/∂b^l.</para>
/// Shape: x [N, h^0] (or [N, *] with h^0 elements per example) → logits [N, h^L]. Weights W^l are [h^l, h^{l−1}]
/// (the layout of <c>Linear</c>, so they copy into a library MLP unchanged). The parameters' dtype (float32 or
/// float64) is the arithmetic's; inputs are converted to it.
/// </summary>
/// <example><code>
/// var net = new Ift6135Mlp([784, 512, 512, 10], HandActivation.Relu, HandMlpInit.Glorot, DType.Float32, new Generator(1));
/// var cache = net.Forward(x);                      // x [64, 784]
/// double loss = net.Loss(cache.Logits, y);         // y int32 [64]
/// net.Update(net.Backward(cache, y), 0.1);
/// </code></example>
public sealed class Ift6135Mlp
{
    private readonly int[] _dims;
    private readonly Tensor[] _w, _b;

    /// <param name="dims">h^0 (inputs), hidden sizes h^1 … h^{L−1}, h^L (classes); at least two entries</param>
    public Ift6135Mlp(int[] dims, HandActivation activation = HandActivation.Relu, HandMlpInit init = HandMlpInit.Glorot,
        DType dtype = DType.Float64, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length < 2 || dims.Any(d => d <= 0))
            throw new ArgumentException($"Ift6135Mlp: dims must be at least two positive sizes (inputs, ..., classes), got [{string.Join(", ", dims)}]");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Ift6135Mlp: unknown activation");
        if (!dtype.IsFloatingPoint()) throw DTypeMismatchException.Unsupported("Ift6135Mlp", dtype);
        _dims = (int[])dims.Clone();
        ActivationKind = activation;
        DType = dtype;
        _w = new Tensor[dims.Length - 1];
        _b = new Tensor[dims.Length - 1];
        for (int l = 0; l < _w.Length; l++)
        {
            _w[l] = Tensor.Zeros([dims[l + 1], dims[l]], dtype);
            _b[l] = Tensor.Zeros([dims[l + 1]], dtype);
        }
        InitializeWeights(init, generator);
    }

    /// <summary>h^0 … h^L.</summary>
    public IReadOnlyList<int> Dims => _dims;

    /// <summary>g, the hidden layers' non-linearity.</summary>
    public HandActivation ActivationKind { get; }

    public DType DType { get; }

    /// <summary>W^1 … W^L, each [h^l, h^{l−1}] (live tensors: writes change the network).</summary>
    public IReadOnlyList<Tensor> Weights => _w;

    /// <summary>b^1 … b^L, each [h^l].</summary>
    public IReadOnlyList<Tensor> Biases => _b;

    /// <summary>Σ_l h^l·h^{l−1} + h^l (weights and biases).</summary>
    public long ParameterCount => _w.Sum(w => (long)w.Numel) + _b.Sum(b => (long)b.Numel);

    /// <summary>Biases 0; weights by <paramref name="scheme"/>: 0, N(0, 1), or Glorot U(−d^l, d^l) with
    /// d^l = √(6/(h^{l−1} + h^l)).</summary>
    public void InitializeWeights(HandMlpInit scheme, Generator? generator = null)
    {
        for (int l = 0; l < _w.Length; l++)
        {
            switch (scheme)
            {
                case HandMlpInit.Zero: _w[l].Fill_(0); break;
                case HandMlpInit.Normal: Init.Normal_(_w[l], 0, 1, generator); break;
                case HandMlpInit.Glorot: Init.XavierUniform_(_w[l], 1, generator); break;   // fans of [h^l, h^{l−1}]
                default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Ift6135Mlp: unknown initialisation");
            }
            _b[l].Fill_(0);
        }
    }

    /// <summary>a^l = h^{l−1}·W^lᵀ + b^l and h^l = g(a^l) for every layer; returns all of them for <see cref="Backward"/>.</summary>
    public Ift6135Cache Forward(Tensor x)
    {
        var h = HandMath.AsMatrix(x, _dims[0], DType, "Ift6135Mlp.Forward");
        var hs = new List<Tensor> { h };
        var zs = new List<Tensor>();
        for (int l = 0; l < _w.Length; l++)
        {
            var a = HandMath.Affine(h, _w[l], _b[l], weightIsOutIn: true);   // [N, h^l]
            zs.Add(a);
            if (l == _w.Length - 1) break;
            h = Activation(a);
            hs.Add(h);
        }
        return new Ift6135Cache(hs, zs);
    }

    /// <summary>g(a) element-wise (sigmoid, tanh or ReLU), a fresh tensor.</summary>
    public Tensor Activation(Tensor a) => HandMath.Activate(ActivationKind, a);

    /// <summary>Row-wise softmax p_ik = e^{a_ik − m_i} / Σ_j e^{a_ij − m_i}, m_i = max_j a_ij.</summary>
    public Tensor Softmax(Tensor a) => HandMath.SoftmaxRows(a.IsContiguous ? a : a.Contiguous());

    /// <summary>L = −(1/N) Σ_i log softmax(a^L)_{i, y_i}, computed from the logits as log Σ_j e^{a_ij} − a_{i, y_i}
    /// (finite even where a probability underflows). <paramref name="labels"/>: int32 [N] or one-hot [N, K].</summary>
    public double Loss(Tensor logits, Tensor labels)
    {
        var z = logits.IsContiguous ? logits : logits.Contiguous();
        return HandMath.CrossEntropy(z, HandMath.Labels(labels, z.Size(0), _dims[^1], "Ift6135Mlp.Loss"));
    }

    /// <summary>
    /// The gradients of the mean cross-entropy, layer by layer from the top:
    /// δ^L = (softmax(a^L) − onehot(y)) / N; then for l = L … 1: ∂L/∂W^l = δ^lᵀ·h^{l−1}, ∂L/∂b^l = Σ_i δ^l_i, and
    /// δ^{l−1} = (δ^l·W^l) ⊙ g′(a^{l−1}) with σ′ = h(1 − h), tanh′ = 1 − h², ReLU′ = 1[a &gt; 0].
    /// </summary>
    public Ift6135Gradients Backward(Ift6135Cache cache, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return Backward(cache, HandMath.Labels(labels, cache.BatchSize, _dims[^1], "Ift6135Mlp.Backward"));
    }

    private Ift6135Gradients Backward(Ift6135Cache cache, int[] labels)
    {
        int layers = _w.Length;
        var gw = new Tensor[layers];
        var gb = new Tensor[layers];
        var delta = HandMath.OutputDelta(cache.Logits, labels);              // δ^L [N, h^L]
        for (int l = layers - 1; l >= 0; l--)
        {
            gw[l] = delta.T.MatMul(cache.Activations[l]);                     // δ^lᵀ·h^{l−1}  [h^l, h^{l−1}]
            gb[l] = HandMath.ColumnSums(delta);                               // Σ_i δ^l_i     [h^l]
            if (l == 0) break;
            var back = delta.MatMul(_w[l]);                                   // δ^l·W^l       [N, h^{l−1}]
            HandMath.MultiplyByDerivative(ActivationKind, cache.PreActivations[l - 1], cache.Activations[l], back);
            delta = back;                                                     // δ^{l−1}
        }
        return new Ift6135Gradients(gw, gb);
    }

    /// <summary>One SGD step: W^l ← W^l − η·∂L/∂W^l, b^l ← b^l − η·∂L/∂b^l.</summary>
    public void Update(Ift6135Gradients grads, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(grads);
        HandMath.CheckLearningRate(learningRate, "Ift6135Mlp.Update");
        if (grads.Weights.Count != _w.Length || grads.Biases.Count != _b.Length)
            throw new ArgumentException($"Ift6135Mlp.Update: expected gradients for {_w.Length} layers, got {grads.Weights.Count} and {grads.Biases.Count}");
        for (int l = 0; l < _w.Length; l++)
        {
            Check(_w[l], grads.Weights[l], $"W{l + 1}");
            Check(_b[l], grads.Biases[l], $"b{l + 1}");
            HandMath.SgdStep(_w[l], grads.Weights[l], learningRate);
            HandMath.SgdStep(_b[l], grads.Biases[l], learningRate);
        }

        static void Check(Tensor p, Tensor g, string name)
        {
            if (!p.Shape.SequenceEqual(g.Shape) || p.DType != g.DType || !g.IsContiguous)
                throw ShapeMismatchException.For($"Ift6135Mlp.Update ({name})", $"the gradient must be a contiguous {p.DType.Name()} tensor of the parameter's shape", p.Shape.ToArray(), g.Shape.ToArray());
        }
    }

    /// <summary>Mini-batch SGD on (x, y): per batch Forward → Loss → Backward → Update; the history records every batch
    /// loss (before its update) and, per epoch, the training-set and validation loss and accuracy.</summary>
    public HandMlpHistory Train(Tensor x, Tensor y, HandMlpTrainOptions options, Tensor? validX = null, Tensor? validY = null,
        Action<HandMlpEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var xs = HandMath.AsMatrix(x, _dims[0], DType, "Ift6135Mlp.Train");
        var labels = HandMath.Labels(y, xs.Size(0), _dims[^1], "Ift6135Mlp.Train");
        return HandMlpLoop.Run(xs, labels, options, validX, validY, (xb, yb) =>
        {
            var cache = Forward(xb);
            double loss = HandMath.CrossEntropy(cache.Logits, yb);
            Update(Backward(cache, yb), options.LearningRate);
            return loss;
        }, (xe, ye) => Test(xe, ye), onEpoch);
    }

    /// <summary>Mean cross-entropy and accuracy (fraction right) on a set, in batches of <paramref name="batchSize"/>.</summary>
    public (double Loss, double Accuracy) Test(Tensor x, Tensor y, int batchSize = 1000)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Ift6135Mlp.Test: batch size must be positive, got {batchSize}");
        var xs = HandMath.AsMatrix(x, _dims[0], DType, "Ift6135Mlp.Test");
        var labels = HandMath.Labels(y, xs.Size(0), _dims[^1], "Ift6135Mlp.Test");
        return HandMlpLoop.Evaluate(xs, labels, batchSize, xb => Forward(xb).Logits);
    }

    /// <summary>argmax_k a^L_ik for every row.</summary>
    public int[] Predict(Tensor x) => HandMath.ArgMaxRows(Forward(x).Logits);

    public override string ToString() =>
        $"Ift6135Mlp(dims=[{string.Join(", ", _dims)}], activation={ActivationKind}, dtype={DType.Name()}, parameters={ParameterCount:N0})";
}
