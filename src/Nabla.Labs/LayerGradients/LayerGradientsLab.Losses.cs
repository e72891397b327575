using Nabla.Course;
using static Nabla.Labs.ClosedForms;
using static Nabla.Labs.GradientComparison;

namespace Nabla.Labs;

// The losses of layers.py: softmax cross-entropy, multiclass SVM, logistic, binary hinge. Letters: N examples,
// C classes, x the scores, y the labels; every loss is the mean over the N examples.
public sealed partial class LayerGradientsLab
{
    private static int LossBatch(LayerGradientsSettings s) => 2 * s.Batch + 1;

    private static int[] Labels(Generator g, int n, int classes) => Enumerable.Range(0, n).Select(_ => g.NextInt(classes)).ToArray();

    /// <summary>Finite differences of a mean loss over [N, C] scores, example by example: the layer's loss of each row
    /// alone, weighted 1/N (their sum is the mean loss). Differencing each example's loss before the sum keeps the
    /// round-off of the other N − 1 examples out of entries whose gradient is small.</summary>
    private static double[] PerExampleNumeric(Func<Tensor, Tensor, (double Loss, Tensor Dx)> loss, double[] x, int[] labels, int c, FiniteDifference fd)
    {
        int n = labels.Length;
        double[] Losses() => Enumerable.Range(0, n).Select(i => loss(T(x[(i * c)..((i + 1) * c)], 1, c), Tensor.FromArray(new[] { labels[i] }, 1)).Loss).ToArray();
        return Numeric(Losses, x, Enumerable.Repeat(1.0 / n, n).ToArray(), fd);
    }

    internal static GradientSection SoftmaxLoss(LayerGradientsSettings s, Generator g)
    {
        int n = LossBatch(s), c = s.Classes;
        var x = Randn(g, n * c, 1.5);
        var labels = Labels(g, n, c);
        var closed = Zip(SoftmaxRows(x, n, c), OneHot(labels, c), (p, y) => (p - y) / n);   // (P − Y)/N
        var yt = Tensor.FromArray(labels, n);
        var layer = Layers.SoftmaxLoss(T(x, n, c), yt).Dx.ToDoubleArray();
        var ag = ByAutograd(t => t[0].CrossEntropy(yt), null, (x, [n, c]))[0];
        var fd = PerExampleNumeric(Layers.SoftmaxLoss, x, labels, c, s.Fd);
        return new GradientSection("softmax-loss", "Softmax cross-entropy", "EECS 498 Q4.1, 24789 P3(a), Workbook Q4",
            """
            p_i = S(x_i) = e^(x_i) / Σ_k e^(x_ik),  L = −(1/N) Σ_i log p_{i,y_i}  (the negative log-likelihood of a categorical model)
              ∂L/∂x_ij = (p_ij − 1[j = y_i]) / N        i.e. ∂L/∂X = (P − Y)/N with Y one-hot
            (chain rule through the softmax Jacobian: Σ_k (−y_k/p_k)·p_k(δ_kj − p_j) = p_j − y_j)
            """,
            $"scores [{n}, {c}] ~ N(0, 1.5²), random labels; finite differences of each example's loss by the layer, weighted 1/N",
            [Row("∂L/∂x", [n, c], closed, layer, ag, fd)]);
    }

    internal static GradientSection SvmLoss(LayerGradientsSettings s, Generator g)
    {
        int n = LossBatch(s), c = s.Classes;
        double gap = KinkGap(s.Fd);
        var x = Randn(g, n * c);
        var labels = Labels(g, n, c);
        for (int i = 0; i < n; i++)   // keep every margin x_ij − x_iy + 1 at least a kink gap from 0
            for (int j = 0; j < c; j++)
            {
                double correct = x[i * c + labels[i]], margin = x[i * c + j] - correct + 1;
                if (j != labels[i] && Math.Abs(margin) < gap) x[i * c + j] = correct - 1 + (margin >= 0 ? gap : -gap);
            }
        var closed = new double[n * c];
        int activeTotal = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
                if (j != labels[i] && x[i * c + j] - x[i * c + labels[i]] + 1 > 0)
                {
                    closed[i * c + j] += 1.0 / n;
                    closed[i * c + labels[i]] -= 1.0 / n;
                    activeTotal++;
                }
        var yt = Tensor.FromArray(labels, n);
        var layer = Layers.SvmLoss(T(x, n, c), yt).Dx.ToDoubleArray();
        var ag = ByAutograd(t => t[0].MultiMarginLoss(yt).Mul(c), null, (x, [n, c]))[0];
        var fd = PerExampleNumeric(Layers.SvmLoss, x, labels, c, s.Fd);
        return new GradientSection("svm-loss", "Multiclass SVM (hinge) loss", "EECS 498 layers.py svm_loss (multiclass, cs231n)",
            """
            L = (1/N) Σ_i Σ_{j≠y_i} max(0, x_ij − x_{i,y_i} + 1)
              ∂L/∂x_ij = 1[x_ij − x_{i,y_i} + 1 > 0] / N   (j ≠ y_i)        ∂L/∂x_{i,y_i} = −#{j ≠ y_i : margin > 0} / N
            (autograd: the library's MultiMarginLoss, which divides by C, times C)
            """,
            $"scores [{n}, {c}] ~ N(0, 1) with every margin ≥ {LabReport.Format(gap)} from 0 ({activeTotal} of {n * (c - 1)} margins active), random labels; finite differences per example as above",
            [Row("∂L/∂x", [n, c], closed, layer, ag, fd)]);
    }

