using System.Numerics;

namespace Nabla;

/// <summary>
/// Multiclass hinge loss (PyTorch's multi_margin_loss with p = 1) of scores s [N, C] and int32 labels y [N]:
/// ℓ_n = Σ_{j≠y_n} max(0, margin − s_{n,y_n} + s_{n,j}) / C.
/// ∂ℓ_n/∂s_{n,j} = 1[active_j]/C for j ≠ y_n, ∂ℓ_n/∂s_{n,y_n} = −(number of active j)/C, where active_j means
/// margin − s_{n,y_n} + s_{n,j} &gt; 0 (subgradient 0 at the kink).
/// </summary>
internal sealed class MultiMarginLossOp : Node
{
    private Tensor _input = null!;   // contiguous scores
    private ClassTargets _targets = null!;
    private double _margin;
    private LossReduction _reduction;
    private protected override Tensor?[] Saved => [_input];

    public static Tensor Forward(Tensor scores, Tensor labels, LossReduction reduction = LossReduction.Mean, double margin = 1.0)
    {
        var tg = ClassTargets.Create("MultiMarginLoss", scores, labels, null, null);
        if (scores.Rank != 2) throw ShapeMismatchException.For("MultiMarginLoss", "expects scores of shape [N, C]", scores.Shape.ToArray());
        var x = scores.ContiguousRaw();
        var node = new MultiMarginLossOp { _input = x.Detach(), _targets = tg, _margin = margin, _reduction = reduction };
        var y = scores.DType == DType.Float32 ? node.Run<float>(x) : node.Run<double>(x);
        return node.Record(y, scores);
    }

    private Tensor Run<T>(Tensor x) where T : IFloatingPointIeee754<T>
    {
        var s = x.AsSpan<T>();
        int n = _targets.Outer, c = _targets.Classes;
        T m = T.CreateChecked(_margin), cc = T.CreateChecked(c);
        var terms = new T[n];
        for (int i = 0; i < n; i++)
        {
            var row = s.Slice(i * c, c);
            int y = _targets.Labels[i];
            T acc = T.Zero;
            for (int j = 0; j < c; j++)
                if (j != y) acc += T.Max(T.Zero, m - row[y] + row[j]);
            terms[i] = acc / cc;
        }
        return LossCore.Reduce(terms, _targets.LossShape, _reduction, n);
    }

    internal override Tensor?[] Backward(Tensor gradOutput) =>
        [_input.DType == DType.Float32 ? BackwardCore<float>(gradOutput) : BackwardCore<double>(gradOutput)];

    private Tensor BackwardCore<T>(Tensor gradOutput) where T : IFloatingPointIeee754<T>
    {
        int n = _targets.Outer, c = _targets.Classes;
        var scale = LossCore.Scales<T>(gradOutput, n, _reduction, n);
        var s = _input.AsSpan<T>();
        var dx = Tensor.Zeros(_input.Shape.ToArray(), _input.DType);
        var d = dx.AsSpan<T>();
        T m = T.CreateChecked(_margin), cc = T.CreateChecked(c);
        for (int i = 0; i < n; i++)
        {
            int y = _targets.Labels[i];
            T k = scale[i] / cc;
            for (int j = 0; j < c; j++)
                if (j != y && m - s[i * c + y] + s[i * c + j] > T.Zero)
                {
                    d[i * c + j] += k;
                    d[i * c + y] -= k;
                }
        }
        return dx;
    }
}

public static partial class TensorOps
{
    extension(Tensor scores)
    {
        /// <summary>Multiclass hinge loss Σ_{j≠y} max(0, margin − s_y + s_j)/C (like <c>F.multi_margin_loss</c>, p = 1). ∂/∂s_j = 1[margin − s_y + s_j &gt; 0]/C for j ≠ y, ∂/∂s_y = −(number of such j)/C.</summary>
        public Tensor MultiMarginLoss(Tensor labels, LossReduction reduction = LossReduction.Mean, double margin = 1.0) =>
            MultiMarginLossOp.Forward(scores, labels, reduction, margin);
    }
}
