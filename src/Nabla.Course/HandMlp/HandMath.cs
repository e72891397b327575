using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Nabla.Course;

/// <summary>
/// The arithmetic both explicit-backprop MLPs share, written once for float32 and float64 (the dtype of the tensors
/// decides). Matrix products go through <see cref="TensorOps"/>' MatMul on tensors that never require grad, so no
/// graph is recorded; everything else is a loop over spans. Legend: N batch rows, K classes, F features of a layer.
/// </summary>
internal static class HandMath
{
    /// <summary>The batch as a contiguous matrix [N, features] of <paramref name="dtype"/> (flattening [N, *] and
    /// converting the dtype when needed; never recorded).</summary>
    public static Tensor AsMatrix(Tensor x, int features, DType dtype, string who)
    {
        ArgumentNullException.ThrowIfNull(x);
        long perRow = 1;
        for (int d = 1; d < x.Rank; d++) perRow *= x.Size(d);
        if (x.Rank < 2 || perRow != features)
            throw ShapeMismatchException.For(who, $"input must be [N, {features}] (or [N, *] with {features} elements per example)", x.Shape.ToArray());
        if (!x.DType.IsFloatingPoint()) throw DTypeMismatchException.Unsupported(who, x.DType);
        var m = x.Rank == 2 ? x : x.Reshape(x.Size(0), features);
        if (m.RequiresGrad) m = m.Detach();
        if (m.DType != dtype) m = m.To(dtype);
        return m.IsContiguous ? m : m.Contiguous();
    }

