using System.Numerics;

namespace Nabla;

/// <summary>
/// Class-index targets of CrossEntropy, NllLoss and MultiMarginLoss: input [N, C, d…] viewed as
/// [outer = N, C, inner = Πd], int32 labels [N, d…]; checks shapes and ranges and gives each term its class weight.
/// </summary>
internal sealed class ClassTargets
{
    public int Outer, Classes, Inner;
    public int[] Labels = [];
    public int[] LossShape = [];   // [N, d…]
    public int? IgnoreIndex;       // terms with this label contribute nothing (may be a valid class index, e.g. padding 0)

    public static ClassTargets Create(string op, Tensor input, Tensor labels, Tensor? weight, int? ignoreIndex, int minRank = 2)
    {
        Dispatch.Floating(op, input);
        if (labels.DType != DType.Int32)
            throw new DTypeMismatchException($"{op}: labels must be int32 class indices, got {labels.DType.Name()}");
        if (input.Rank < minRank)
            throw ShapeMismatchException.For(op, "expects an input of shape [N, C] or [N, C, d…]", input.Shape.ToArray(), labels.Shape.ToArray());
        var lossShape = input.Shape.ToArray().Where((_, i) => i != 1).ToArray();
        if (!ShapeUtil.SameShape(labels.Shape, lossShape))
            throw ShapeMismatchException.For(op, $"labels must have shape {ShapeUtil.Format(lossShape)} (the input's shape without the class dim)", input.Shape.ToArray(), labels.Shape.ToArray());
        int c = input.Shape[1];
        if (weight is not null)
        {
            if (weight.Rank != 1 || weight.Shape[0] != c)
                throw ShapeMismatchException.For(op, $"weight must have shape [{c}] (one value per class)", input.Shape.ToArray(), weight.Shape.ToArray());
            Dispatch.SameDType(op, input, weight);
        }
        var y = labels.ToArray<int>();
        for (int k = 0; k < y.Length; k++)
            if ((uint)y[k] >= (uint)c && y[k] != ignoreIndex)
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"{op}: label {y[k]} at position {k} is out of range for C = {c} classes (valid labels are 0..{c - 1}{(ignoreIndex is int ig ? $", or ignoreIndex {ig}" : "")})");
        int outer = input.Shape[0];
        return new ClassTargets
        {
            Outer = outer, Classes = c, Inner = outer == 0 ? 0 : y.Length / outer, Labels = y, LossShape = lossShape,
            IgnoreIndex = ignoreIndex,
        };
    }

    /// <summary>w_k = weight[y_k] (1 without weights), 0 for ignored terms; returns Σ w_k (the Mean denominator).</summary>
    public T[] TermWeights<T>(Tensor? weight, out double total) where T : IFloatingPointIeee754<T>
    {
        var wc = weight?.ToArray<T>();
        var w = new T[Labels.Length];
        total = 0;
        for (int k = 0; k < w.Length; k++)
        {
            int y = Labels[k];
            if (y == IgnoreIndex || (uint)y >= (uint)Classes) continue;   // ignored term
            w[k] = wc is null ? T.One : wc[y];
            total += double.CreateChecked(w[k]);
        }
        return w;
    }

    /// <summary>Storage position of input[o, label, i] for term k = o·inner + i in the contiguous input.</summary>
    public int At(int k, int label) => ((k / Inner) * Classes + label) * Inner + k % Inner;
}
