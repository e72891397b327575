
namespace Nabla;

/// <summary>Public entry points of the element-wise losses (PyTorch names; input and target of the same shape).</summary>
public static partial class TensorOps
{
    extension(Tensor input)
    {
        /// <summary>Mean squared error: reduce (x − t)² (like <c>F.mse_loss</c>).</summary>
        public Tensor MseLoss(Tensor target, LossReduction reduction = LossReduction.Mean) =>
            PointwiseLossOp<MseLossTerm>.Forward(input, target, default, reduction);

        /// <summary>Mean absolute error: reduce |x − t| (like <c>F.l1_loss</c>).</summary>
        public Tensor L1Loss(Tensor target, LossReduction reduction = LossReduction.Mean) =>
            PointwiseLossOp<L1LossTerm>.Forward(input, target, default, reduction);

        /// <summary>Smooth L1: quadratic below <paramref name="beta"/>, linear above (like <c>F.smooth_l1_loss</c>).</summary>
        public Tensor SmoothL1Loss(Tensor target, LossReduction reduction = LossReduction.Mean, double beta = 1.0) =>
            beta >= 0 ? PointwiseLossOp<SmoothL1LossTerm>.Forward(input, target, new SmoothL1LossTerm(beta), reduction)
                : throw new ArgumentOutOfRangeException(nameof(beta), $"SmoothL1Loss: beta must be non-negative, got {beta}");

        /// <summary>Huber loss with threshold <paramref name="delta"/> (like <c>F.huber_loss</c>).</summary>
        public Tensor HuberLoss(Tensor target, LossReduction reduction = LossReduction.Mean, double delta = 1.0) =>
            delta > 0 ? PointwiseLossOp<HuberLossTerm>.Forward(input, target, new HuberLossTerm(delta), reduction)
                : throw new ArgumentOutOfRangeException(nameof(delta), $"HuberLoss: delta must be positive, got {delta}");

        /// <summary>Binary cross-entropy of logits with targets in [0, 1], stable form (like
        /// <c>F.binary_cross_entropy_with_logits</c>).</summary>
        public Tensor BinaryCrossEntropyWithLogits(Tensor target, LossReduction reduction = LossReduction.Mean) =>
            PointwiseLossOp<BceWithLogitsLossTerm>.Forward(input, target, default, reduction);

        /// <summary>Binary cross-entropy of probabilities in [0, 1] (logs floored at −100, like <c>F.binary_cross_entropy</c>).</summary>
        public Tensor BinaryCrossEntropy(Tensor target, LossReduction reduction = LossReduction.Mean) =>
            PointwiseLossOp<BceLossTerm>.Forward(input, target, default, reduction);

        /// <summary>Binary SVM hinge loss of scores with ±1 targets: reduce max(0, margin − t·s).</summary>
        public Tensor HingeLoss(Tensor target, LossReduction reduction = LossReduction.Mean, double margin = 1.0) =>
            PointwiseLossOp<HingeLossTerm>.Forward(input, target, new HingeLossTerm(margin), reduction);
    }
}
