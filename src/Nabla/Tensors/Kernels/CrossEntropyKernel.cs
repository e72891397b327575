using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors.Kernels;

/// <summary>
/// Backward of the fused log-softmax + NLL over logits viewed as [outer, C, inner], term k = o·inner + i:
/// dx[o, j, i] = scale_k·(exp((x[o, j, i] − max_k) − logSum_k) − 1[j = y_k]) (log-sum-exp split as in
/// <see cref="SoftmaxKernel.LogSumExp{T}"/>). Terms with scale 0 (ignored labels) get zeros;
/// a label outside [0, C) is never indexed. <see cref="BackwardScalar{T}"/> is the scalar twin.
/// </summary>
internal static class CrossEntropyKernel
{
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> max, ReadOnlySpan<T> logSum, ReadOnlySpan<int> labels, ReadOnlySpan<T> scale,
        Span<T> dx, int outer, int c, int inner) where T : IFloatingPointIeee754<T>
    {
        int block = c * inner;
        for (int o = 0; o < outer; o++)
        {
            var xb = x.Slice(o * block, block);
            var db = dx.Slice(o * block, block);
            if (inner == 1)
            {
                T s = scale[o];
                if (s == T.Zero) { db.Clear(); continue; }
                TensorPrimitives.Subtract(xb, max[o], db);
                TensorPrimitives.Subtract(db, logSum[o], db);
                TensorPrimitives.Exp(db, db);
                TensorPrimitives.Multiply(db, s, db);
            }
            else
            {
                var mx = max.Slice(o * inner, inner);
                var ls = logSum.Slice(o * inner, inner);
                var sc = scale.Slice(o * inner, inner);
                for (int j = 0; j < c; j++)
                {
                    var dj = db.Slice(j * inner, inner);
                    TensorPrimitives.Subtract(xb.Slice(j * inner, inner), mx, dj);
                    TensorPrimitives.Subtract(dj, ls, dj);
                    TensorPrimitives.Exp(dj, dj);
                    TensorPrimitives.Multiply(dj, sc, dj);
                }
            }
            for (int i = 0; i < inner; i++)
            {
                int y = labels[o * inner + i];
                if ((uint)y < (uint)c) db[y * inner + i] -= scale[o * inner + i];
            }
        }
    }

    public static void BackwardScalar<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> max, ReadOnlySpan<T> logSum, ReadOnlySpan<int> labels, ReadOnlySpan<T> scale,
        Span<T> dx, int outer, int c, int inner) where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int k = o * inner + i;
                for (int j = 0; j < c; j++)
                {
                    int p = (o * c + j) * inner + i;
                    T onehot = j == labels[k] ? T.One : T.Zero;
                    dx[p] = scale[k] == T.Zero ? T.Zero : scale[k] * (T.Exp(x[p] - max[k] - logSum[k]) - onehot);
                }
            }
    }
}
