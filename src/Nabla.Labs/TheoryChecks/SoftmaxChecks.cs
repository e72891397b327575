using System.Diagnostics;

namespace Nabla.Labs;

/// <summary>IFT6135 Q2.1–2.3: the Jacobians of softmax and sigmoid at one x, by formula and by autograd (one backward
/// pass per output). <see cref="Formula"/> is diag(S) − SSᵀ, shown in the report for small n.</summary>
public sealed record JacobianCheck(int N, double[] X, double[,] Formula, double MaxSoftmaxError, double MaxSigmoidError, double MaxSigmoidOffDiagonal);

/// <summary>IFT6135 Q2.4 at one n: the product (∂S/∂x)ᵀg three ways (explicit Jacobian, the O(n) form S ⊙ (g − ⟨g, S⟩),
/// the library's softmax backward), their median times, operation counts and largest disagreement.</summary>
public sealed record VjpRow(int N, double ExplicitSeconds, double LinearSeconds, double AutogradSeconds, long ExplicitOps, long LinearOps, double MaxDifference);

/// <summary>IFT6135 Q3.1: max |S(x + c) − S(x)| (library) and whether the naive e^x/Σe^x overflows at x + c.</summary>
public sealed record ShiftRow(double C, double MaxDifference, bool NaiveOverflows);

/// <summary>IFT6135 Q3.2: S(cx) at one c: its entries, and its distances to the uniform vector and to the one-hot of argmax x.</summary>
public sealed record ScaleRow(double C, double[] S, double MaxFromUniform, double MaxFromOneHot);

/// <summary>IFT6135 Q3.3–3.4 over random vectors: max |S(x) − [σ(x₁ − x₂), 1 − σ(x₁ − x₂)]| for K = 2 and
/// max |S(x) − S([0, x₂ − x₁, …, x_K − x₁])| for each K.</summary>
public sealed record ReparamCheck(int Samples, double MaxTwoClassError, IReadOnlyList<(int K, double MaxError)> KMinusOne);

public static class SoftmaxChecks
{
    public static double[] Softmax(double[] x)
    {
        double m = x.Max(), z = 0;
        var e = x.Select(v => Math.Exp(v - m)).ToArray();
        foreach (var v in e) z += v;
        return e.Select(v => v / z).ToArray();
    }

