
namespace Nabla.Course.Models;

/// <summary>
/// Softmax regression (EECS 498 HW1 Q4, <c>softmax.py</c>), optionally with one ReLU hidden layer:
/// scores = X̃·W1 + b1, or ReLU(X̃·W1 + b1)·W2 + b2; loss = <see cref="Layers.SoftmaxLoss"/> + ½·reg·Σ‖W‖².
/// </summary>
/// <remarks>Shapes: x [N, D] (or [N, d1, …], e.g. MNIST [N, 1, 28, 28] with D = 784) → scores [N, C]; labels int32 [N].
/// Parameters: W1 [D, C or H], b1, and with a hidden layer W2 [H, C], b2 [C].</remarks>
public sealed class SoftmaxClassifier : LayerModel
{
    public SoftmaxClassifier(int inputDim = 28 * 28, int? hiddenDim = null, int numClasses = 10, double weightScale = 1e-3, double reg = 0.0,
        DType dtype = DType.Float64, ulong seed = 0, Generator? generator = null)
        : base(weightScale, reg, dtype, generator ?? new Generator(seed))
    {
        if (inputDim <= 0) throw new ArgumentOutOfRangeException(nameof(inputDim), $"SoftmaxClassifier: inputDim must be positive, got {inputDim}");
        if (hiddenDim is <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenDim), $"SoftmaxClassifier: hiddenDim must be positive or null (no hidden layer), got {hiddenDim}");
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), $"SoftmaxClassifier: numClasses must be ≥ 2, got {numClasses}");
        (InputDim, HiddenDim, NumClasses) = (inputDim, hiddenDim, numClasses);
        if (hiddenDim is int h)
        {
            AddLayer(1, [inputDim, h], h);
            AddLayer(2, [h, numClasses], numClasses);
        }
        else AddLayer(1, [inputDim, numClasses], numClasses);
    }

    public int InputDim { get; }

    /// <summary>Width of the ReLU hidden layer, or null for the linear model.</summary>
    public int? HiddenDim { get; }

    public int NumClasses { get; }

    public override Tensor Scores(Tensor x) => Forward(Input(x, [InputDim])).Scores;

    public override (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        var (scores, top, hidden) = Forward(Input(x, [InputDim]));
        var (loss, ds) = Layers.SoftmaxLoss(scores, y);
        var grads = new Dictionary<string, Tensor>();
        var (dh, dwTop, dbTop) = Layers.AffineBackward(ds, top);
        if (hidden is null) (grads["W1"], grads["b1"]) = (dwTop, dbTop);
        else
        {
            var (_, dw1, db1) = Layers.AffineReluBackward(dh, hidden);
            (grads["W1"], grads["b1"], grads["W2"], grads["b2"]) = (dw1, db1, dwTop, dbTop);
        }
        return (Regularize(loss, grads), grads);
    }

    private (Tensor Scores, Layers.AffineCache Top, Layers.AffineReluCache? Hidden) Forward(Tensor x)
    {
        if (HiddenDim is null)
        {
            var (s, c) = Layers.AffineForward(x, P("W1"), P("b1"));
            return (s, c, null);
        }
        var (h, hc) = Layers.AffineReluForward(x, P("W1"), P("b1"));
        var (s2, c2) = Layers.AffineForward(h, P("W2"), P("b2"));
        return (s2, c2, hc);
    }
}
