
namespace Nabla.Labs;

/// <summary>One interpolation network of IFT6135 Q5: the matrix M (rows = points sorted by decreasing uᵀx, columns =
/// the N − 1 hidden units then the bias), how far it is from upper triangular (largest |M_ij|, i &gt; j), its smallest
/// |diagonal| entry, the solve's residual max|MW̃ − F| and the interpolation error max|y(x⁽ⁱ⁾) − f(x⁽ⁱ⁾)| of the
/// library network built from W̃. <see cref="CurveT"/>/<see cref="CurveY"/>: the first output along x = t·u.</summary>
public sealed record InterpolationRun(string Activation, double Lambda, double Epsilon, double[,] M, double MaxBelowDiagonal,
    double MinAbsDiagonal, double MaxResidual, double MaxInterpolationError, double MaxAbsOutputWeight, double[] CurveT, double[] CurveY);

/// <summary>The sample set: N points in ℝⁿ, their targets f(x) ∈ ℝᵐ, the direction u, the sorted projections
/// p_i = uᵀx⁽ⁱ⁾ (decreasing) and their smallest gap.</summary>
public sealed record InterpolationProblem(int N, int InputDim, int OutputDim, double[,] X, double[,] F, double[] U, double[] P, double MinGap);

public static class Interpolation
{
    /// <summary>The target f_k(x) = sin(2x₁ + k) + ½·x_(k mod n + 1)², k = 0..m − 1 (any fixed function would do).</summary>
    public static double Target(double[] x, int k) => Math.Sin(2 * x[0] + k) + 0.5 * x[k % x.Length] * x[k % x.Length];

