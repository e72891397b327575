using Nabla.NN;
namespace Nabla.Labs;

/// <summary>
/// Subspaces of Rⁿ given by spanning vectors (each a double[n]): orthonormal bases by Gram–Schmidt and the principal
/// angles between two subspaces (Björck &amp; Golub 1973): with orthonormal bases Q₁ (n×p) and Q₂ (n×q), the cosines of
/// the angles are the singular values of Q₁ᵀQ₂, here the square roots of the eigenvalues of the smaller of
/// (Q₁ᵀQ₂)ᵀ(Q₁ᵀQ₂) and (Q₁ᵀQ₂)(Q₁ᵀQ₂)ᵀ.
/// </summary>
public static class Subspace
{
    public static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"Subspace.Dot: lengths {a.Count} and {b.Count} differ");
        double s = 0;
        for (int i = 0; i < a.Count; i++) s += a[i] * b[i];
        return s;
    }

    public static double Norm(IReadOnlyList<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>|cos| of the angle between two vectors (1 = parallel or anti-parallel, 0 = orthogonal).</summary>
    public static double AbsCos(IReadOnlyList<double> a, IReadOnlyList<double> b) => Math.Abs(Dot(a, b)) / (Norm(a) * Norm(b));

    /// <summary>An orthonormal basis of span(<paramref name="vectors"/>) by modified Gram–Schmidt, each vector
    /// orthogonalised twice ("twice is enough", Kahan–Parlett), in the given order. Throws when a vector is (numerically,
    /// 1e-10 of its own norm) in the span of the previous ones.</summary>
    public static double[][] Orthonormalize(IReadOnlyList<double[]> vectors)
    {
        var q = new List<double[]>();
        foreach (var v in vectors)
        {
            var u = (double[])v.Clone();
            double original = Norm(u);
            if (!(original > 0)) throw new ArgumentException("Subspace.Orthonormalize: a spanning vector is zero");
            for (int pass = 0; pass < 2; pass++)
                foreach (var b in q)
                {
                    double c = Dot(u, b);
                    for (int i = 0; i < u.Length; i++) u[i] -= c * b[i];
                }
            double norm = Norm(u);
            if (norm <= 1e-10 * original) throw new ArgumentException($"Subspace.Orthonormalize: vector {q.Count} is linearly dependent on the previous ones");
            for (int i = 0; i < u.Length; i++) u[i] /= norm;
            q.Add(u);
        }
        return q.ToArray();
    }

    /// <summary>The min(p, q) principal angles (radians, ascending) between span(<paramref name="a"/>) and span(<paramref name="b"/>).</summary>
    public static double[] PrincipalAngles(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b)
    {
        var qa = Orthonormalize(a);
        var qb = Orthonormalize(b);
        if (qa.Length < qb.Length) (qa, qb) = (qb, qa);
        // M = Q_aᵀQ_b (p×q, p ≥ q); the cosines are the singular values of M, √eig(MᵀM) with MᵀM q×q.
        int p = qa.Length, k = qb.Length;
        var m = new double[p][];
        for (int i = 0; i < p; i++)
        {
            m[i] = new double[k];
            for (int j = 0; j < k; j++) m[i][j] = Dot(qa[i], qb[j]);
        }
        var mtm = new double[k][];
        for (int i = 0; i < k; i++)
        {
            mtm[i] = new double[k];
            for (int j = 0; j < k; j++)
            {
                double s = 0;
                for (int r = 0; r < p; r++) s += m[r][i] * m[r][j];
                mtm[i][j] = s;
            }
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++) mtm[i][j] = mtm[j][i] = (mtm[i][j] + mtm[j][i]) / 2;   // exact symmetry
        var (values, _) = SymmetricEigen.Decompose(mtm);
        return values.Select(v => Math.Acos(Math.Sqrt(Math.Clamp(v, 0, 1)))).OrderBy(t => t).ToArray();
    }

    /// <summary>Degrees from radians.</summary>
    public static double Degrees(double radians) => radians * 180 / Math.PI;
}
