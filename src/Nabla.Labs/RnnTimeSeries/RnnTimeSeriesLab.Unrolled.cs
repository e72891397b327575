namespace Nabla.Labs;

// Workbook Q16a: the standard RNN's recurrence unrolled over the five inputs of Workbook Q15, written out and
// evaluated as one nested expression.
public sealed partial class RnnTimeSeriesLab
{
    private static string Sup(int t) => string.Concat(t.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => "⁰¹²³⁴⁵⁶⁷⁸⁹"[c - '0']));

    /// <summary>ŷ⁽ᵀ⁾ of a standard RNN (a⁽ᵗ⁾ = b + W h⁽ᵗ⁻¹⁾ + U x⁽ᵗ⁾, h⁽ᵗ⁾ = ReLU(a⁽ᵗ⁾), ŷ⁽ᵗ⁾ = σ(c + V h⁽ᵗ⁾)) with every
    /// h⁽ᵗ⁾ substituted, down to h⁽⁰⁾: the unrolled formula over <paramref name="steps"/> inputs.</summary>
    public static string UnrolledFormula(int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "an unrolled RNN needs at least one input");
        string h = "h⁰";
        for (int t = 1; t <= steps; t++) h = $"ReLU(b + U x{Sup(t)} + W·{h})";
        return $"ŷ{Sup(steps)} = σ(c + V·{h})";
    }

    /// <summary>The unrolled formula evaluated as one nested tensor expression (Linear and Relu, no RnnCell) with the
    /// Workbook Q15 weights over its inputs; equals the step-by-step ŷ⁽ᵀ⁾.</summary>
    public static double UnrolledValue()
    {
        using var _ = GradMode.NoGrad();
        var xs = RecurrentExercises.Q15X;
        Tensor H(int t) => t == 0
            ? Tensor.Zeros([1, 2], DType.Float64)
            : (Worked.T(xs[t - 1], 1, 2).Linear(Worked.T(RecurrentExercises.Q15U), Worked.T(RecurrentExercises.Q15B)) + H(t - 1).Linear(Worked.T(RecurrentExercises.Q15W))).Relu();
        return H(xs.Length).Linear(Worked.T(RecurrentExercises.Q15V, 1, 2), Worked.T([RecurrentExercises.Q15C])).Sigmoid().Item();
    }

    private static void UnrolledSection(LabReport report, double stepwise)
    {
        int T = RecurrentExercises.Q15X.Length;
        double nested = UnrolledValue();
        report.Paragraph($"""
            **Workbook Q16a — the recurrence unrolled over the {T} inputs.** Substituting every h⁽ᵗ⁾ into the next step gives one
            formula for the last output; U, W and b appear {T} times but are the same numbers at every step (weight sharing: the
            recurrence has {2 * 2 + 2 * 2 + 2} parameters whatever the sequence length, and V, c add {2 + 1}):
            """);
        report.Code(UnrolledFormula(T));
        report.Paragraph($"Evaluated as that single nested expression (library `Linear` and `Relu`, no `RnnCell`) with the Q15 weights and data: " +
                         $"ŷ{Sup(T)} = {LabReport.Format(nested)}, against {LabReport.Format(stepwise)} step by step above " +
                         $"(difference {LabReport.Format(Math.Abs(nested - stepwise))}). Backpropagation through time differentiates this nested expression: " +
                         $"∂ŷ{Sup(T)}/∂W collects one term per occurrence of W.");
        report.Metric("workbook_q16a_unrolled_y", nested);
    }
}
