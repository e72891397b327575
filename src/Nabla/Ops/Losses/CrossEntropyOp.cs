using System.Numerics;
using Nabla.Tensors.Kernels;

namespace Nabla;

/// <summary>
/// Cross-entropy of logits x [N, C] (or [N, C, d…]) against int32 labels y [N] (or [N, d…]), fused log-softmax + NLL:
/// ℓ_k = w_{y_k}·(log Σ_j exp x_{k,j} − x_{k,y_k}) (w = class weights, 1 by default; ignored labels give 0).
/// ∂ℓ_k/∂x_{k,j} = w_{y_k}·(softmax(x_k)_j − 1[j = y_k]); with Mean this is divided by Σ_k w_{y_k} (N when unweighted).
/// </summary>
/// <remarks>Stable for huge logits: log Σ exp is max + log Σ exp(x − max), and softmax = exp((x − max) − logSum) ≤ 1.</remarks>
internal sealed class CrossEntropyOp : Node
{
    private Tensor _input = null!;      // logits, contiguous
    private Array _max = null!, _logSum = null!;   // [N·Πd] per term: log Σ exp x = max + logSum, T[]
    private Array _weights = null!;     // [N·Πd] w_{y_k}, T[]
    private ClassTargets _targets = null!;
    private LossReduction _reduction;
    private double _denominator;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor logits, Tensor labels, LossReduction reduction = LossReduction.Mean,
        Tensor? weight = null, int ignoreIndex = -100)
    {
        var tg = ClassTargets.Create("CrossEntropy", logits, labels, weight, ignoreIndex);
        var x = logits.ContiguousRaw();
        var node = new CrossEntropyOp { _input = x.Detach(), _targets = tg, _reduction = reduction };
        var y = logits.DType == DType.Float32 ? node.Run<float>(x, weight) : node.Run<double>(x, weight);
        return node.Record(y, logits);
    }

    private Tensor Run<T>(Tensor x, Tensor? weight) where T : IFloatingPointIeee754<T>
    {
        var tg = _targets;
        var xs = x.AsSpan<T>();
        var max = new T[tg.Labels.Length];
        var logSum = new T[max.Length];
        SoftmaxKernel.LogSumExp<T>(xs, max, logSum, tg.Outer, tg.Classes, tg.Inner);
        var w = tg.TermWeights<T>(weight, out _denominator);
        var terms = new T[max.Length];
        for (int k = 0; k < terms.Length; k++)   // −log softmax_y = (max − x_y) + logSum
            if (w[k] != T.Zero) terms[k] = w[k] * (max[k] - xs[tg.At(k, tg.Labels[k])] + logSum[k]);
        _max = max;
        _logSum = logSum;
        _weights = w;
        return LossCore.Reduce(terms, tg.LossShape, _reduction, _denominator);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [_input.DType == DType.Float32 ? BackwardCore<float>(gradOutput) : BackwardCore<double>(gradOutput)];

    private Tensor BackwardCore<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        var tg = _targets;
        var w = (T[])_weights;
        var scale = LossCore.Scales<T>(gradOutput, w.Length, _reduction, _denominator);
        for (int k = 0; k < scale.Length; k++) scale[k] = w[k] == T.Zero ? T.Zero : scale[k] * w[k];
        var dx = OpBuffers.Uninitialized(_input.Shape.ToArray(), _input.DType);
        CrossEntropyKernel.Backward<T>(_input.AsSpan<T>(), (T[])_max, (T[])_logSum, tg.Labels, scale, dx.AsSpan<T>(), tg.Outer, tg.Classes, tg.Inner);
        return dx;
    }
}

public static partial class TensorOps
{
    extension(Tensor logits)
    {
        /// <summary>Cross-entropy of logits [N, C, d…] with int32 class labels [N, d…] (like <c>F.cross_entropy</c>):
        /// optional class <paramref name="weight"/> [C]; labels equal to <paramref name="ignoreIndex"/> contribute nothing.
        /// <paramref name="labelSmoothing"/> ε mixes the one-hot target with the uniform one, as PyTorch:
        /// ℓ_k = (1 − ε)·(−log p_{k,y_k}) + ε·(1/C)·Σ_c (−log p_{k,c}); composed from differentiable ops (not yet with class weights). ∂/∂logits = softmax(logits) − onehot(label) per row (with smoothing, weights and the reduction's scale applied).</summary>
        public Tensor CrossEntropy(Tensor labels, LossReduction reduction = LossReduction.Mean, Tensor? weight = null, int ignoreIndex = -100,
            double labelSmoothing = 0)
        {
            if (labelSmoothing is < 0 or > 1 || double.IsNaN(labelSmoothing))
                throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"CrossEntropy: label smoothing must be in [0, 1], got {labelSmoothing}");
            var ce = CrossEntropyOp.Forward(logits, labels, reduction, weight, ignoreIndex);
            if (labelSmoothing == 0) return ce;
            if (weight is not null)
                throw new NotSupportedException("CrossEntropy: label smoothing together with class weights is not implemented");
            // Per term: mean over the classes of −log softmax, zero where the label is ignored.
            var labelValues = labels.ContiguousRaw().ToArray<int>();
            var keep = Array.ConvertAll(labelValues, v => v == ignoreIndex ? 0.0 : 1.0);
            var mask = Tensor.FromArray(keep, labels.Shape.ToArray()).To(logits.DType);
            var uniform = logits.LogSoftmax(1).Mean(1).Mul(mask).Mul(-1.0);
            var smooth = reduction switch
            {
                LossReduction.Mean => uniform.Sum().Div(Math.Max(1, keep.Sum())),
                LossReduction.Sum => uniform.Sum(),
                _ => uniform,
            };
            return ce.Mul(1 - labelSmoothing).Add(smooth.Mul(labelSmoothing));
        }
    }
}
