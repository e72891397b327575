using System.Globalization;

namespace Nabla.Labs;

/// <summary>
/// Small, tested rules that pick the sentence a report may say about its numbers, so prose never asserts what the
/// table beside it contradicts. Each returns text chosen from the values, never a fixed claim.
/// </summary>
public static class Says
{
    /// <summary>"A (x) beats B (y)", "B beats A", or "A and B tie (within tol)": for metrics where higher is better.</summary>
    public static string Compare(string a, double x, string b, double y, double tol, string unit = "", bool higherIsBetter = true)
    {
        if (double.IsNaN(x) || double.IsNaN(y)) return $"{a} and {b} cannot be compared (a value is missing)";
        string fx = F(x) + unit, fy = F(y) + unit;
        if (Math.Abs(x - y) <= tol) return $"{a} ({fx}) and {b} ({fy}) are within {F(tol)}{unit} of each other: no clear difference";
        bool aBetter = higherIsBetter ? x > y : x < y;
        return aBetter ? $"{a} ({fx}) does better than {b} ({fy})" : $"{b} ({fy}) does better than {a} ({fx})";
    }

    /// <summary>Whether <paramref name="value"/> meets <paramref name="bar"/> (≥ when higher is better), in words.</summary>
    public static string Bar(string what, double value, double bar, string unit = "", bool higherIsBetter = true)
    {
        bool met = higherIsBetter ? value >= bar : value <= bar;
        return met ? $"{what} ({F(value)}{unit}) meets the bar of {F(bar)}{unit}"
                   : $"{what} ({F(value)}{unit}) does not meet the bar of {F(bar)}{unit}";
    }

    /// <summary>The label of the best entry (highest value, or lowest when <paramref name="higherIsBetter"/> is false).</summary>
    public static string Best(IEnumerable<(string Label, double Value)> entries, bool higherIsBetter = true)
    {
        var list = entries.Where(e => !double.IsNaN(e.Value)).ToList();
        if (list.Count == 0) return "none";
        return (higherIsBetter ? list.MaxBy(e => e.Value) : list.MinBy(e => e.Value)).Label;
    }

    /// <summary>"decreases", "increases" or "stays flat" for a series (first vs last, relative tolerance).</summary>
    public static string Trend(IReadOnlyList<double> series, double relTol = 0.02)
    {
        if (series.Count < 2) return "has a single value";
        double a = series[0], b = series[^1];
        if (Math.Abs(b - a) <= relTol * Math.Max(Math.Abs(a), 1e-12)) return "stays flat";
        return b < a ? "decreases" : "increases";
    }

    private static string F(double v) => LabReport.Format(v);
}
