using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class RnnTimeSeriesLab
{
    public override void Report(LabReport report, RnnTimeSeriesSettings s, RnnTimeSeriesResult r)
    {
        report.Paragraph("""
            Model: h_t = ReLU(W_xh·x_t + W_hh·h_(t−1) + b_h), y_t = σ(w_y·h_t + b_y), h_0 = 0, with two hidden units and
            hand-set weights W_xh = (1, −1)ᵀ, W_hh = [[0.5, 0], [0, 0.5]], b_h = 0, w_y = (1, −1), b_y = 0. Unit 1 sums
            positive evidence and unit 2 negative evidence, each forgetting half of its value per step; the output
            σ(h1 − h2) reads as "the recent input was positive". The recurrence runs through Nabla's fused RNN cell
            (`x.RnnCell(h, W_ih, W_hh, nonlinearity: Relu)`), the readout through `Linear` and `Sigmoid`.
            """);
        var xs = r.Sequence;
        var rows = new List<IReadOnlyList<object>>();
        double h1 = 0, h2 = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            rows.Add([t + 1, xs[t], xs[t] + 0.5 * h1, r.Hidden[t][0], -xs[t] + 0.5 * h2, r.Hidden[t][1], r.Hidden[t][0] - r.Hidden[t][1], r.Output[t]]);
            (h1, h2) = (r.Hidden[t][0], r.Hidden[t][1]);
            report.Metric($"y_{t + 1}", r.Output[t]);
        }
        report.Heading($"Forward pass over x = ({string.Join(", ", xs.Select(Num))})");
        report.Table(["t", "x_t", "x_t + ½h1", "h1 = ReLU(·)", "−x_t + ½h2", "h2 = ReLU(·)", "h1 − h2", "y_t = σ(h1 − h2)"], rows);
        report.Paragraph(string.Join(" ", new[]
        {
            HandVerdict(r),
            "The ½ recurrent weight gives each unit a memory with a half-life of one step.",
            SignVerdict(xs, r.Hidden),
            RecoveryVerdict(xs, r.Output),
        }.Where(t => t.Length > 0)));

        var steps = Enumerable.Range(1, r.Sine.Length).Select(t => (double)t).ToArray();
        new LineChart { Title = FormattableString.Invariant($"ReLU RNN over x_t = sin(2πt/{s.SinePeriod})"), XLabel = "t", YLabel = "value", Markers = true }
            .Add("x_t", steps, r.Sine).Add("h1 (positive memory)", steps, r.SineHidden.Select(v => v[0]).ToArray())
            .Add("h2 (negative memory)", steps, r.SineHidden.Select(v => v[1]).ToArray()).Add("y_t = σ(h1 − h2)", steps, r.SineOutput)
            .SavePng(report.PathOf("sine.png"));
        var hs = Enumerable.Range(1, xs.Length).Select(t => (double)t).ToArray();
        new LineChart { Title = $"ReLU RNN over x = ({string.Join(", ", xs.Select(Num))})", XLabel = "t", YLabel = "value", Markers = true, IntegerXTicks = true }
            .Add("x_t", hs, xs).Add("h1", hs, r.Hidden.Select(v => v[0]).ToArray()).Add("h2", hs, r.Hidden.Select(v => v[1]).ToArray())
            .Add("y_t", hs, r.Output).SavePng(report.PathOf("sequence.png"));
        report.Figure("sequence.png", "Input, hidden states and output per step for the hand-checked sequence");

        report.Heading("A longer series");
        var (changes, crossings, lags) = SignTracking(r.Sine, r.SineOutput);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Over {r.Sine.Length} steps of x_t = sin(2πt/{s.SinePeriod}) the output swings between {r.SineOutput.Min():F3} and {r.SineOutput.Max():F3} " +
            $"and crosses ½ {crossings.Count} times (the input changes sign {changes.Count} times in this window). ") + SineVerdict(changes.Count, crossings.Count, lags));
        report.Figure("sine.png", "The same network over a sine wave: hidden memories and output");
        report.Metric("sine_y_min", r.SineOutput.Min());
        report.Metric("sine_y_max", r.SineOutput.Max());
        report.Metric("sine_half_crossings", crossings.Count);
        report.Metric("sine_input_sign_changes", changes.Count);
        WorkbookQ15(report, r.WorkbookQ15);
    }

    /// <summary>The Workbook Q15 section: the workbook's network, the per-step table (library beside by hand), the figure,
    /// the interpretation and the hand arithmetic.</summary>
    private static void WorkbookQ15(LabReport report, Exercise q15)
    {
        var xs = RecurrentExercises.Q15X;
        var h = q15[Q15Hidden];
        var y = q15[Q15Output];
        report.Heading("Workbook Q15: the workbook's RNN, weights and data");
        report.Paragraph($"""
            The exercise's network (Goodfellow's notation): a⁽ᵗ⁾ = b + W h⁽ᵗ⁻¹⁾ + U x⁽ᵗ⁾, h⁽ᵗ⁾ = ReLU(a⁽ᵗ⁾), ŷ⁽ᵗ⁾ = σ(V h⁽ᵗ⁾ + c),
            h⁽⁰⁾ = (0, 0), with U = {Mat(RecurrentExercises.Q15U)}, W = {Mat(RecurrentExercises.Q15W)}, b = ({string.Join(", ", RecurrentExercises.Q15B.Select(Num))}),
            V = ({string.Join(", ", RecurrentExercises.Q15V.Select(Num))}), c = {Num(RecurrentExercises.Q15C)}, and x⁽ᵗ⁾ = (novelty, difficulty) from the
            workbook's table. ŷ⁽ᵗ⁾ is the network's chance of a backpropagation question in the next exercise. Computed by the
            worked-exercises code (`RecurrentExercises.Q15`): the library's `RnnCell` (ReLU, W_ih = U, W_hh = W) then
            `Linear` and `Sigmoid`, and independently in plain double arithmetic (the steps at the end).
            """);
        report.Table(["t", "novelty x₁", "difficulty x₂", "h₁", "h₂", "ŷ (library)", "ŷ (by hand)"],
            Enumerable.Range(0, xs.Length).Select(t => (IReadOnlyList<object>)[t + 1, xs[t][0], xs[t][1], h.Library[2 * t], h.Library[2 * t + 1], y.Library[t], y.ByHand[t]]));
        report.Paragraph(AgreementSays(q15.MaxDifference));
        UnrolledSection(report, y.Library[^1]);
        var steps = Enumerable.Range(1, xs.Length).Select(t => (double)t).ToArray();
        new LineChart { Title = "Workbook Q15: RNN per step", XLabel = "t", YLabel = "value", Markers = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.UpperLeft }
            .Add("novelty x₁", steps, xs.Select(v => v[0]).ToArray()).Add("difficulty x₂", steps, xs.Select(v => v[1]).ToArray())
            .Add("h₁", steps, Enumerable.Range(0, xs.Length).Select(t => h.Library[2 * t]).ToArray())
            .Add("h₂", steps, Enumerable.Range(0, xs.Length).Select(t => h.Library[2 * t + 1]).ToArray())
            .Add("ŷ = P(backprop question)", steps, y.Library).SavePng(report.PathOf("q15_rnn.png"));
        report.Figure("q15_rnn.png", "Workbook Q15: inputs, hidden state and output ŷ⁽ᵗ⁾ per time step");
        report.Paragraph("**Interpretation.** " + WorkedExercisesSays.RnnOutputs(y.Library, xs));
        report.Paragraph("The arithmetic by hand, step by step:");
        report.Code(string.Join("\n", q15.Steps.Select(st => $"{st.What} = {st.Arithmetic} = {Hand.N(st.Value)}")));
        for (int t = 0; t < y.Library.Length; t++) report.Metric($"workbook_q15_y_{t + 1}", y.Library[t]);
        report.Metric("workbook_q15_max_difference", q15.MaxDifference);
    }

    /// <summary>Whether the library and the hand arithmetic agree (to 10⁻¹²).</summary>
    public static string AgreementSays(double maxDifference) => maxDifference <= 1e-12
        ? $"The library's values and the hand computation agree: largest difference {LabReport.Format(maxDifference)}, rounding."
        : $"The library's values and the hand computation differ by up to {LabReport.Format(maxDifference)}: more than rounding, one of them is wrong.";

    private static string Mat(double[,] m) =>
        "[" + string.Join("; ", Enumerable.Range(0, m.GetLength(0)).Select(i => string.Join(", ", Enumerable.Range(0, m.GetLength(1)).Select(j => Num(m[i, j]))))) + "]";

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string F(double v) => Math.Round(v, 4).ToString(CultureInfo.InvariantCulture);

    /// <summary>The hand recursion's values, and whether the library's values agree with them (10⁻¹² absolute).</summary>
    public static string HandVerdict(RnnTimeSeriesResult r)
    {
        double diff = 0;
        for (int t = 0; t < r.Sequence.Length; t++)
            diff = Math.Max(diff, Math.Max(Math.Abs(r.Output[t] - r.HandOutput[t]),
                Math.Max(Math.Abs(r.Hidden[t][0] - r.HandHidden[t][0]), Math.Abs(r.Hidden[t][1] - r.HandHidden[t][1]))));
        string hand = $"By hand: h1 = {string.Join(", ", r.HandHidden.Select(h => F(h[0])))} and h2 = {string.Join(", ", r.HandHidden.Select(h => F(h[1])))}, " +
                      $"so y = {string.Join(", ", r.HandHidden.Select(h => $"σ({F(h[0] - h[1])})"))} = {string.Join(", ", r.HandOutput.Select(y => y.ToString("0.0000", CultureInfo.InvariantCulture)))}";
        return diff <= 1e-12
            ? hand + " — the table's values (largest difference " + LabReport.Format(diff) + ")."
            : hand + " — but the table differs by up to " + LabReport.Format(diff) + ": the library's cell does not compute this recurrence.";
    }

    /// <summary>Whether the negative-evidence unit stays at 0 while the input is non-negative (the ReLU ignoring the
    /// other sign), up to the first negative input.</summary>
    public static string SignVerdict(IReadOnlyList<double> xs, double[][] hidden)
    {
        int firstNegative = Enumerable.Range(0, xs.Count).FirstOrDefault(t => xs[t] < 0, -1);
        int until = firstNegative < 0 ? xs.Count : firstNegative;
        if (until == 0) return "";
        bool silent = Enumerable.Range(0, until).All(t => hidden[t][1] == 0);
        return silent
            ? $"The ReLU makes each unit ignore evidence of the other sign: h2 stays 0 while x ≥ 0 (t = 1..{until})."
            : $"h2 is not 0 at every step before the first negative input (t = 1..{until}), so here the ReLU does not silence the negative unit.";
    }

    /// <summary>After the most negative input: how low the output goes and when it is back above ½.</summary>
    public static string RecoveryVerdict(IReadOnlyList<double> xs, IReadOnlyList<double> y)
    {
        if (!xs.Any(x => x < 0)) return "";
        int t0 = Enumerable.Range(0, xs.Count).MinBy(t => xs[t]);
        if (y[t0] >= 0.5) return $"Even the {Num(xs[t0])} at t = {t0 + 1} leaves the output at {F4(y[t0])}, above ½: the positive memory outweighs it.";
        int back = Enumerable.Range(t0 + 1, xs.Count - t0 - 1).FirstOrDefault(t => y[t] > 0.5, -1);
        return back < 0
            ? $"After the {Num(xs[t0])} at t = {t0 + 1} the output drops to {F4(y[t0])} and does not get back above ½ before the sequence ends."
            : $"After the {Num(xs[t0])} at t = {t0 + 1} the output drops to {F4(y[t0])} and is back above ½ at t = {back + 1} (x = {Num(xs[back])}), " +
              "once new positive evidence plus the decay of h2 outweigh the old negative memory.";
    }

    /// <summary>Sign changes of the input (zeros skipped; the step of the first value with the new sign), the steps
    /// where the output crosses ½, and for each sign change the steps until the output next crosses ½.</summary>
    public static (List<int> Changes, List<int> Crossings, List<int> Lags) SignTracking(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var changes = new List<int>();
        int last = 0;
        for (int t = 0; t < x.Count; t++)
        {
            int sign = Math.Sign(x[t]);
            if (sign == 0) continue;
            if (last != 0 && sign != last) changes.Add(t);
            last = sign;
        }
        var crossings = Enumerable.Range(1, Math.Max(0, y.Count - 1)).Where(t => (y[t] - 0.5) * (y[t - 1] - 0.5) < 0).ToList();
        var lags = changes.Select(c => crossings.FirstOrDefault(k => k >= c, -1) is int k && k >= 0 ? k - c : -1).Where(l => l >= 0).ToList();
        return (changes, crossings, lags);
    }

    /// <summary>Whether the output tracks every sign change, and with how much lag.</summary>
    public static string SineVerdict(int changes, int crossings, IReadOnlyList<int> lags)
    {
        if (changes == 0) return "The input never changes sign here, so there is nothing to detect.";
        string lag = lags.Count == 0 ? "" : lags.Average() > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; its output lags the input by {lags.Average():0.#} steps on average, because after a sign change the old memory (halving per step) must first be outweighed by the new evidence")
            : "; its output switches at the same step as the input";
        return crossings == changes
            ? $"The network is a sign detector: its output crosses ½ once per sign change of the input{lag}."
            : $"The output crosses ½ {crossings} times for {changes} sign changes of the input, so it does not follow every change{lag}.";
    }
}
