using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Nabla.NN;

namespace Nabla.Course;

/// <summary>
/// The multilayer perceptron of the classic MNIST homework, as one object with a PyTorch-like API:
/// h₀ = x, h_l = act(h_{l−1}·W_lᵀ + b_l) for the hidden layers, logits = h_{L−1}·W_Lᵀ + b_L, and the loss is the
/// softmax cross-entropy −log softmax(logits)_y averaged over the batch. Gradients come from Nabla's autograd (the
/// ops' hand-written backward passes), not from a second backprop; <see cref="Step"/> is plain SGD θ ← θ − η·∇θ.
/// Shape: x [N, LayerSizes[0]] (or [N, *] with that many elements per example) → logits [N, LayerSizes[^1]].
/// </summary>
/// <example><code>
/// var net = new ClassicMlp([784, 512, 256, 10], "relu", "glorot");
/// net.ZeroGrads(); net.GetLoss(x, y); net.Backward(); net.Step(0.1);   // one SGD step
/// double err = net.GetError(xTest, yTest); net.Save("model.npz");
/// </code></example>
/// <remarks>Course code (Nabla.Course), not core library: the homework's API, kept beside the other assignment classes.
/// It owns its loss, its update and its .npz file.</remarks>
public sealed partial class ClassicMlp : Module
{
    /// <summary>The activations the homework compares.</summary>
    public static readonly string[] ActivationNames = ["sigmoid", "tanh", "relu"];

    /// <summary>The weight initialisations: "normal" (N(0, NormalStd²), by default the standard normal N(0, 1) of the
    /// template's random_normal_weight_init), "glorot" (U(±√(6/(fan_in + fan_out)))), "zeros" (the homework's
    /// counter-example: all hidden units stay identical).</summary>
    public static readonly string[] InitNames = ["normal", "glorot", "zeros"];

    /// <summary>Default standard deviation of the "normal" initialisation: 1, the standard normal the 24789 template
    /// names. With 784 inputs it gives first-layer pre-activations of std ≈ √784·std(x) (≈ 10 for pixels in [0, 1]) and
    /// saturated sigmoid/tanh units; pass a smaller <c>normalStd</c> (0.01 is the common choice) to avoid that.</summary>
    public const double DefaultNormalStd = 1.0;

    private readonly int[] _sizes;
    private readonly Linear[] _layers;