    public static InterpolationProblem Problem(int n, int inputDim, int outputDim, Generator gen)
    {
        var raw = Tensor.Randn([n, inputDim], 0, 1, DType.Float64, gen).ToDoubleArray();
        var u = Tensor.Randn([inputDim], 0, 1, DType.Float64, gen).ToDoubleArray();
        double norm = Math.Sqrt(u.Sum(v => v * v));
        u = u.Select(v => v / norm).ToArray();
        var proj = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, inputDim).Sum(d => u[d] * raw[i * inputDim + d])).ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(i => proj[i]).ToArray();   // the hint's ordering
        var x = new double[n, inputDim];
        var f = new double[n, outputDim];
        var p = new double[n];
        for (int r = 0; r < n; r++)
        {
            var xi = Enumerable.Range(0, inputDim).Select(d => raw[order[r] * inputDim + d]).ToArray();
            for (int d = 0; d < inputDim; d++) x[r, d] = xi[d];
            for (int k = 0; k < outputDim; k++) f[r, k] = Target(xi, k);
            p[r] = proj[order[r]];
        }
        double gap = Enumerable.Range(1, n - 1).Min(i => p[i - 1] - p[i]);
        return new InterpolationProblem(n, inputDim, outputDim, x, f, u, p, gap);
    }

    /// <summary>ReLU units b_j = −wᵀx⁽ʲ⁾ + ε with w = u and ε = half the smallest gap: M_ij = ReLU(p_i − p_j + ε) is 0
    /// for i &gt; j (p_i ≤ p_j − gap) and ε on the diagonal, so M is upper triangular and back substitution solves it.
    /// With <paramref name="perUnit"/>, unit j gets its own ε_j = p_j − p_(j+1) (its kink sits on the next point down):
    /// still upper triangular, diagonal ε_j, and the network is the piecewise-linear interpolant.</summary>
    public static InterpolationRun Relu(InterpolationProblem pr, bool perUnit = false)
    {
        double eps = pr.MinGap / 2;
        var b = Enumerable.Range(0, pr.N - 1).Select(j => -pr.P[j] + (perUnit ? pr.P[j] - pr.P[j + 1] : eps)).ToArray();
        return Run(pr, perUnit ? "ReLU, ε_j = p_j − p_(j+1)" : "ReLU, one ε", double.NaN, perUnit ? double.NaN : eps, pr.U, b,
            t => t.Relu(), v => Math.Max(v, 0), triangularSolve: true);
    }

    /// <summary>Sigmoid units with w = λu, b_j = −λuᵀx⁽ʲ⁾: M_ij = σ(λ(p_i − p_j)) → 0 (i &gt; j), ½ (i = j), 1 (i &lt; j)
    /// as λ → ∞. M is solved as a full system (Gaussian elimination with partial pivoting).</summary>
    public static InterpolationRun Sigmoid(InterpolationProblem pr, double lambda)
    {
        var w = pr.U.Select(v => lambda * v).ToArray();
        var b = Enumerable.Range(0, pr.N - 1).Select(j => -lambda * pr.P[j]).ToArray();
        return Run(pr, "sigmoid", lambda, double.NaN, w, b, t => t.Sigmoid(), v => 1 / (1 + Math.Exp(-v)), triangularSolve: false);
    }

    private static InterpolationRun Run(InterpolationProblem pr, string name, double lambda, double eps, double[] w, double[] b,
        Func<Tensor, Tensor> act, Func<double, double> phi, bool triangularSolve)
    {
        int n = pr.N, h = n - 1, m = pr.OutputDim, dIn = pr.InputDim;
        var M = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            double wx = 0;
            for (int d = 0; d < dIn; d++) wx += w[d] * pr.X[i, d];
            for (int j = 0; j < h; j++) M[i, j] = phi(wx + b[j]);
            M[i, h] = 1;                                                     // the output bias b⁽²⁾
        }
        double below = 0, minDiag = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            minDiag = Math.Min(minDiag, Math.Abs(M[i, i]));
            for (int j = 0; j < i; j++) below = Math.Max(below, Math.Abs(M[i, j]));
        }
        var wt = triangularSolve ? BackSubstitute(M, pr.F) : GaussSolve(M, pr.F);   // W̃ [N, m] = [W⁽²⁾, b⁽²⁾]ᵀ
        double residual = 0, maxW = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < m; k++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += M[i, j] * wt[j, k];
                residual = Math.Max(residual, Math.Abs(s - pr.F[i, k]));
                maxW = Math.Max(maxW, Math.Abs(wt[i, k]));
            }
        // The network with the library: W⁽¹⁾ = [w, …, w]ᵀ [N − 1, n], b⁽¹⁾ [N − 1], W⁽²⁾ [m, N − 1], b⁽²⁾ [m].
        var w1 = new double[h * dIn];
        for (int j = 0; j < h; j++) for (int d = 0; d < dIn; d++) w1[j * dIn + d] = w[d];
        var w2 = new double[m * h];
        for (int k = 0; k < m; k++) for (int j = 0; j < h; j++) w2[k * h + j] = wt[j, k];
        var b2 = Enumerable.Range(0, m).Select(k => wt[h, k]).ToArray();
        var W1 = Tensor.FromArray(w1, h, dIn);
        var B1 = Tensor.FromArray(b, h);
        var W2 = Tensor.FromArray(w2, m, h);
        var B2 = Tensor.FromArray(b2, m);
        Tensor Net(Tensor x) => act(x.Linear(W1, B1)).Linear(W2, B2);
        var xs = new double[n * dIn];
        var fs = new double[n * m];
        for (int i = 0; i < n; i++) { for (int d = 0; d < dIn; d++) xs[i * dIn + d] = pr.X[i, d]; for (int k = 0; k < m; k++) fs[i * m + k] = pr.F[i, k]; }
        double err = (Net(Tensor.FromArray(xs, n, dIn)) - Tensor.FromArray(fs, n, m)).Abs().Max().Item();
        // The first output along the line x = t·u: every hidden unit sees wᵀx = t·wᵀu, so this is the whole function.
        double lo = pr.P[^1], hi = pr.P[0], pad = 0.05 * (hi - lo);
        int steps = 400;
        var t = Enumerable.Range(0, steps + 1).Select(i => lo - pad + (hi - lo + 2 * pad) * i / steps).ToArray();
        var line = new double[t.Length * dIn];
        for (int i = 0; i < t.Length; i++) for (int d = 0; d < dIn; d++) line[i * dIn + d] = t[i] * pr.U[d];
        var curve = Net(Tensor.FromArray(line, t.Length, dIn)).Select(1, 0).ToDoubleArray();
        return new InterpolationRun(name, lambda, eps, M, below, minDiag, residual, err, maxW, t, curve);
    }

    /// <summary>Solves the upper-triangular system M·W = F from the last row up.</summary>
    public static double[,] BackSubstitute(double[,] m, double[,] f)
    {
        int n = m.GetLength(0), k = f.GetLength(1);
        var w = new double[n, k];
        for (int c = 0; c < k; c++)
            for (int i = n - 1; i >= 0; i--)
            {
                double s = f[i, c];
                for (int j = i + 1; j < n; j++) s -= m[i, j] * w[j, c];
                w[i, c] = s / m[i, i];
            }
        return w;
    }

    /// <summary>Solves M·W = F by Gaussian elimination with partial pivoting.</summary>
    public static double[,] GaussSolve(double[,] m, double[,] f)
    {
        int n = m.GetLength(0), k = f.GetLength(1);
        var a = (double[,])m.Clone();
        var b = (double[,])f.Clone();
        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            if (piv != col)
            {
                for (int c = 0; c < n; c++) (a[col, c], a[piv, c]) = (a[piv, c], a[col, c]);
                for (int c = 0; c < k; c++) (b[col, c], b[piv, c]) = (b[piv, c], b[col, c]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double factor = a[r, col] / a[col, col];
                if (factor == 0) continue;
                for (int c = col; c < n; c++) a[r, c] -= factor * a[col, c];
                for (int c = 0; c < k; c++) b[r, c] -= factor * b[col, c];
            }
        }
        return BackSubstitute(a, b);
    }
}
