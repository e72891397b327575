using System.Numerics;
using Nabla.Autograd;
using Nabla.Tensors;
using Nabla.Tensors.Kernels;

namespace Nabla.Ops;

/// <summary>
/// Cross-entropy of logits x [N, C] (or [N, C, d…]) against int32 labels y [N] (or [N, d…]), fused log-softmax + NLL:
/// ℓ_k = w_{y_k}·(log Σ_j exp x_{k,j} − x_{k,y_k}) (w = class weights, 1 by default; ignored labels give 0).
/// ∂ℓ_k/∂x_{k,j} = w_{y_k}·(softmax(x_k)_j − 1[j = y_k]); with Mean this is divided by Σ_k w_{y_k} (N when unweighted).
/// </summary>
/// <remarks>Stable for huge logits: log Σ exp is max + log Σ exp(x − max), and softmax = exp((x − max) − logSum) ≤ 1.</remarks>
public sealed class CrossEntropyOp : Node
{
    private Tensor _input = null!;      // logits, contiguous
    private Array _max = null!, _logSum = null!;   // [N·Πd] per term: log Σ exp x = max + logSum, T[]
    private Array _weights = null!;     // [N·Πd] w_{y_k}, T[]
    private ClassTargets _targets = null!;
    private LossReduction _reduction;
    private double _denominator;

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

    public override Tensor?[] Backward(Tensor gradOutput) =>
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
        /// optional class <paramref name="weight"/> [C]; labels equal to <paramref name="ignoreIndex"/> contribute nothing.</summary>
        public Tensor CrossEntropy(Tensor labels, LossReduction reduction = LossReduction.Mean, Tensor? weight = null, int ignoreIndex = -100) =>
            CrossEntropyOp.Forward(logits, labels, reduction, weight, ignoreIndex);
    }
}
