using Nabla.Course;

namespace Nabla.Tests.Course;

/// <summary>
/// One float64 parameter "w" (starts at 0) whose gradient is always −1 and whose loss is 10 − w, so plain SGD with
/// learning rate η moves w up by exactly η per step. Inputs are [N, 1] numbers x; the prediction is class 1 iff x ≤ w
/// (scores [0, 1]), else class 0 (scores [1, 0]). Records the x values of every Loss batch.
/// </summary>
internal sealed class ConstantGradientModel : ILossModel
{
    public IDictionary<string, Tensor> Params { get; } = new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros([1], DType.Float64) };

    public List<double[]> LossBatches { get; } = [];

    public bool OmitGradient { get; init; }

    /// <summary>When set, a [1] "running statistic" that every training forward (Loss call) raises by 1, like batch
    /// norm's running mean; exposed as <see cref="ILossModel.State"/>.</summary>
    public Tensor? Counter { get; init; }

    public IEnumerable<Tensor> State => Counter is null ? [] : [Counter];

    private double W => Params["w"].Item();

    public Tensor Scores(Tensor x)
    {
        var v = x.ToDoubleArray();
        var s = new double[v.Length * 2];
        for (int i = 0; i < v.Length; i++) s[2 * i + (v[i] <= W ? 1 : 0)] = 1;
        return Tensor.FromArray(s, v.Length, 2);
    }

    public (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y)
    {
        LossBatches.Add(x.ToDoubleArray());
        Counter?.Fill_(Counter.Item() + 1);
        var grads = OmitGradient ? new Dictionary<string, Tensor>() : new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([-1.0], 1) };
        return (10 - W, grads);
    }
}

/// <summary>Inputs [N, 1] hold a point's index i; scores are [0, 1] (class 1) when i % 4 == 0, else [1, 0]; or, with
/// <see cref="Binary"/>, a single score +1 / −1 as [N] or [N, 1]. Records the batches Scores sees.</summary>
internal sealed class IndexScoreModel : ILossModel
{
    public IDictionary<string, Tensor> Params { get; } = new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros([1], DType.Float64) };

    public List<double[]> ScoreBatches { get; } = [];

    public int[]? Binary { get; init; }   // null: [N, 2] scores; [] : [N]; [1] : [N, 1]

    public int[]? WrongShape { get; init; }

    public Tensor Scores(Tensor x)
    {
        var idx = x.ToDoubleArray();
        ScoreBatches.Add(idx);
        if (WrongShape is not null) return Tensor.Zeros(WrongShape, DType.Float64);
        if (Binary is not null)
        {
            var b = idx.Select(i => i % 4 == 0 ? 1.0 : -1.0).ToArray();
            return Tensor.FromArray(b, [idx.Length, .. Binary]);
        }
        var s = new double[idx.Length * 2];
        for (int k = 0; k < idx.Length; k++) s[2 * k + (idx[k] % 4 == 0 ? 1 : 0)] = 1;
        return Tensor.FromArray(s, idx.Length, 2);
    }

    public (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor x, Tensor y) =>
        (0, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros([1], DType.Float64) });
}

/// <summary>
/// Softmax regression with explicit gradients (no autograd): scores = X·W + b, loss = −(1/N)·Σ log softmax(scores)_y
/// + ½·reg·ΣW²; dScores = (softmax − onehot(y))/N, dW = Xᵀ·dScores + reg·W, db = Σ_n dScores. W [D, C], b [C], float64.
/// </summary>
internal sealed class SoftmaxRegressionModel(int d, int c, double reg) : ILossModel
{
    public IDictionary<string, Tensor> Params { get; } = new Dictionary<string, Tensor>
    {
        ["W"] = Tensor.Zeros([d, c], DType.Float64),
        ["b"] = Tensor.Zeros([c], DType.Float64),
    };

    public Tensor Scores(Tensor x) => Tensor.FromArray(RawScores(x.ToDoubleArray(), x.Shape[0]), x.Shape[0], c);

    private double[] RawScores(double[] x, int n)
    {
        double[] w = Params["W"].ToDoubleArray(), b = Params["b"].ToDoubleArray(), s = new double[n * c];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                double acc = b[j];
                for (int k = 0; k < d; k++) acc += x[i * d + k] * w[k * c + j];
                s[i * c + j] = acc;
            }
        return s;
    }

    public (double Loss, Dictionary<string, Tensor> Grads) Loss(Tensor xs, Tensor ys)
    {
        int n = xs.Shape[0];
        double[] x = xs.ToDoubleArray(), y = ys.ToDoubleArray(), w = Params["W"].ToDoubleArray();
        var s = RawScores(x, n);
        double loss = 0;
        var dw = new double[d * c];
        var db = new double[c];
        for (int i = 0; i < n; i++)
        {
            var row = s.AsSpan(i * c, c);
            double max = row.ToArray().Max(), sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(row[j] - max);
            loss -= row[(int)y[i]] - max - Math.Log(sum);
            for (int j = 0; j < c; j++)
            {
                double ds = (Math.Exp(row[j] - max) / sum - (j == (int)y[i] ? 1 : 0)) / n;
                db[j] += ds;
                for (int k = 0; k < d; k++) dw[k * c + j] += x[i * d + k] * ds;
            }
        }
        loss /= n;
        for (int k = 0; k < w.Length; k++) { loss += 0.5 * reg * w[k] * w[k]; dw[k] += reg * w[k]; }
        return (loss, new Dictionary<string, Tensor> { ["W"] = Tensor.FromArray(dw, d, c), ["b"] = Tensor.FromArray(db, c) });
    }
}

/// <summary>Three Gaussian blobs in 2-D, class k = i % 3 (centres (−2, 0), (2, 0), (0, 3), each shifted by (offset, offset);
/// standard deviation 0.5): the closest centres are 3.6 apart, 3.6 standard deviations from the boundary, so a linear
/// classifier can exceed 99 %. The offset makes the bias matter: from W = 0, b = 0, the first gradient steps favour one
/// class, and the accuracy starts near 1/3.</summary>
internal static class Blobs
{
    public static (Tensor X, Tensor Y) Make(int n, ulong seed, DType dtype = DType.Float64, double offset = 3)
    {
        double[,] centres = { { -2, 0 }, { 2, 0 }, { 0, 3 } };
        var g = new Generator(seed);
        var x = new double[n * 2];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            x[2 * i] = centres[y[i], 0] + offset + 0.5 * g.NextGaussian();
            x[2 * i + 1] = centres[y[i], 1] + offset + 0.5 * g.NextGaussian();
        }
        return (Tensor.FromArray(x, n, 2).To(dtype), Tensor.FromArray(y, n));
    }
}
