
namespace Nabla.Course.Models;

/// <summary>
/// The shared body of the EECS 498 binary classifiers (<c>logistic.py</c>, <c>svm.py</c>): one score per example,
/// s = X̃·W1 + b1 without a hidden layer, or s = ReLU(X̃·W1 + b1)·W2 + b2 with one of <c>hiddenDim</c> units; the
/// prediction is s &gt; 0 (class 1). The output loss is the subclass's. Labels are 0/1 (−1 is accepted for class 0).
/// </summary>
/// <remarks>Shapes: x [N, D] (or [N, d1, …] with d1·… = D) → scores [N]. Parameters: W1 [D, H or 1], b1, and with a
/// hidden layer W2 [H, 1], b2 [1].</remarks>
public abstract class BinaryClassifier : LayerModel
{
    protected BinaryClassifier(int inputDim, int? hiddenDim, double weightScale, double reg, DType dtype, Generator generator)
        : base(weightScale, reg, dtype, generator)
    {
        if (inputDim <= 0) throw new ArgumentOutOfRangeException(nameof(inputDim), $"{GetType().Name}: inputDim must be positive, got {inputDim}");
        if (hiddenDim is <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenDim), $"{GetType().Name}: hiddenDim must be positive or null (no hidden layer), got {hiddenDim}");
        InputDim = inputDim;
        HiddenDim = hiddenDim;
        if (hiddenDim is int h)
        {
            AddLayer(1, [inputDim, h], h);
            AddLayer(2, [h, 1], 1);
        }
        else AddLayer(1, [inputDim, 1], 1);
    }

    public int InputDim { get; }

    /// <summary>Width of the ReLU hidden layer, or null for the linear model.</summary>
    public int? HiddenDim { get; }

    /// <summary>The output layer: (loss, ∂loss/∂s) of scores s [N] against 0/1 labels.</summary>
    protected abstract (double Loss, Tensor Dscores) OutputLoss(Tensor scores, Tensor y);

    public override Tensor Scores(Tensor x) => Forward(Input(x, [InputDim])).Scores;

    public override (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        var (scores, top, hidden) = Forward(Input(x, [InputDim]));
        var (loss, ds) = OutputLoss(scores, y);
        var grads = new Dictionary<string, Tensor>();
        var dtop = ds.Reshape(ds.Numel, 1);   // [N] → [N, 1]
        if (hidden is null)
        {
            var (_, dw, db) = Layers.AffineBackward(dtop, top);
            (grads["W1"], grads["b1"]) = (dw, db);
        }
        else
        {
            var (dh, dw2, db2) = Layers.AffineBackward(dtop, top);
            var (_, dw1, db1) = Layers.AffineReluBackward(dh, hidden);
            (grads["W1"], grads["b1"], grads["W2"], grads["b2"]) = (dw1, db1, dw2, db2);
        }
        return (Regularize(loss, grads), grads);
    }

    private (Tensor Scores, Layers.AffineCache Top, Layers.AffineReluCache? Hidden) Forward(Tensor x)
    {
        if (HiddenDim is null)
        {
            var (s, c) = Layers.AffineForward(x, P("W1"), P("b1"));
            return (s.Reshape(s.Shape[0]), c, null);
        }
        var (h, hc) = Layers.AffineReluForward(x, P("W1"), P("b1"));
        var (s2, c2) = Layers.AffineForward(h, P("W2"), P("b2"));
        return (s2.Reshape(s2.Shape[0]), c2, hc);
    }
}
