using Nabla.NN;

namespace Nabla.Labs;

/// <summary>
/// Principal component analysis of the rows of X [N, D], computed here: the mean μ, the covariance
/// C = (X − μ)ᵀ(X − μ)/(N − 1) in float64, and its eigen-decomposition by <see cref="SymmetricEigen"/>.
/// <see cref="Values"/> are the variances along the components (descending); <see cref="Components"/>[i] is the unit
/// eigenvector of <see cref="Values"/>[i] (its sign is arbitrary).
/// </summary>
public sealed record PcaModel(double[] Mean, double[] Values, double[][] Components, int Samples)
{
    /// <summary>Fits the PCA of the rows of <paramref name="x"/> [N, D] (N ≥ 2), summing the covariance over chunks of
    /// rows with the library's float64 matrix product.</summary>
    public static PcaModel Fit(Tensor x, int chunk = 5000)
    {
        var (mean, cov) = Covariance(x, chunk);
        var (values, vectors) = SymmetricEigen.Decompose(cov);
        return new PcaModel(mean, values, vectors, x.Size(0));
    }

    /// <summary>The mean μ [D] and covariance C = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ/(N − 1) [D][D] of the rows of <paramref name="x"/>.</summary>
    public static (double[] Mean, double[][] Covariance) Covariance(Tensor x, int chunk = 5000)
    {
        if (x.Rank != 2 || x.Size(0) < 2) throw new ArgumentException($"PCA: expected rows X [N ≥ 2, D], got {ShapeUtil.Format(x.Shape)}");
        int n = x.Size(0), d = x.Size(1);
        var mean = x.To(DType.Float64).Mean(0).ToArray<double>();
        var mu = Tensor.FromArray(mean, 1, d);
        var sum = Tensor.Zeros([d, d], DType.Float64);
        for (int s = 0; s < n; s += chunk)
        {
            var xc = x.Narrow(0, s, Math.Min(chunk, n - s)).To(DType.Float64).Sub(mu);   // [c, D]
            sum = sum.Add(xc.Transpose(0, 1).Contiguous().MatMul(xc));                   // [D, D]
        }
        var flat = sum.ToArray<double>();
        var cov = new double[d][];
        for (int i = 0; i < d; i++)
        {
            cov[i] = new double[d];
            for (int j = 0; j < d; j++) cov[i][j] = (flat[i * d + j] + flat[j * d + i]) / 2 / (n - 1);   // exact symmetry
        }
        return (mean, cov);
    }

    /// <summary>The first <paramref name="k"/> components.</summary>
    public double[][] Top(int k) => Components.Take(k).ToArray();

    /// <summary>The training-set error Σ‖x̂ − x‖²/N of the rank-k reconstruction, from the eigenvalues alone:
    /// (N − 1)/N · Σ_{i ≥ k} λᵢ (Eckart–Young: the smallest of any rank-k linear reconstruction).</summary>
    public double DiscardedVariance(int k) => (Samples - 1.0) / Samples * Values.Skip(k).Sum();

    /// <summary>Mean per-example squared error Σ_d (x̂ − x)² of x̂ = μ + U_k U_kᵀ(x − μ) on the rows of <paramref name="x"/>.</summary>
    public double ReconstructionError(Tensor x, int k) => ReconstructionError(x, Mean, Top(k));

    /// <summary>Mean per-example squared error of the orthogonal projection of the rows of <paramref name="x"/> − μ onto
    /// span(<paramref name="basis"/>) (orthonormalised first).</summary>
    public static double ReconstructionError(Tensor x, double[] mean, IReadOnlyList<double[]> basis)
    {
        int n = x.Size(0), d = x.Size(1);
        var q = Subspace.Orthonormalize(basis);
        var u = new double[d * q.Length];   // U [D, k]
        for (int j = 0; j < q.Length; j++)
            for (int i = 0; i < d; i++) u[i * q.Length + j] = q[j][i];
        var ut = Tensor.FromArray(u, d, q.Length);
        var u2 = ut.Transpose(0, 1).Contiguous();                                        // [k, D]
        var mu = Tensor.FromArray(mean, 1, d);
        double sum = 0;
        for (int s = 0; s < n; s += 5000)
        {
            var xc = x.Narrow(0, s, Math.Min(5000, n - s)).To(DType.Float64).Sub(mu);   // [c, D]
            sum += xc.MatMul(ut).MatMul(u2).Sub(xc).Square().Sum().Item();
        }
        return sum / n;
    }

    /// <summary>Coordinates Z = (X − μ)·Q [N, k] (float64) of the rows of <paramref name="x"/> in the orthonormal basis
    /// <paramref name="q"/> (each q[j] a unit double[D], mutually orthogonal).</summary>
    public static Tensor Coordinates(Tensor x, double[] mean, IReadOnlyList<double[]> q)
    {
        int n = x.Size(0), d = x.Size(1);
        var u = new double[d * q.Count];
        for (int j = 0; j < q.Count; j++)
            for (int i = 0; i < d; i++) u[i * q.Count + j] = q[j][i];
        var ut = Tensor.FromArray(u, d, q.Count);
        var mu = Tensor.FromArray(mean, 1, d);
        var parts = new List<double>(n * q.Count);
        for (int s = 0; s < n; s += 5000)
            parts.AddRange(x.Narrow(0, s, Math.Min(5000, n - s)).To(DType.Float64).Sub(mu).MatMul(ut).ToArray<double>());
        return Tensor.FromArray(parts.ToArray(), n, q.Count);
    }
}