    /// <param name="layerSizes">input size, hidden sizes..., number of classes (at least two entries)</param>
    /// <param name="activation">"sigmoid", "tanh" or "relu" (hidden layers only; the output is the logits)</param>
    /// <param name="init">"normal", "glorot" or "zeros" for the weights; biases always start at zero</param>
    /// <param name="normalStd">σ of the "normal" initialisation</param>
    public ClassicMlp(int[] layerSizes, string activation = "relu", string init = "glorot", double normalStd = DefaultNormalStd,
        Generator? generator = null, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Length < 2 || layerSizes.Any(s => s <= 0))
            throw new ArgumentException($"ClassicMlp: layer sizes must be at least two positive numbers (input, ..., classes), got [{string.Join(", ", layerSizes)}]");
        Activation = activation?.ToLowerInvariant() ?? throw new ArgumentNullException(nameof(activation));
        if (!ActivationNames.Contains(Activation))
            throw new ArgumentException($"ClassicMlp: unknown activation '{activation}'; choose from {string.Join(", ", ActivationNames)}");
        Init = init?.ToLowerInvariant() ?? throw new ArgumentNullException(nameof(init));
        if (!InitNames.Contains(Init))
            throw new ArgumentException($"ClassicMlp: unknown init '{init}'; choose from {string.Join(", ", InitNames)}");
        if (!(normalStd > 0) || !double.IsFinite(normalStd))
            throw new ArgumentException($"ClassicMlp: normalStd must be positive and finite, got {normalStd}");
        var dt = DefaultDType.Resolve(dtype);
        if (!dt.IsFloatingPoint()) throw DTypeMismatchException.Unsupported("ClassicMlp", dt);
        _sizes = (int[])layerSizes.Clone();
        NormalStd = normalStd;
        _layers = new Linear[_sizes.Length - 1];
        for (int l = 0; l < _layers.Length; l++)
            _layers[l] = RegisterModule($"fc{l + 1}", new Linear(_sizes[l], _sizes[l + 1], dtype: dt, generator: generator));
        ResetParameters(generator);
    }

    /// <summary>Input size, hidden sizes, number of classes.</summary>
    public IReadOnlyList<int> LayerSizes => _sizes;

    public int InputSize => _sizes[0];
    public int Classes => _sizes[^1];
    public string Activation { get; }
    public string Init { get; }
    public double NormalStd { get; }

    /// <summary>The affine layers fc1 .. fcL (state-dict keys "fc1.weight", "fc1.bias", ...).</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    /// <summary>The loss of the last <see cref="GetLoss"/> call that recorded a graph; <see cref="Backward()"/> uses it.</summary>
    public Tensor? LastLoss { get; private set; }

    /// <summary>Weights by <see cref="Init"/>: N(0, σ²), Glorot U(−d, d) with d = √(6/(fan_in + fan_out)), or 0; b = 0.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        foreach (var fc in _layers)
        {
            switch (Init)
            {
                case "normal": NN.Init.Normal_(fc.Weight, 0, NormalStd, generator); break;
                case "glorot": NN.Init.XavierUniform_(fc.Weight, 1, generator); break;
                default: NN.Init.Zeros_(fc.Weight); break;
            }
            NN.Init.Zeros_(fc.Bias!);
        }
    }

    /// <summary>The logits [N, Classes] of a batch x [N, InputSize] (or [N, *]).</summary>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        long perExample = 1;
        for (int d = 1; d < x.Rank; d++) perExample *= x.Size(d);
        if (x.Rank < 2 || perExample != InputSize)
            throw ShapeMismatchException.For("ClassicMlp", $"input must be [N, {InputSize}] (or [N, *] with {InputSize} elements per example)", x.Shape.ToArray());
        var h = x.Rank == 2 ? x : x.Flatten(1);
        for (int l = 0; l < _layers.Length - 1; l++)
            h = Activate(_layers[l].Invoke(h));                  // [N, LayerSizes[l+1]]
        return _layers[^1].Invoke(h);                             // [N, Classes]
    }

    private Tensor Activate(Tensor z) => Activation switch
    {
        "sigmoid" => z.Sigmoid(),
        "tanh" => z.Tanh(),
        _ => z.Relu(),
    };

    /// <summary>Mean softmax cross-entropy of the batch; <paramref name="y"/> is int32 labels [N] or one-hot rows
    /// [N, Classes]. When gradients are enabled the loss is kept for <see cref="Backward()"/>.</summary>
    public Tensor GetLoss(Tensor x, Tensor y)
    {
        var logits = Forward(x);
        var loss = logits.CrossEntropy(LabelsOf(y, logits.Size(0)));
        LastLoss = loss.RequiresGrad ? loss : null;
        return loss;
    }

    /// <summary>Back-propagates the loss of the last <see cref="GetLoss"/>; gradients accumulate into each
    /// parameter's Grad (call <see cref="ZeroGrads"/> between steps, as in PyTorch).</summary>
    public void Backward()
    {
        var loss = LastLoss ?? throw new InvalidOperationException(
            "ClassicMlp.Backward: no loss to differentiate; call GetLoss(x, y) with gradients enabled first (each loss is back-propagated once)");
        Backward(loss);
    }

    /// <summary>Back-propagates a scalar loss computed from this model's outputs (e.g. with a penalty added).</summary>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Numel != 1) throw ShapeMismatchException.For("ClassicMlp.Backward", "the loss must be a scalar", loss.Shape.ToArray());
        LastLoss = null;
        loss.Backward();
    }

    /// <summary>One step of plain gradient descent on every parameter that has a gradient: θ ← θ − η·∂L/∂θ.</summary>
    public void Step(double learningRate)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"ClassicMlp.Step: learning rate must be non-negative and finite, got {learningRate}");
        foreach (var p in Parameters())
        {
            if (p.Grad is not { } g) continue;
            if (!p.IsContiguous || !g.IsContiguous) throw new NablaException("ClassicMlp.Step: a parameter or its gradient is not contiguous");
            if (p.DType == DType.Float32) TensorPrimitives.MultiplyAdd(g.AsSpan<float>(), (float)-learningRate, p.AsSpan<float>(), p.AsSpan<float>());
            else TensorPrimitives.MultiplyAdd(g.AsSpan<double>(), -learningRate, p.AsSpan<double>(), p.AsSpan<double>());
        }
    }

    /// <summary>Sets every parameter gradient to zero (PyTorch's <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrads() => ZeroGrad();

    /// <summary>Predicted classes argmax_j logits[i, j] (no graph recorded; batches of <paramref name="batchSize"/> rows).</summary>
    public int[] Predict(Tensor x, int batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(x);
        var pred = new int[x.Rank == 0 ? 0 : x.Size(0)];
        ForBatches(x, null, batchSize, (start, logits, _) => ArgMaxRows(logits, pred, start));
        return pred;
    }

    /// <summary>Fraction of misclassified examples (0 = all right), without recording a graph.</summary>
    public double GetError(Tensor x, Tensor y) => Evaluate(x, y).Error;

    /// <summary>Mean cross-entropy and error of a (possibly large) set, in batches, without recording a graph.</summary>
    public (double Loss, double Error) Evaluate(Tensor x, Tensor y, int batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Rank == 0 ? 0 : x.Size(0);
        var labels = LabelsOf(y, n);
        if (n == 0) return (double.NaN, double.NaN);
        double lossSum = 0;
        var pred = new int[n];
        ForBatches(x, labels, batchSize, (start, logits, yb) =>
        {
            lossSum += logits.CrossEntropy(yb!, LossReduction.Sum).Item();
            ArgMaxRows(logits, pred, start);
        });
        var truth = labels.ToArray<int>();
        int wrong = 0;
        for (int i = 0; i < n; i++) if (pred[i] != truth[i]) wrong++;
        return (lossSum / n, (double)wrong / n);
    }

    /// <summary>Runs the model on consecutive batches under no-grad: body(first row, logits, labels of the batch).</summary>
    private void ForBatches(Tensor x, Tensor? y, int batchSize, Action<int, Tensor, Tensor?> body)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"ClassicMlp: batch size must be positive, got {batchSize}");
        using var _ = GradMode.NoGrad();
        int n = x.Rank == 0 ? 0 : x.Size(0);
        for (int start = 0; start < n; start += batchSize)
        {
            int len = Math.Min(batchSize, n - start);
            body(start, Forward(x.Narrow(0, start, len)), y?.Narrow(0, start, len));
        }
    }

    private void ArgMaxRows(Tensor logits, int[] pred, int start)
    {
        var z = logits.ToDoubleArray();
        int c = Classes;
        for (int i = 0; i * c < z.Length; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + best]) best = j;
            pred[start + i] = best;
        }
    }

    /// <summary>int32 labels [N] from int32 labels [N] or one-hot (any floating dtype) rows [N, Classes].</summary>
    private Tensor LabelsOf(Tensor y, int n)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.DType == DType.Int32 && y.Rank == 1 && y.Size(0) == n) return y;
        if (y.DType.IsFloatingPoint() && y.Rank == 2 && y.Size(0) == n && y.Size(1) == Classes)
        {
            var v = y.ToDoubleArray();
            var labels = new int[n];
            for (int i = 0; i < n; i++)
                for (int j = 1; j < Classes; j++) if (v[i * Classes + j] > v[i * Classes + labels[i]]) labels[i] = j;
            return Tensor.FromArray(labels, n);
        }
        throw ShapeMismatchException.For("ClassicMlp", $"targets must be int32 labels [{n}] or one-hot rows [{n}, {Classes}] (got {y.DType.Name()})", y.Shape.ToArray());
    }

    protected override string ExtraRepr() =>
        $"layer_sizes=[{string.Join(", ", _sizes)}], activation={Activation}, init={Init}{(Init == "normal" ? $", std={NormalStd}" : "")}";
}
