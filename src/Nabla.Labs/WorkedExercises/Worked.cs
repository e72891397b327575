using System.Globalization;

namespace Nabla.Labs;

/// <summary>One quantity of an exercise: the library's value(s) beside the plain-double ("by hand") value(s), with the
/// shape to print them in (empty = scalar, [n] = vector, [r, c] = matrix). <see cref="Note"/> names a convention.</summary>
public sealed record Answer(string Name, double[] Library, double[] ByHand, int[] Shape, string Note = "")
{
    public double MaxDifference => Library.Length != ByHand.Length ? double.NaN
        : Library.Length == 0 ? 0 : Library.Zip(ByHand).Max(p => Math.Abs(p.First - p.Second));

    /// <summary>max_i |library_i − hand_i| / max(1, |hand_i|): the measure the agreement tolerance applies to.</summary>
    public double MaxRelativeDifference => Library.Length != ByHand.Length ? double.NaN
        : Library.Length == 0 ? 0 : Library.Zip(ByHand).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.Second)));
}

/// <summary>One line of the step-by-step arithmetic: the quantity, the expression with the numbers substituted, its value.</summary>
public sealed record HandStep(string What, string Arithmetic, double Value);

/// <summary>A worked exercise: seed item id (as the coverage audit names it), answers, steps.</summary>
public sealed record Exercise(string Id, IReadOnlyList<Answer> Answers, IReadOnlyList<HandStep> Steps)
{
    public Answer this[string name] => Answers.FirstOrDefault(a => a.Name == name)
        ?? throw new KeyNotFoundException($"{Id} has no answer '{name}' (has: {string.Join(", ", Answers.Select(a => a.Name))})");

    public double MaxDifference => Answers.Count == 0 ? 0 : Answers.Max(a => a.MaxDifference);
}

/// <summary>Records the step-by-step arithmetic of an exercise computed with plain doubles.</summary>
public sealed class Hand
{
    public List<HandStep> Steps { get; } = [];

    /// <summary>Records "what = arithmetic = value" and returns the value.</summary>
    public double Let(string what, string arithmetic, double value)
    {
        Steps.Add(new HandStep(what, arithmetic, value));
        return value;
    }

    /// <summary>A number as written in a step: up to 6 significant digits, negatives in parentheses.</summary>
    public static string N(double v)
    {
        if (v == 0) v = 0;                                                   // −0 → 0
        string s = Math.Abs(v) >= 1e6 || (v != 0 && Math.Abs(v) < 1e-4) ? v.ToString("0.#####e+0", CultureInfo.InvariantCulture)
            : Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture);
        return v < 0 ? $"({s})" : s;
    }

    /// <summary>"a₁·b₁ + a₂·b₂ + …" and Σ a_i·b_i (terms with a zero factor kept, so the reader sees every product).</summary>
    public static (string Text, double Value) Dot(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double s = 0;
        var parts = new List<string>();
        for (int i = 0; i < a.Count; i++) { s += a[i] * b[i]; parts.Add($"{N(a[i])}·{N(b[i])}"); }
        return (string.Join(" + ", parts), s);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static double Relu(double z) => Math.Max(z, 0);
}

/// <summary>Helpers to turn tensors and arrays into <see cref="Answer"/>s.</summary>
public static class Worked
{
    public static Answer Of(string name, Tensor library, double[] byHand, string note = "") =>
        new(name, library.ToDoubleArray(), byHand, library.Shape.ToArray(), note);

    public static Answer Of(string name, double library, double byHand, string note = "") => new(name, [library], [byHand], [], note);

    public static Answer Of(string name, double[] library, double[] byHand, int[] shape, string note = "") => new(name, library, byHand, shape, note);

    public static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

    public static Tensor T(double[,] m) => Tensor.FromArray(m);

    public static Tensor T(double[] v, params int[] shape) => Tensor.FromArray(v, shape.Length == 0 ? [v.Length] : shape);

    /// <summary>Values in their shape: "2.5", "[1, 2]", "[[1, 2], [3, 4]]" (rank ≥ 3 flattened per leading index).</summary>
    /// <summary>A value for the tables: whole numbers exactly (73728, not 7.373e+4), others as <see cref="LabReport.Format"/>.</summary>
    public static string Num(double x) =>
        x == Math.Floor(x) && Math.Abs(x) < 1e12 ? (x + 0.0).ToString("0", CultureInfo.InvariantCulture) : LabReport.Format(x);

    public static string Show(double[] v, int[] shape)
    {
        string F(double x) => Num(x);
        if (shape.Length == 0 || v.Length == 1 && shape.All(d => d == 1)) return v.Length == 1 ? F(v[0]) : "[" + string.Join(", ", v.Select(F)) + "]";
        int cols = shape[^1];
        if (shape.Length == 1 || v.Length == cols) return "[" + string.Join(", ", v.Select(F)) + "]";
        var rows = Enumerable.Range(0, v.Length / cols).Select(r => "[" + string.Join(", ", v.Skip(r * cols).Take(cols).Select(F)) + "]");
        return "[" + string.Join(", ", rows) + "]";
    }
}
