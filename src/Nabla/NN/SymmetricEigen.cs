namespace Nabla.NN;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix A = V·Λ·Vᵀ in double precision, written out here (no native library):
/// Householder reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson shifts, accumulating the
/// transformations (the EISPACK routines tred2 and tql2 of Wilkinson &amp; Reinsch, Handbook for Automatic Computation
/// vol. II, 1971, in the form of the public-domain JAMA library). O(n³); about a second for n = 784.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Eigenvalues in descending order and the matching unit eigenvectors (<c>Vectors[i]</c> belongs to
    /// <c>Values[i]</c>). Throws when <paramref name="a"/> is not square or not symmetric (to 1e-9 of its largest entry).</summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[][] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        int n = a.Length;
        if (n == 0) return ([], []);
        double scale = 0;
        foreach (var row in a)
        {
            if (row.Length != n) throw new ArgumentException($"SymmetricEigen: the matrix must be square, got a row of {row.Length} in a {n}-row matrix");
            foreach (double v in row) scale = Math.Max(scale, Math.Abs(v));
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (!(Math.Abs(a[i][j] - a[j][i]) <= 1e-9 * Math.Max(scale, double.Epsilon)))
                    throw new ArgumentException($"SymmetricEigen: the matrix is not symmetric (A[{i},{j}] = {a[i][j]}, A[{j},{i}] = {a[j][i]})");

        var z = a.Select(r => (double[])r.Clone()).ToArray();
        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(z, d, e);   // z: one column of the transformation per row, so the QL rotations touch contiguous rows
        TridiagonalQl(z, d, e);
        var order = Enumerable.Range(0, n).OrderByDescending(i => d[i]).ToArray();
        return (order.Select(i => d[i]).ToArray(), order.Select(i => z[i]).ToArray());
    }

    /// <summary>tred2: Householder reduction of the symmetric matrix in <paramref name="w"/> to tridiagonal form
    /// (diagonal <paramref name="d"/>, sub-diagonal <paramref name="e"/>[1..n−1]). JAMA's loops with every V[a][b] read as
    /// w[b][a] (the input is symmetric, so w starts as A either way): the inner loops then run along rows, and on return
    /// w holds the transformation transposed, one column of V per row.</summary>
    private static void Tridiagonalize(double[][] w, double[] d, double[] e)
    {
        int n = d.Length;
        for (int j = 0; j < n; j++) d[j] = w[j][n - 1];
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = w[j][i - 1];
                    w[j][i] = 0;
                    w[i][j] = 0;
                }
            }
            else
            {
                // The Householder vector.
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                // Apply the similarity transformation to the remaining columns.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    w[i][j] = f;
                    var wj = w[j];
                    g = e[j] + wj[j] * f;
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        g += wj[k] * d[k];
                        e[k] += wj[k] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    var wj = w[j];
                    for (int k = j; k <= i - 1; k++) wj[k] -= f * e[k] + g * d[k];
                    d[j] = wj[i - 1];
                    wj[i] = 0;
                }
            }
            d[i] = h;
        }
        // Accumulate the transformations.
        for (int i = 0; i < n - 1; i++)
        {
            w[i][n - 1] = w[i][i];
            w[i][i] = 1;
            double h = d[i + 1];
            var next = w[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++) d[k] = next[k] / h;
                for (int j = 0; j <= i; j++)
                {
                    var wj = w[j];
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += next[k] * wj[k];
                    for (int k = 0; k <= i; k++) wj[k] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) next[k] = 0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = w[j][n - 1];
            w[j][n - 1] = 0;
        }
        w[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>tql2: eigenvalues (into <paramref name="d"/>) and eigenvectors of the tridiagonal matrix (d, e) by the
    /// implicit QL method; <paramref name="z"/> holds the transposed transformation of <see cref="Tridiagonalize"/> and
    /// ends with one eigenvector per row.</summary>
    private static void TridiagonalQl(double[][] z, double[] d, double[] e)
    {
        int n = d.Length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        const double eps = 2.220446049250313e-16;   // 2⁻⁵²
        for (int l = 0; l < n; l++)
        {
            // Find a small sub-diagonal element.
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.Abs(e[m]) > eps * tst1) m++;
            if (m > l)
            {
                int iterations = 0;
                do
                {
                    if (++iterations > 100) throw new InvalidOperationException($"SymmetricEigen: the QL iteration did not converge for eigenvalue {l}");
                    // The Wilkinson shift.
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    // The implicit QL sweep.
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        double[] zi = z[i], zi1 = z[i + 1];
                        for (int k = 0; k < n; k++)
                        {
                            h = zi1[k];
                            zi1[k] = s * zi[k] + c * h;
                            zi[k] = c * zi[k] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }
}
