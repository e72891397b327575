using System.Numerics;

namespace Nabla;

/// <summary>
/// Negative log-likelihood of log-probabilities x [N, C] (or [N, C, d…]) and int32 labels y [N] (or [N, d…]):
/// ℓ_k = −w_{y_k}·x_{k,y_k}. ∂ℓ_k/∂x_{k,j} = −w_{y_k}·1[j = y_k]; with Mean divided by Σ_k w_{y_k}.
/// </summary>
public sealed class NllLossOp : Node
{
    private int[] _inputShape = [];
    private Array _weights = null!;     // [N·Πd] w_{y_k}, T[]
    private ClassTargets _targets = null!;
    private LossReduction _reduction;
    private double _denominator;

    public static Tensor Forward(Tensor logProbs, Tensor labels, LossReduction reduction = LossReduction.Mean,
        Tensor? weight = null, int ignoreIndex = -100)
    {
        var tg = ClassTargets.Create("NllLoss", logProbs, labels, weight, ignoreIndex);
        var x = logProbs.ContiguousRaw();
        var node = new NllLossOp { _inputShape = logProbs.Shape.ToArray(), _targets = tg, _reduction = reduction };
        var y = logProbs.DType == DType.Float32 ? node.Run<float>(x, weight) : node.Run<double>(x, weight);
        return node.Record(y, logProbs);
    }

    private Tensor Run<T>(Tensor x, Tensor? weight) where T : IFloatingPointIeee754<T>
    {
        var tg = _targets;
        var xs = x.AsSpan<T>();
        var w = tg.TermWeights<T>(weight, out _denominator);
        var terms = new T[w.Length];
        for (int k = 0; k < terms.Length; k++)
            if (w[k] != T.Zero) terms[k] = -w[k] * xs[tg.At(k, tg.Labels[k])];
        _weights = w;
        return LossCore.Reduce(terms, tg.LossShape, _reduction, _denominator);
    }

    public override Tensor?[] Backward(Tensor gradOutput) =>
        [_weights is float[] ? BackwardCore<float>(gradOutput) : BackwardCore<double>(gradOutput)];

    private Tensor BackwardCore<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        var tg = _targets;
        var w = (T[])_weights;
        var scale = LossCore.Scales<T>(gradOutput, w.Length, _reduction, _denominator);
        var dx = Tensor.Zeros(_inputShape, DTypeExtensions.Of<T>());
        var d = dx.AsSpan<T>();
        for (int k = 0; k < w.Length; k++)
            if (w[k] != T.Zero) d[tg.At(k, tg.Labels[k])] = -scale[k] * w[k];
        return dx;
    }
}

public static partial class TensorOps
{
    extension(Tensor logProbs)
    {
        /// <summary>Negative log-likelihood of log-probabilities [N, C, d…] and int32 labels [N, d…] (like <c>F.nll_loss</c>).</summary>
        public Tensor NllLoss(Tensor labels, LossReduction reduction = LossReduction.Mean, Tensor? weight = null, int ignoreIndex = -100) =>
            NllLossOp.Forward(logProbs, labels, reduction, weight, ignoreIndex);
    }
}