    /// <summary>Scores [N] and 0/1 labels for the binary losses.</summary>
    private static (double[] X, double[] Y) BinaryInputs(LayerGradientsSettings s, Generator g)
    {
        int n = LossBatch(s);
        var x = Randn(g, n, 1.5);
        var y = Enumerable.Range(0, n).Select(_ => (double)g.NextInt(2)).ToArray();
        return (x, y);
    }

    internal static GradientSection LogisticLoss(LayerGradientsSettings s, Generator g)
    {
        var (x, y) = BinaryInputs(s, g);
        int n = x.Length;
        var closed = Zip(x, y, (xi, yi) => (ClosedForms.Sigmoid(xi) - yi) / n);
        var layer = Layers.LogisticLoss(T(x, n), T(y, n)).Dx.ToDoubleArray();
        var ag = ByAutograd(t => t[0].BinaryCrossEntropyWithLogits(T(y, n)), null, (x, [n]))[0];
        var fd = Numeric(() => Layers.LogisticLoss(T(x, n), T(y, n)).Loss, x, s.Fd);
        return new GradientSection("logistic-loss", "Logistic loss", "EECS 498 Q2.1, Workbook Q4 (Bernoulli log-likelihood)",
            """
            L = −(1/N) Σ_i [y_i log σ(x_i) + (1 − y_i) log(1 − σ(x_i))],  y_i ∈ {0, 1}  (the negative log-likelihood of a Bernoulli model)
              ∂L/∂x_i = (1/N)(−y_i (1 − σ(x_i)) + (1 − y_i) σ(x_i)) = (σ(x_i) − y_i) / N
            """,
            $"scores [{n}] ~ N(0, 1.5²), random 0/1 labels",
            [Row("∂L/∂x", [n], closed, layer, ag, fd)]);
    }

    internal static GradientSection BinaryHinge(LayerGradientsSettings s, Generator g)
    {
        var (x, y) = BinaryInputs(s, g);
        int n = x.Length;
        double gap = KinkGap(s.Fd);
        var t = Map(y, v => 2 * v - 1);   // t = 2y − 1 ∈ {−1, +1}
        for (int i = 0; i < n; i++)        // keep 1 − t·x at least a kink gap from 0
            if (Math.Abs(1 - t[i] * x[i]) < gap) x[i] = t[i] * (1 - (1 - t[i] * x[i] >= 0 ? gap : -gap));
        var closed = Zip(x, t, (xi, ti) => 1 - ti * xi > 0 ? -ti / n : 0);
        var layer = Layers.BinarySvmLoss(T(x, n), T(y, n)).Dx.ToDoubleArray();
        var ag = ByAutograd(u => u[0].HingeLoss(T(t, n)), null, (x, [n]))[0];
        var fd = Numeric(() => Layers.BinarySvmLoss(T(x, n), T(y, n)).Loss, x, s.Fd);
        return new GradientSection("binary-hinge", "Binary hinge (SVM) loss", "EECS 498 Q3.1",
            """
            t_i = 2y_i − 1 ∈ {−1, +1},  L = (1/N) Σ_i max(0, 1 − t_i x_i)
              ∂L/∂x_i = −t_i · 1[1 − t_i x_i > 0] / N
            """,
            $"scores [{n}] ~ N(0, 1.5²) with every margin 1 − t·x ≥ {LabReport.Format(gap)} from 0, random labels ({closed.Count(v => v != 0)} of {n} active)",
            [Row("∂L/∂x", [n], closed, layer, ag, fd)]);
    }
}
