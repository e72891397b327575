namespace Nabla.Labs;

/// <summary>One minimax problem solved by descent on its inner maximum: the decision found, the worst case it leaves,
/// the answer known in closed form, and the worst case of the usual (least-squares / mean) choice beside it.</summary>
public sealed record MinimaxRun(string Problem, double[] Found, double FoundWorst, double[] Known, double KnownWorst, double[] Usual, double UsualWorst);

/// <summary>
/// Workbook Q20a (two minimax problems from outside deep learning and games), each solved with the library's autograd:
/// min over a decision of the maximum over cases. The gradient of a max is the gradient of the case that attains it, so
/// descent on the inner maximum moves the decision against the current worst case — the same inner/outer structure as
/// a GAN's min over G of the max over D, with the adversary replaced by an exact max over finitely many cases.
/// <list type="number">
/// <item>Chebyshev (uniform) approximation, from numerical analysis: the line a·x + b that minimises the largest error to
/// f(x) = x² on 101 points of [0, 1]. Known (equioscillation): x − 1/8, largest error 1/8; least squares leaves 1/6.</item>
/// <item>The 1-center (smallest enclosing circle) problem, from facility location: the site c that minimises the largest
/// distance to a set of customers. For the right triangle (0, 0), (4, 0), (0, 3) with points inside it, the circle through
/// the three corners: centre (2, 1.5), radius 2.5; the centroid (the mean) leaves a larger worst distance.</item>
/// </list>
/// </summary>
public static class MinimaxExamples
{
    public static IReadOnlyList<MinimaxRun> Run(int steps, Generator gen) => [Chebyshev(steps), OneCenter(steps, gen)];

    public static MinimaxRun Chebyshev(int steps)
    {
        var xs = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();
        var x = Tensor.FromArray(xs, xs.Length);
        var f = x * x;
        double Worst(double a, double b) => xs.Max(v => Math.Abs(v * v - (a * v + b)));
        var p = Descend([0.0, 0.0], steps, w => (f - (x * w[0] + w[1])).Abs().Max());
        // Least squares on the same points: the normal equations of a line.
        double mx = xs.Average(), my = xs.Average(v => v * v);
        double slope = xs.Sum(v => (v - mx) * (v * v - my)) / xs.Sum(v => (v - mx) * (v - mx)), icpt = my - slope * mx;
        return new MinimaxRun("Chebyshev line for x² on [0, 1]", p, Worst(p[0], p[1]), [1, -0.125], Worst(1, -0.125), [slope, icpt], Worst(slope, icpt));
    }

    public static MinimaxRun OneCenter(int steps, Generator gen)
    {
        // The triangle's corners and 40 points inside it (u + v ≤ 1 in barycentric terms).
        var pts = new List<(double X, double Y)> { (0, 0), (4, 0), (0, 3) };
        var uv = Tensor.Rand([40, 2], 0, 1, DType.Float64, gen).ToDoubleArray();
        for (int i = 0; i < 40; i++)
        {
            double u = uv[2 * i], v = uv[2 * i + 1];
            if (u + v > 1) (u, v) = (1 - u, 1 - v);
            pts.Add((4 * u, 3 * v));
        }
        var px = Tensor.FromArray(pts.Select(q => q.X).ToArray(), pts.Count);
        var py = Tensor.FromArray(pts.Select(q => q.Y).ToArray(), pts.Count);
        double Worst(double cx, double cy) => pts.Max(q => Math.Sqrt((q.X - cx) * (q.X - cx) + (q.Y - cy) * (q.Y - cy)));
        var c = Descend([1.0, 1.0], steps, w => ((px - w[0]).Square() + (py - w[1]).Square()).Sqrt().Max());
        double mx = pts.Average(q => q.X), my = pts.Average(q => q.Y);
        return new MinimaxRun("smallest enclosing circle (1-center)", c, Worst(c[0], c[1]), [2, 1.5], Worst(2, 1.5), [mx, my], Worst(mx, my));
    }

    /// <summary>Subgradient descent on the inner maximum with a step size falling as 1/√t (Adam's moments would
    /// average away the switching between worst cases); returns the best decision seen.</summary>
    private static double[] Descend(double[] start, int steps, Func<Tensor[], Tensor> worst)
    {
        var cur = (double[])start.Clone();
        double best = double.PositiveInfinity;
        double[] bestW = cur;
        for (int t = 1; t <= steps; t++)
        {
            var w = cur.Select(v => Tensor.Full([], v, DType.Float64, requiresGrad: true)).ToArray();
            var m = worst(w);
            double value = m.Item();
            if (value < best) { best = value; bestW = (double[])cur.Clone(); }
            m.Backward();
            double lr = 0.5 / Math.Sqrt(t);
            cur = cur.Select((v, i) => v - lr * w[i].Grad!.Item()).ToArray();
        }
        return bestW;
    }

    /// <summary>What the two runs show, by the numbers: whether descent found the known minimax answer, and how much the
    /// usual mean-based choice leaves on the table in the worst case.</summary>
    public static string Says(IReadOnlyList<MinimaxRun> runs)
    {
        string F(double v) => LabReport.Format(v);
        var parts = runs.Select(r =>
        {
            bool found = Math.Abs(r.FoundWorst - r.KnownWorst) <= 0.01 * r.KnownWorst;
            return (found
                    ? $"For the {r.Problem}, descent on the maximum reaches a worst case of {F(r.FoundWorst)}, the known optimum {F(r.KnownWorst)} (within 1 %)"
                    : $"For the {r.Problem}, descent on the maximum reaches a worst case of {F(r.FoundWorst)} against the known optimum {F(r.KnownWorst)} (not within 1 % at this budget)")
                + $"; the usual mean-based choice leaves {F(r.UsualWorst)}, {F(r.UsualWorst / r.KnownWorst)}× the minimax worst case.";
        });
        return string.Join(" ", parts) + " In both the decision-maker minimises and the 'adversary' is the worst data point or customer, which" +
               " maximises: a minimax problem with no game and no network in it.";
    }
}
