namespace Nabla.Tests.OpDb;

/// <summary>Reference formulas for the op table on plain doubles (loops and textbook definitions only).</summary>
public static class Ref
{
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>erf by its Maclaurin series 2/√π Σ (−1)ⁿ x^(2n+1) / (n!(2n+1)) (|x| ≤ 3 here: 1e-13 accurate).</summary>
    public static double Erf(double x)
    {
        double sum = 0, term = x;   // term = (−1)ⁿ x^(2n+1) / n!
        for (int n = 0; n < 200; n++)
        {
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>Applies <paramref name="f"/> to every 1-d line of <paramref name="x"/> along <paramref name="dim"/>.</summary>
    public static Nd AlongDim(Nd x, int dim, Func<double[], double[]> f)
    {
        dim = dim < 0 ? dim + x.Rank : dim;
        var r = Nd.Zeros(x.Shape);
        int n = x.Shape[dim];
        for (int i = 0; i < x.Numel; i++)
        {
            var idx = x.Index(i);
            if (idx[dim] != 0) continue;
            var line = new double[n];
            for (int k = 0; k < n; k++) { idx[dim] = k; line[k] = x[idx]; }
            var o = f(line);
            for (int k = 0; k < n; k++) { idx[dim] = k; r[idx] = o[k]; }
        }
        return r;
    }

    public static double[] Softmax(double[] v)
    {
        double m = v.Max();
        var e = v.Select(a => Math.Exp(a - m)).ToArray();
        double s = e.Sum();
        return e.Select(a => a / s).ToArray();
    }

    public static double[] LogSoftmax(double[] v)
    {
        double m = v.Max();
        double lse = m + Math.Log(v.Sum(a => Math.Exp(a - m)));
        return v.Select(a => a - lse).ToArray();
    }

    /// <summary>x [N, K] · wᵀ (w [M, K]) + b [M] → [N, M].</summary>
    public static Nd Affine(Nd x, Nd w, Nd? b)
    {
        int n = x.Shape[0], k = x.Shape[1], m = w.Shape[0];
        var r = Nd.Zeros(n, m);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = b?.Data[j] ?? 0;
                for (int p = 0; p < k; p++) s += x.Data[i * k + p] * w.Data[j * k + p];
                r.Data[i * m + j] = s;
            }
        return r;
    }

    public static double Reduce(double[] terms, string reduction) => reduction switch
    {
        "mean" => terms.Average(),
        "sum" => terms.Sum(),
        _ => throw new ArgumentException(reduction),
    };

    public static Nd Reduced(double[] terms, int[] shape, string reduction) =>
        reduction == "none" ? new Nd(terms, shape) : new Nd([Reduce(terms, reduction)], []);

    public static LossReduction Parse(string reduction) => reduction switch
    {
        "mean" => LossReduction.Mean,
        "sum" => LossReduction.Sum,
        _ => LossReduction.None,
    };
}
