
namespace Nabla.Course;

public static partial class Layers
{
    /// <summary>
    /// Softmax cross-entropy of class scores x [N, C] with labels y [N] in 0..C−1 (int32, or floats holding integers):
    /// p_ij = e^(x_ij) / Σ_k e^(x_ik) (computed after subtracting the row maximum), loss = −(1/N) Σ_i log p_{i,y_i};
    /// ∂loss/∂x_ij = (p_ij − 1[j = y_i]) / N.
    /// </summary>
    public static (double Loss, Tensor Dx) SoftmaxLoss(Tensor x, Tensor y)
    {
        var (n, c, xs, labels) = ClassInputs("SoftmaxLoss", x, y);
        var dx = new double[xs.Length];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < c; j++) max = Math.Max(max, xs[i * c + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(xs[i * c + j] - max);
            double logSum = Math.Log(sum) + max;
            loss -= xs[i * c + labels[i]] - logSum;
            for (int j = 0; j < c; j++) dx[i * c + j] = Math.Exp(xs[i * c + j] - logSum) / n;
            dx[i * c + labels[i]] -= 1.0 / n;
        }
        return (loss / n, FromDoubles(dx, x.Shape.ToArray(), x.DType));
    }

    /// <summary>
    /// Multiclass SVM hinge loss (cs231n's <c>svm_loss</c>, margin Δ = 1) of scores x [N, C] with labels y [N]:
    /// loss = (1/N) Σ_i Σ_{j≠y_i} max(0, x_ij − x_{i,y_i} + 1);
    /// ∂loss/∂x_ij = 1[x_ij − x_{i,y_i} + 1 &gt; 0]/N for j ≠ y_i and ∂loss/∂x_{i,y_i} = −(number of such active j)/N
    /// (subgradient 0 at the kink). PyTorch's <c>multi_margin_loss</c> is this divided by C.
    /// </summary>
    public static (double Loss, Tensor Dx) SvmLoss(Tensor x, Tensor y)
    {
        var (n, c, xs, labels) = ClassInputs("SvmLoss", x, y);
        var dx = new double[xs.Length];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double correct = xs[i * c + labels[i]];
            int active = 0;
            for (int j = 0; j < c; j++)
            {
                if (j == labels[i]) continue;
                double margin = xs[i * c + j] - correct + 1;
                if (margin > 0) { loss += margin; dx[i * c + j] = 1.0 / n; active++; }
            }
            dx[i * c + labels[i]] = -(double)active / n;
        }
        return (loss / n, FromDoubles(dx, x.Shape.ToArray(), x.DType));
    }

    /// <summary>
    /// Binary logistic loss (EECS 498 HW1 <c>logistic_loss</c>) of scores (logits) x [N] or [N, 1] with labels
    /// y ∈ {0, 1} (1 = positive class; −1 is accepted for the negative class too):
    /// loss = −(1/N) Σ_i [y_i log σ(x_i) + (1 − y_i) log(1 − σ(x_i))] = (1/N) Σ_i log(1 + e^(−t_i x_i)) with t_i = 2y_i − 1
    /// (evaluated stably); ∂loss/∂x_i = (σ(x_i) − y_i)/N.
    /// </summary>
    public static (double Loss, Tensor Dx) LogisticLoss(Tensor x, Tensor y)
    {
        var (xs, positive) = BinaryInputs("LogisticLoss", x, y);
        int n = xs.Length;
        var dx = new double[n];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double z = positive[i] ? -xs[i] : xs[i];                    // −t·x
            loss += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));   // log(1 + e^z) = softplus(z)
            dx[i] = (Sigmoid(xs[i]) - (positive[i] ? 1 : 0)) / n;
        }
        return (loss / n, FromDoubles(dx, x.Shape.ToArray(), x.DType));
    }

    /// <summary>
    /// Binary SVM hinge loss (EECS 498 HW1 <c>svm_loss</c>) of scores x [N] or [N, 1] with labels y ∈ {0, 1} mapped to
    /// t = 2y − 1 ∈ {−1, +1} (labels −1/+1 are accepted as they are):
    /// loss = (1/N) Σ_i max(0, 1 − t_i x_i); ∂loss/∂x_i = −t_i·1[1 − t_i x_i &gt; 0]/N (subgradient 0 at the kink).
    /// </summary>
    public static (double Loss, Tensor Dx) BinarySvmLoss(Tensor x, Tensor y)
    {
        var (xs, positive) = BinaryInputs("BinarySvmLoss", x, y);
        int n = xs.Length;
        var dx = new double[n];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double t = positive[i] ? 1 : -1, margin = 1 - t * xs[i];
            if (margin > 0) { loss += margin; dx[i] = -t / n; }
        }
        return (loss / n, FromDoubles(dx, x.Shape.ToArray(), x.DType));
    }

    private static (int N, int C, double[] X, int[] Labels) ClassInputs(string op, Tensor x, Tensor y)
    {
        CheckFloat(op, ("x", x));
        if (x.Rank != 2 || x.Shape[0] == 0) throw ShapeError(op, "x must be non-empty class scores [N, C]", nameof(x), ("x", x));
        int n = x.Shape[0], c = x.Shape[1];
        if (y.Rank != 1 || y.Shape[0] != n) throw ShapeError(op, $"y must be [N] = [{n}] labels", nameof(y), ("x", x), ("y", y));
        var values = y.ToDoubleArray();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (values[i] != Math.Floor(values[i]) || values[i] < 0 || values[i] >= c)
                throw new ArgumentOutOfRangeException(nameof(y), $"{op}: label {values[i]} at position {i} is not a class index in 0..{c - 1}");
            labels[i] = (int)values[i];
        }
        return (n, c, Doubles(x), labels);
    }

    private static (double[] X, bool[] Positive) BinaryInputs(string op, Tensor x, Tensor y)
    {
        CheckFloat(op, ("x", x));
        if (!(x.Rank == 1 || x.Rank == 2 && x.Shape[1] == 1) || x.Shape[0] == 0)
            throw ShapeError(op, "x must be non-empty scores [N] or [N, 1]", nameof(x), ("x", x));
        int n = x.Shape[0];
        if (y.Numel != n || y.Rank > 2) throw ShapeError(op, $"y must hold N = {n} labels ([N] or [N, 1])", nameof(y), ("x", x), ("y", y));
        var values = y.ToDoubleArray();
        var positive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (values[i] is not (0 or 1 or -1))
                throw new ArgumentOutOfRangeException(nameof(y), $"{op}: label {values[i]} at position {i} is not a binary label (0 or 1; −1 also means the negative class)");
            positive[i] = values[i] == 1;
        }
        return (Doubles(x), positive);
    }
}
