namespace Nabla.Labs;

/// <summary>How far two sequences of batch losses are apart over <see cref="Steps"/> steps: max |a − b|, max |a − b| / |b|
/// (NaN when a loss is not finite), the first step (1-based) whose relative difference exceeds 1e-3 (0 if none), and the
/// largest relative difference over the first 10 steps (after at most nine updates, before small differences can grow).</summary>
public sealed record LossDifference(int Steps, double MaxAbs, double MaxRel, int FirstStepAbove1e3, double MaxRelFirst10)
{
    public static LossDifference Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        int n = Math.Min(a.Count, b.Count), first = 0;
        double maxAbs = 0, maxRel = 0, first10 = 0;
        for (int i = 0; i < n; i++)
        {
            double d = Math.Abs(a[i] - b[i]), r = d / Math.Max(Math.Abs(b[i]), 1e-12);
            if (double.IsNaN(d)) return new LossDifference(n, double.NaN, double.NaN, first == 0 ? i + 1 : first, i < 10 ? double.NaN : first10);
            maxAbs = Math.Max(maxAbs, d);
            maxRel = Math.Max(maxRel, r);
            if (first == 0 && r > 1e-3) first = i + 1;
            if (i < 10) first10 = maxRel;
        }
        return new LossDifference(n, maxAbs, maxRel, first, first10);
    }
}