    /// <summary>Class indices from int32 labels [N] or one-hot rows [N, K] (argmax of each row).</summary>
    public static int[] Labels(Tensor y, int n, int classes, string who)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.DType == DType.Int32 && y.Rank == 1 && y.Size(0) == n)
        {
            var labels = y.ToArray<int>();
            foreach (int c in labels)
                if ((uint)c >= (uint)classes) throw new ArgumentException($"{who}: label {c} is outside 0..{classes - 1}");
            return labels;
        }
        if (y.DType.IsFloatingPoint() && y.Rank == 2 && y.Size(0) == n && y.Size(1) == classes) return ArgMaxRows(y);
        throw ShapeMismatchException.For(who, $"labels must be int32 [{n}] or one-hot rows [{n}, {classes}] (got {y.DType.Name()})", y.Shape.ToArray());
    }

    /// <summary>z = h·Wᵀ + b for W [out, in] (<paramref name="weightIsOutIn"/>) or z = h·W + b for W [in, out]; b [out]
    /// is added to every row. Returns a fresh [N, out].</summary>
    public static Tensor Affine(Tensor h, Tensor w, Tensor b, bool weightIsOutIn)
    {
        var z = h.MatMul(weightIsOutIn ? w.T : w);
        if (z.DType == DType.Float32) AddRow(z.AsSpan<float>(), b.AsSpan<float>());
        else AddRow(z.AsSpan<double>(), b.AsSpan<double>());
        return z;
    }

    private static void AddRow<T>(Span<T> z, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < z.Length; r += b.Length) TP.Add(z.Slice(r, b.Length), b, z.Slice(r, b.Length));
    }

    /// <summary>h = act(z), a fresh tensor.</summary>
    public static Tensor Activate(HandActivation act, Tensor z)
    {
        var h = Tensor.Empty(z.Shape.ToArray(), z.DType);
        if (z.DType == DType.Float32) Activate<float>(act, z.AsSpan<float>(), h.AsSpan<float>());
        else Activate<double>(act, z.AsSpan<double>(), h.AsSpan<double>());
        return h;
    }

    public static void Activate<T>(HandActivation act, ReadOnlySpan<T> z, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (act)
        {
            case HandActivation.Sigmoid: TP.Sigmoid(z, h); break;          // 1/(1 + e^−z)
            case HandActivation.Tanh: TP.Tanh(z, h); break;
            case HandActivation.Relu:                                       // max(z, 0)
                for (int i = 0; i < z.Length; i++) h[i] = z[i] > T.Zero ? z[i] : T.Zero;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(act), act, "unknown activation");
        }
    }

    /// <summary>g ← g ⊙ act′(z) in place, with act′ read from the output h = act(z) where that is cheaper:
    /// σ′ = h(1 − h), tanh′ = 1 − h², ReLU′ = 1[z &gt; 0].</summary>
    public static void MultiplyByDerivative(HandActivation act, Tensor z, Tensor h, Tensor g)
    {
        if (g.DType == DType.Float32) MultiplyByDerivative<float>(act, z.AsSpan<float>(), h.AsSpan<float>(), g.AsSpan<float>());
        else MultiplyByDerivative<double>(act, z.AsSpan<double>(), h.AsSpan<double>(), g.AsSpan<double>());
    }

    private static void MultiplyByDerivative<T>(HandActivation act, ReadOnlySpan<T> z, ReadOnlySpan<T> h, Span<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (act)
        {
            case HandActivation.Sigmoid:
                for (int i = 0; i < g.Length; i++) g[i] *= h[i] * (T.One - h[i]);
                break;
            case HandActivation.Tanh:
                for (int i = 0; i < g.Length; i++) g[i] *= T.One - h[i] * h[i];
                break;
            case HandActivation.Relu:
                for (int i = 0; i < g.Length; i++) if (!(z[i] > T.Zero)) g[i] = T.Zero;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(act), act, "unknown activation");
        }
    }

    /// <summary>Row-wise softmax p_ik = e^(z_ik − m_i) / Σ_j e^(z_ij − m_i), m_i = max_j z_ij (the shift cancels and
    /// keeps every exponent ≤ 0, so nothing overflows).</summary>
    public static Tensor SoftmaxRows(Tensor z)
    {
        var p = Tensor.Empty(z.Shape.ToArray(), z.DType);
        int k = z.Size(1);
        if (z.DType == DType.Float32) SoftmaxRows<float>(z.AsSpan<float>(), p.AsSpan<float>(), k);
        else SoftmaxRows<double>(z.AsSpan<double>(), p.AsSpan<double>(), k);
        return p;
    }

    private static void SoftmaxRows<T>(ReadOnlySpan<T> z, Span<T> p, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < z.Length; r += k)
        {
            var zr = z.Slice(r, k);
            var pr = p.Slice(r, k);
            TP.Subtract(zr, TP.Max(zr), pr);
            TP.Exp(pr, pr);
            TP.Divide(pr, TP.Sum<T>(pr), pr);
        }
    }

    /// <summary>Mean cross-entropy of softmax(z) against the labels, (1/N) Σ_i [log Σ_j e^(z_ij) − z_i,y_i], computed
    /// from the logits with the max shift (finite even when a probability underflows to 0). Accumulated in double.</summary>
    public static double CrossEntropy(Tensor z, int[] labels)
    {
        ReadOnlySpan<double> v = z.DType == DType.Float64 ? z.AsSpan<double>() : z.ToDoubleArray();
        int n = labels.Length, k = z.Size(1);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = v.Slice(i * k, k);
            double m = TP.Max<double>(row), s = 0;
            for (int j = 0; j < k; j++) s += Math.Exp(row[j] - m);
            total += m + Math.Log(s) - row[labels[i]];
        }
        return total / n;
    }

    /// <summary>δ_L = ∂L/∂z_L = (softmax(z_L) − onehot(y)) / N for the mean softmax cross-entropy L (the softmax's
    /// Jacobian diag(p) − ppᵀ times −onehot/p collapses to p − onehot).</summary>
    public static Tensor OutputDelta(Tensor z, int[] labels)
    {
        var d = SoftmaxRows(z);
        int n = labels.Length, k = z.Size(1);
        if (d.DType == DType.Float32) OutputDelta<float>(d.AsSpan<float>(), labels, k);
        else OutputDelta<double>(d.AsSpan<double>(), labels, k);
        return d;

        static void OutputDelta<T>(Span<T> p, int[] y, int k) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) p[i * k + y[i]] -= T.One;
            TP.Divide(p, T.CreateTruncating(y.Length), p);
        }
    }

    /// <summary>∂L/∂b = Σ_i δ_i (column sums of δ [N, F] → [F]), rows added in order.</summary>
    public static Tensor ColumnSums(Tensor d)
    {
        int f = d.Size(1);
        var s = Tensor.Zeros([f], d.DType);
        if (d.DType == DType.Float32) Sum<float>(d.AsSpan<float>(), s.AsSpan<float>());
        else Sum<double>(d.AsSpan<double>(), s.AsSpan<double>());
        return s;

        static void Sum<T>(ReadOnlySpan<T> d, Span<T> s) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int r = 0; r < d.Length; r += s.Length) TP.Add(s, d.Slice(r, s.Length), s);
        }
    }

    /// <summary>acc ← acc + g (same shape and dtype).</summary>
    public static void AddInto(Tensor acc, Tensor g)
    {
        if (acc.DType == DType.Float32) TP.Add(acc.AsSpan<float>(), g.AsSpan<float>(), acc.AsSpan<float>());
        else TP.Add(acc.AsSpan<double>(), g.AsSpan<double>(), acc.AsSpan<double>());
    }

    /// <summary>θ ← θ + (−η)·g: plain SGD, the same fused multiply-add as the library's <c>Sgd</c> without momentum.</summary>
    public static void SgdStep(Tensor p, Tensor g, double learningRate)
    {
        if (p.DType == DType.Float32) TP.MultiplyAdd(g.AsSpan<float>(), (float)-learningRate, p.AsSpan<float>(), p.AsSpan<float>());
        else TP.MultiplyAdd(g.AsSpan<double>(), -learningRate, p.AsSpan<double>(), p.AsSpan<double>());
    }

    /// <summary>argmax_j z_ij of every row (the first maximum on ties).</summary>
    public static int[] ArgMaxRows(Tensor z)
    {
        var v = z.ToDoubleArray();
        int k = z.Size(1), n = z.Size(0);
        var best = new int[n];
        for (int i = 0; i < n; i++)
            for (int j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best[i]]) best[i] = j;
        return best;
    }

    /// <summary>The rows <paramref name="index"/> of x [N, F] as a fresh [B, F] (never recorded).</summary>
    public static Tensor Rows(Tensor x, int[] index) => x.IndexSelect(0, Tensor.FromArray(index, index.Length));

    public static void CheckLearningRate(double learningRate, string who)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"{who}: learning rate must be non-negative and finite, got {learningRate}");
    }
}
