
namespace Nabla.Course.Models;

/// <summary>
/// The two-layer network of cs231n / EECS 498 (<c>fc_net.py</c>): affine – ReLU – affine – softmax,
/// scores = ReLU(X̃·W1 + b1)·W2 + b2, loss = <see cref="Layers.SoftmaxLoss"/> + ½·reg·(‖W1‖² + ‖W2‖²).
/// </summary>
/// <remarks>Shapes: x [N, D] (or [N, d1, …]) → scores [N, C]; W1 [D, H], b1 [H], W2 [H, C], b2 [C].</remarks>
public sealed class TwoLayerNet : LayerModel
{
    public TwoLayerNet(int inputDim = 3 * 32 * 32, int hiddenDim = 100, int numClasses = 10, double weightScale = 1e-3, double reg = 0.0,
        DType dtype = DType.Float64, ulong seed = 0, Generator? generator = null)
        : base(weightScale, reg, dtype, generator ?? new Generator(seed))
    {
        if (inputDim <= 0 || hiddenDim <= 0) throw new ArgumentOutOfRangeException(inputDim <= 0 ? nameof(inputDim) : nameof(hiddenDim),
            $"TwoLayerNet: inputDim and hiddenDim must be positive, got {inputDim} and {hiddenDim}");
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), $"TwoLayerNet: numClasses must be ≥ 2, got {numClasses}");
        (InputDim, HiddenDim, NumClasses) = (inputDim, hiddenDim, numClasses);
        AddLayer(1, [inputDim, hiddenDim], hiddenDim);
        AddLayer(2, [hiddenDim, numClasses], numClasses);
    }

    public int InputDim { get; }

    public int HiddenDim { get; }

    public int NumClasses { get; }

    public override Tensor Scores(Tensor x)
    {
        var (h, _) = Layers.AffineReluForward(Input(x, [InputDim]), P("W1"), P("b1"));
        return Layers.AffineForward(h, P("W2"), P("b2")).Out;
    }

    public override (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        var (h, c1) = Layers.AffineReluForward(Input(x, [InputDim]), P("W1"), P("b1"));
        var (scores, c2) = Layers.AffineForward(h, P("W2"), P("b2"));
        var (loss, ds) = Layers.SoftmaxLoss(scores, y);
        var (dh, dw2, db2) = Layers.AffineBackward(ds, c2);
        var (_, dw1, db1) = Layers.AffineReluBackward(dh, c1);
        var grads = new Dictionary<string, Tensor> { ["W1"] = dw1, ["b1"] = db1, ["W2"] = dw2, ["b2"] = db2 };
        return (Regularize(loss, grads), grads);
    }
}