    /// <summary>J_ij = S_i(δ_ij − S_j) = (diag(S) − SSᵀ)_ij.</summary>
    public static double[,] SoftmaxJacobian(double[] s)
    {
        int n = s.Length;
        var j = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) j[a, b] = (a == b ? s[a] : 0) - s[a] * s[b];
        return j;
    }

    /// <summary>Row i of ∂f(x)/∂x by autograd: backward of f(x)_i.</summary>
    public static double[,] AutogradJacobian(double[] x, Func<Tensor, Tensor> f)
    {
        int n = x.Length;
        var j = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            var xt = Tensor.FromArray(x, n).RequiresGrad_();
            f(xt).Select(0, i).Backward();
            var g = xt.Grad!.ToDoubleArray();
            for (int k = 0; k < n; k++) j[i, k] = g[k];
        }
        return j;
    }

    public static JacobianCheck Jacobians(int n, Generator gen)
    {
        var x = Tensor.Randn([n], 0, 1, DType.Float64, gen).ToDoubleArray();
        var s = Softmax(x);
        var formula = SoftmaxJacobian(s);
        var auto = AutogradJacobian(x, t => t.Softmax(0));
        var sigAuto = AutogradJacobian(x, t => t.Sigmoid());
        double errS = 0, errSig = 0, offDiag = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                errS = Math.Max(errS, Math.Abs(formula[a, b] - auto[a, b]));
                double sg = 1 / (1 + Math.Exp(-x[a]));
                double expected = a == b ? sg * (1 - sg) : 0;             // diag(σ(x) ⊙ (1 − σ(x)))
                errSig = Math.Max(errSig, Math.Abs(expected - sigAuto[a, b]));
                if (a != b) offDiag = Math.Max(offDiag, Math.Abs(sigAuto[a, b]));
            }
        return new JacobianCheck(n, x, formula, errS, errSig, offDiag);
    }

    /// <summary>(∂S/∂x)ᵀg with the Jacobian built explicitly: n² entries, then n² multiply-adds.</summary>
    public static double[] ExplicitVjp(double[] s, double[] g)
    {
        int n = s.Length;
        var j = SoftmaxJacobian(s);
        var r = new double[n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) r[b] += j[a, b] * g[a];
        return r;
    }

    /// <summary>(∂S/∂x)ᵀg = S ⊙ (g − ⟨g, S⟩): n multiply-adds for ⟨g, S⟩, then n subtractions and n products.</summary>
    public static double[] LinearVjp(double[] s, double[] g)
    {
        double dot = 0;
        for (int i = 0; i < s.Length; i++) dot += g[i] * s[i];
        var r = new double[s.Length];
        for (int i = 0; i < s.Length; i++) r[i] = s[i] * (g[i] - dot);
        return r;
    }

    /// <summary>Operation counts: explicit = n² (build J: one product each, the diagonal's subtraction counted in) +
    /// n² multiply-adds; O(n) form = n multiply-adds + n subtractions + n products.</summary>
    public static (long Explicit, long Linear) OpCounts(int n) => (2L * n * n, 3L * n);

    public static IReadOnlyList<VjpRow> VectorJacobianProducts(IReadOnlyList<int> sizes, int repeats, double minSeconds, Generator gen)
    {
        var rows = new List<VjpRow>();
        foreach (int n in sizes)
        {
            var x = Tensor.Randn([n], 0, 1, DType.Float64, gen).ToDoubleArray();
            var g = Tensor.Randn([n], 0, 1, DType.Float64, gen).ToDoubleArray();
            var s = Softmax(x);
            var e = ExplicitVjp(s, g);
            var l = LinearVjp(s, g);
            var gt = Tensor.FromArray(g, n);
            double[] Autograd()
            {
                var xt = Tensor.FromArray(x, n).RequiresGrad_();
                xt.Softmax(0).Backward(gt);                    // x.Grad = (∂S/∂x)ᵀg
                return xt.Grad!.ToDoubleArray();
            }
            var a = Autograd();
            double diff = 0;
            for (int i = 0; i < n; i++) diff = Math.Max(diff, Math.Max(Math.Abs(e[i] - l[i]), Math.Abs(a[i] - l[i])));
            var (oe, ol) = OpCounts(n);
            rows.Add(new VjpRow(n, Time(() => ExplicitVjp(s, g), repeats, minSeconds), Time(() => LinearVjp(s, g), repeats, minSeconds),
                Time(Autograd, repeats, minSeconds), oe, ol, diff));
        }
        return rows;
    }

    /// <summary>Median over <paramref name="repeats"/> of the mean time per call, each measurement calling
    /// <paramref name="f"/> until at least <paramref name="minSeconds"/> have passed.</summary>
    public static double Time(Func<double[]> f, int repeats, double minSeconds)
    {
        f();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            int calls = 0;
            do { f(); calls++; } while (sw.Elapsed.TotalSeconds < minSeconds);
            times[r] = sw.Elapsed.TotalSeconds / calls;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    /// <summary>Least-squares slope of log t against log n (the exponent a in t ∝ nᵃ).</summary>
    public static double GrowthExponent(IReadOnlyList<int> n, IReadOnlyList<double> t)
    {
        var lx = n.Select(v => Math.Log(v)).ToArray();
        var ly = t.Select(v => Math.Log(v)).ToArray();
        double mx = lx.Average(), my = ly.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < lx.Length; i++) { sxy += (lx[i] - mx) * (ly[i] - my); sxx += (lx[i] - mx) * (lx[i] - mx); }
        return sxx == 0 ? double.NaN : sxy / sxx;
    }

    public static IReadOnlyList<ShiftRow> Shifts(double[] x, IReadOnlyList<double> cs)
    {
        var s = Tensor.FromArray(x, x.Length).Softmax(0).ToDoubleArray();
        return cs.Select(c =>
        {
            var shifted = Tensor.FromArray(x.Select(v => v + c).ToArray(), x.Length).Softmax(0).ToDoubleArray();
            double d = s.Zip(shifted).Max(p => Math.Abs(p.First - p.Second));
            var naive = x.Select(v => Math.Exp(v + c)).ToArray();
            double z = naive.Sum();
            bool overflow = naive.Any(v => !double.IsFinite(v / z)) || z == 0;
            return new ShiftRow(c, d, overflow);
        }).ToList();
    }

    public static IReadOnlyList<ScaleRow> Scales(double[] x, IReadOnlyList<double> cs)
    {
        int n = x.Length, top = Array.IndexOf(x, x.Max());
        return cs.Select(c =>
        {
            var s = (Tensor.FromArray(x, n) * c).Softmax(0).ToDoubleArray();
            double u = s.Max(v => Math.Abs(v - 1.0 / n));
            double o = s.Select((v, i) => Math.Abs(v - (i == top ? 1 : 0))).Max();
            return new ScaleRow(c, s, u, o);
        }).ToList();
    }

    public static ReparamCheck Reparameterisations(int samples, IReadOnlyList<int> ks, Generator gen)
    {
        // K = 2: S(x) = [σ(z), 1 − σ(z)] with z = x₁ − x₂.
        var x2 = Tensor.Randn([samples, 2], 0, 3, DType.Float64, gen);
        var s2 = x2.Softmax(1).ToDoubleArray();
        var z = x2.Select(1, 0) - x2.Select(1, 1);
        var sig = z.Sigmoid().ToDoubleArray();
        double two = 0;
        for (int i = 0; i < samples; i++)
            two = Math.Max(two, Math.Max(Math.Abs(s2[2 * i] - sig[i]), Math.Abs(s2[2 * i + 1] - (1 - sig[i]))));
        var list = new List<(int, double)>();
        foreach (int k in ks)
        {
            var x = Tensor.Randn([samples, k], 0, 3, DType.Float64, gen);
            var y = x - x.Narrow(1, 0, 1);                     // [0, x₂ − x₁, …, x_K − x₁]: K − 1 free numbers
            var d = (x.Softmax(1) - y.Softmax(1)).Abs().Max().Item();
            list.Add((k, d));
        }
        return new ReparamCheck(samples, two, list);
    }
}
