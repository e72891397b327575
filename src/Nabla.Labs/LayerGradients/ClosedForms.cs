namespace Nabla.Labs;

/// <summary>
/// Dense row-major helpers for the closed forms written in the lab (plain loops, float64). Kept apart from the library
/// on purpose: column (a) of every table must not share code with the explicit layers (b) or the ops (c).
/// </summary>
internal static class ClosedForms
{
    /// <summary>C = A·B for A [n, k], B [k, m].</summary>
    public static double[] MatMul(double[] a, double[] b, int n, int k, int m)
    {
        var c = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int t = 0; t < k; t++) s += a[i * k + t] * b[t * m + j];
                c[i * m + j] = s;
            }
        return c;
    }

    /// <summary>Aᵀ for A [n, m].</summary>
    public static double[] Transpose(double[] a, int n, int m)
    {
        var t = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
        return t;
    }

    /// <summary>Σ_i A[i, :] for A [n, m].</summary>
    public static double[] SumRows(double[] a, int n, int m)
    {
        var s = new double[m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) s[j] += a[i * m + j];
        return s;
    }

    public static double[] Map(double[] x, Func<double, double> f) => Array.ConvertAll(x, v => f(v));

    public static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
    {
        var z = new double[a.Length];
        for (int i = 0; i < a.Length; i++) z[i] = f(a[i], b[i]);
        return z;
    }

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>S(x)_i = e^(x_i − max x) / Σ_j e^(x_j − max x) of one row.</summary>
    public static double[] Softmax(ReadOnlySpan<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (double v in x) max = Math.Max(max, v);
        var s = new double[x.Length];
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += s[i] = Math.Exp(x[i] - max);
        for (int i = 0; i < x.Length; i++) s[i] /= sum;
        return s;
    }

    /// <summary>Row-wise softmax of [n, c].</summary>
    public static double[] SoftmaxRows(double[] x, int n, int c)
    {
        var p = new double[n * c];
        for (int i = 0; i < n; i++) Softmax(x.AsSpan(i * c, c)).CopyTo(p, i * c);
        return p;
    }

    /// <summary>The one-hot matrix Y [n, c] of labels.</summary>
    public static double[] OneHot(int[] labels, int c)
    {
        var y = new double[labels.Length * c];
        for (int i = 0; i < labels.Length; i++) y[i * c + labels[i]] = 1;
        return y;
    }

    /// <summary>v · s for every element.</summary>
    public static double[] Scale(double[] v, double s) => Map(v, e => e * s);
}
