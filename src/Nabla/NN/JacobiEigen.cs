namespace Nabla.NN;

/// <summary>
/// Eigen-decomposition A = V·Λ·Vᵀ of a small real symmetric matrix by the cyclic Jacobi method (Golub &amp; Van Loan,
/// Matrix Computations, 4th ed., §8.5.2): sweeps of plane rotations, each zeroing one off-diagonal pair, until the
/// off-diagonal mass is below 1e-15 of the whole (quadratic convergence; a handful of sweeps for n ≤ 100).
/// </summary>
internal static class JacobiEigen
{
    /// <summary>Eigenvalues in descending order and the matching unit eigenvectors (<c>Vectors[i]</c> belongs to
    /// <c>Values[i]</c>). <paramref name="a"/> [n, n] must be symmetric; it is not modified.</summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[,] a)
    {
        int n = a.GetLength(0);
        if (a.GetLength(1) != n) throw new ArgumentException($"JacobiEigen: the matrix must be square, got {n}×{a.GetLength(1)}");
        var m = (double[,])a.Clone();
        var v = new double[n, n];
        double total = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
            for (int j = 0; j < n; j++)
            {
                total += a[i, j] * a[i, j];
                scale = Math.Max(scale, Math.Abs(a[i, j]));
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (!(Math.Abs(a[i, j] - a[j, i]) <= 1e-9 * scale))
                    throw new ArgumentException($"JacobiEigen: the matrix is not symmetric (A[{i},{j}] = {a[i, j]}, A[{j},{i}] = {a[j, i]})");
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += 2 * m[p, q] * m[p, q];
            if (off <= 1e-30 * total || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (m[p, q] == 0) continue;
                    // Rotation (c, s) with t = tan θ the smaller root of t² + 2τt − 1 = 0, τ = (a_qq − a_pp)/(2a_pq).
                    double tau = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    double t = Math.Sign(tau == 0 ? 1 : tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
                    for (int k = 0; k < n; k++)   // M ← M·J (columns p, q)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)   // M ← Jᵀ·M (rows p, q)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)   // V ← V·J
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => m[i, i]).ToArray();
        return (order.Select(i => m[i, i]).ToArray(), order.Select(i => Enumerable.Range(0, n).Select(k => v[k, i]).ToArray()).ToArray());
    }
}
