using Nabla.NN;
using static Nabla.Labs.Hand;

namespace Nabla.Labs;

/// <summary>Workbook Q12a–e, IFT6135 Q6 and 24789 P4a–c: 1-d and 2-d convolutions with the library (Tensor.Convolve /
/// Correlate, Conv2d, MaxPool2d, AvgPool2d, ConvArithmetic) and by hand. "Convolution" flips the kernel (signal
/// processing, IFT6135 Q6's "with kernel flipping"); a CNN layer (Conv2d) cross-correlates, without the flip. Both are shown.</summary>
public static class ConvolutionExercises
{
    public static readonly double[] M1 = [1, 2, 3, 4, -4, -2, -1, 0];
    public static readonly double[] K1 = [-1, 1, -1];
    public static readonly double[,] K2 = { { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } };
    public static readonly double[,] M2 = { { 1, -10, 10 }, { 5, 1, -5 }, { 1, -10, 0 } };
    public static readonly double[,] K3 = { { 0, 1, 0 }, { 1, 0, 1 }, { 0, 1, 0 } };
    public static readonly double[,] M3 = { { -1, 1, -1 }, { -1, 1, -1 }, { -1, 1, -1 }, { -1, 1, -1 } };
    public static readonly double[,] K4 = { { -1, 0, 0 }, { 0, 0, 0 }, { 0, 0, 1 } };
    public static readonly double[,] M4 = { { 5, 5, -10 }, { -5, 1, -1 }, { 5, -1, -10 } };

    /// <summary>Cross-correlation with zero padding: out[i, j] = Σ_{a,b} K[a, b]·M[i + a − p, j + b − p] (stride 1), by hand;
    /// <paramref name="flip"/> uses K rotated by 180° (true convolution).</summary>
    public static double[,] Correlate2d(Hand? h, string tag, double[,] m, double[,] k, int pad, bool flip)
    {
        int hi = m.GetLength(0), wi = m.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
        int ho = hi + 2 * pad - kh + 1, wo = wi + 2 * pad - kw + 1;
        var o = new double[ho, wo];
        for (int i = 0; i < ho; i++)
            for (int j = 0; j < wo; j++)
            {
                double s = 0;
                var terms = new List<string>();
                for (int a = 0; a < kh; a++)
                    for (int b = 0; b < kw; b++)
                    {
                        double kv = flip ? k[kh - 1 - a, kw - 1 - b] : k[a, b];
                        int r = i + a - pad, c = j + b - pad;
                        double mv = r >= 0 && r < hi && c >= 0 && c < wi ? m[r, c] : 0;
                        s += kv * mv;
                        if (kv != 0) terms.Add($"{N(kv)}·{N(mv)}");
                    }
                o[i, j] = s;
                h?.Let($"{tag}[{i + 1},{j + 1}]", terms.Count == 0 ? "0" : string.Join(" + ", terms), s);
            }
        return o;
    }

    /// <summary>Max pooling (window k, stride s, no padding, floor) by hand.</summary>
    public static double[,] MaxPool(Hand? h, string tag, double[,] m, int k, int s)
    {
        int ho = (m.GetLength(0) - k) / s + 1, wo = (m.GetLength(1) - k) / s + 1;
        var o = new double[ho, wo];
        for (int i = 0; i < ho; i++)
            for (int j = 0; j < wo; j++)
            {
                var win = new List<double>();
                for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) win.Add(m[i * s + a, j * s + b]);
                o[i, j] = win.Max();
                h?.Let($"{tag}[{i + 1},{j + 1}]", $"max({string.Join(", ", win.Select(N))})", o[i, j]);
            }
        return o;
    }

    private static Tensor Image(double[,] m) => Worked.T(m).Reshape(1, 1, m.GetLength(0), m.GetLength(1));

    private static Tensor Kernel(double[,] k) => Worked.T(k).Reshape(1, 1, k.GetLength(0), k.GetLength(1));

    /// <summary>Library: Conv2d (cross-correlation), or Conv2d with the kernel flipped (convolution).</summary>
    public static Tensor Conv(double[,] m, double[,] k, int pad, bool flip)
    {
        var kt = Kernel(k);
        return Image(m).Conv2d(flip ? kt.Flip(2, 3) : kt, null, 1, pad).Reshape(m.GetLength(0) + 2 * pad - k.GetLength(0) + 1, m.GetLength(1) + 2 * pad - k.GetLength(1) + 1);
    }

    public static Exercise Q12()
    {
        var h = new Hand();
        var answers = new List<Answer>();
        // a) 1-d, same length: numpy's 'same' = the centre of the full convolution.
        var conv1 = Tensor.Convolve(Worked.T(M1), Worked.T(K1), SignalMode.Same);
        var corr1 = Tensor.Correlate(Worked.T(M1), Worked.T(K1), SignalMode.Same);
        answers.Add(Worked.Of("a) M¹ * K¹ (convolution, same)", conv1, Correlate1d(h, "a) conv", M1, K1, 1, flip: true)));
        answers.Add(Worked.Of("a) M¹ ⋆ K¹ (cross-correlation, same)", corr1, Correlate1d(h, "a) corr", M1, K1, 1, flip: false)));
        var cases = new[] { ("b", "M² * K²", M2, K2), ("c", "M³ * K³", M3, K3), ("d", "M⁴ * K⁴", M4, K4) };
        var results = new Dictionary<string, double[,]>();
        foreach (var (id, name, m, k) in cases)
            foreach (bool flip in new[] { false, true })
            {
                string what = $"{id}) {name} ({(flip ? "convolution, kernel flipped" : "cross-correlation, as Conv2d")}, same)";
                var lib = Conv(m, k, 1, flip);
                var hand = Correlate2d(h, $"{id}) {(flip ? "conv" : "corr")}", m, k, 1, flip);
                results[$"{id}{flip}"] = hand;
                answers.Add(Worked.Of(what, lib, Worked.Flat(hand)));
            }
        // e) 2×2 max pooling, no padding, of the results of b–d: stride 2 (non-overlapping, the library's default) and stride 1.
        foreach (var (id, name, m, k) in cases)
            foreach (bool flip in id == "d" ? new[] { false, true } : new[] { false })
                foreach (int stride in new[] { 2, 1 })
                {
                    var src = results[$"{id}{flip}"];
                    var lib = new MaxPool2d(2, stride).Forward(Image(src));
                    var hand = MaxPool(h, $"e) pool{stride} {id}{(flip ? " conv" : "")}", src, 2, stride);
                    answers.Add(new Answer($"e) maxpool 2×2, stride {stride}, of {id}){(id == "d" ? (flip ? " (convolution)" : " (cross-correlation)") : "")}",
                        lib.ToDoubleArray(), Worked.Flat(hand), [hand.GetLength(0), hand.GetLength(1)]));
                }
        return new Exercise("Workbook Q12a–e", answers, h.Steps);
    }

    /// <summary>1-d cross-correlation with zero padding p on both ends (flipped kernel = convolution), by hand.</summary>
    public static double[] Correlate1d(Hand? h, string tag, double[] m, double[] k, int pad, bool flip)
    {
        int n = m.Length, kn = k.Length, o = n + 2 * pad - kn + 1;
        var r = new double[o];
        for (int i = 0; i < o; i++)
        {
            var terms = new List<string>();
            for (int a = 0; a < kn; a++)
            {
                double kv = flip ? k[kn - 1 - a] : k[a];
                int c = i + a - pad;
                double mv = c >= 0 && c < n ? m[c] : 0;
                r[i] += kv * mv;
                terms.Add($"{N(kv)}·{N(mv)}");
            }
            h?.Let($"{tag}[{i + 1}]", string.Join(" + ", terms), r[i]);
        }
        return r;
    }

    public static Exercise IftQ6()
    {
        double[] a = [1, 2, 3, 4], v = [1, 0, 2];
        var h = new Hand();
        int n = a.Length, m = v.Length;
        var full = new double[n + m - 1];
        for (int t = 0; t < full.Length; t++)
        {
            var terms = new List<string>();
            for (int i = 0; i < n; i++)
                if (t - i >= 0 && t - i < m) { full[t] += a[i] * v[t - i]; terms.Add($"{N(a[i])}·{N(v[t - i])}"); }
            h.Let($"full[{t}] = Σ_i a_i·v_(t−i)", string.Join(" + ", terms), full[t]);
        }
        int start = (Math.Min(n, m) - 1) / 2;
        var same = full.Skip(start).Take(Math.Max(n, m)).ToArray();
        h.Let("same = full[⌊(min(n, m) − 1)/2⌋ …], length max(n, m)", $"full[{start}..{start + same.Length - 1}]", same[0]);
        var valid = full.Skip(m - 1).Take(n - m + 1).ToArray();
        h.Let("valid = full[m − 1 … n − 1] (complete overlaps)", $"full[{m - 1}..{n - 1}]", valid[0]);
        var corrFull = new double[n + m - 1];
        for (int t = 0; t < corrFull.Length; t++)
            for (int i = 0; i < n; i++)
                if (t - i >= 0 && t - i < m) corrFull[t] += a[i] * v[m - 1 - (t - i)];
        var A = Worked.T(a);
        var V = Worked.T(v);
        return new Exercise("IFT6135 Q6", [
            Worked.Of("full (with flipping)", Tensor.Convolve(A, V, SignalMode.Full), full),
            Worked.Of("same (with flipping, NumPy's centring)", Tensor.Convolve(A, V, SignalMode.Same), same),
            Worked.Of("valid (with flipping)", Tensor.Convolve(A, V, SignalMode.Valid), valid),
            Worked.Of("full without flipping (cross-correlation)", Tensor.Correlate(A, V, SignalMode.Full), corrFull),
            Worked.Of("valid without flipping (cross-correlation)", Tensor.Correlate(A, V, SignalMode.Valid), corrFull.Skip(m - 1).Take(n - m + 1).ToArray()),
        ], h.Steps);
    }

    // 24789 P4: Fig. 5 (feature map and filters) is not in the seed text; these values are stated in the report.
    public static readonly double[,] P4F = { { 1, 2, 3, 0 }, { 0, 1, 2, 3 }, { 3, 0, 1, 2 }, { 2, 3, 0, 1 } };
    public static readonly double[,] P4Filter1 = { { 1, 0, -1 }, { 2, 0, -2 }, { 1, 0, -1 } };
    public static readonly double[,] P4Filter2 = { { 1, 1 }, { 1, 1 } };

    public static Exercise P4()
    {
        var h = new Hand();
        var answers = new List<Answer>();
        int n = P4F.GetLength(0);
        // a) same size at stride 1 with the 3×3 Filter1: o = n + 2p − 3 + 1 = n ⇒ p = 1.
        var pad = ConvArithmetic.Solve(n, 3, 1, null, 1, n);
        double pHand = h.Let("a) p for o = n: n + 2p − k + 1 = n", $"p = (k − 1)/2 = (3 − 1)/2", (3 - 1) / 2.0);
        answers.Add(Worked.Of("a) padding", pad.IsUnique ? pad.Min!.Value : double.NaN, pHand));
        var results = new Dictionary<bool, double[,]>();
        foreach (bool flip in new[] { false, true })
        {
            var hand = Correlate2d(h, $"a) F′ {(flip ? "conv" : "corr")}", P4F, P4Filter1, 1, flip);
            results[flip] = hand;
            answers.Add(Worked.Of($"a) F′ ({(flip ? "convolution, Filter1 flipped" : "cross-correlation, as Conv2d")})", Conv(P4F, P4Filter1, 1, flip), Worked.Flat(hand)));
        }
        // b) Filter2 (2×2), p = 1: o = ⌊(4 + 2 − 2)/s⌋ + 1 = 5, 3, 2, 2 for s = 1..4: never 4.
        var stride = ConvArithmetic.Solve(n, 2, null, 1, 1, n);
        answers.Add(Worked.Of("b) strides giving a 4×4 output (count)", stride.IsEmpty ? 0 : stride.Values(100).Count(), 0));
        for (int s = 1; s <= 4; s++)
            answers.Add(Worked.Of($"b) output size at stride {s}", ConvArithmetic.OutputSize(n, 2, s, 1),
                h.Let($"b) o(s = {s}) = ⌊(4 + 2·1 − 2)/{s}⌋ + 1", $"⌊4/{s}⌋ + 1", Math.Floor(4.0 / s) + 1)));
        // c) 2×2 average pooling, stride 2, of F′.
        foreach (bool flip in new[] { false, true })
        {
            var src = results[flip];
            var lib = new AvgPool2d(2).Forward(Image(src)).ToDoubleArray();
            var hand = new double[2, 2];
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                {
                    double[] win = [src[2 * i, 2 * j], src[2 * i, 2 * j + 1], src[2 * i + 1, 2 * j], src[2 * i + 1, 2 * j + 1]];
                    hand[i, j] = h.Let($"c) avg {(flip ? "conv" : "corr")}[{i + 1},{j + 1}]", $"({string.Join(" + ", win.Select(N))})/4", win.Sum() / 4);
                }
            answers.Add(new Answer($"c) AvgPool 2×2, stride 2, of F′ ({(flip ? "convolution" : "cross-correlation")})", lib, Worked.Flat(hand), [2, 2]));
        }
        return new Exercise("24789 T-P4(a)–(c)", answers, h.Steps);
    }
}
