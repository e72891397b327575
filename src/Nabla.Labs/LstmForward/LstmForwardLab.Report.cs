using System.Globalization;
using Nabla.Plots;

namespace Nabla.Labs;

public sealed partial class LstmForwardLab
{
    public override void Report(LabReport report, LstmForwardSettings s, LstmForwardResult r)
    {
        report.Paragraph("""
            One LSTM unit with scalar input x_t, hidden state h_t and cell state s_t (h_0 = s_0 = 0). Hand-set weights
            (pre-activation = w·x_t + u·h_(t−1) + b):

            | gate | w | u | b | formula | role |
            |---|---|---|---|---|---|
            | input i | 2 | 0 | −1 | σ(2x − 1) | open (0.73) when x = 1, mostly closed (0.27) when x = 0 |
            | forget f | 3 | 0 | 2 | σ(3x + 2) | keeps the cell (0.88–0.99) unless x = −1 (0.27: reset) |
            | candidate g | 1 | 0.5 | 0 | tanh(x + ½h) | what would be written |
            | output o (= q) | 0 | 1 | 1 | σ(h + 1) | how much of the cell is shown |

            s_t = f_t·s_(t−1) + i_t·g_t. Hidden state: h_t = o_t·tanh(s_t) (PyTorch's LSTM) or, as in the textbook
            variant, h_t = ReLU(s_t)·q_t. The gates are computed with explicit tensor ops (Linear, Narrow, Sigmoid, Tanh) so
            they can be printed; h and s are cross-checked against Nabla's fused `LstmCell` op (gate order i, f, g, o, cell
            activation tanh or ReLU).
            """);
        string seq = string.Join(", ", r.Sequence.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        foreach (var v in r.Variants)
        {
            var steps = v.Steps;
            report.Heading($"Variant {v.Label}, x = ({seq})");
            report.Table(["t", "x_t", "i_t", "f_t", "g_t", "o_t", "s_t", "h_t"],
                steps.Select(st => (IReadOnlyList<object>)[st.T, st.X, st.I, st.F, st.G, st.O, st.Cell, st.Hidden]));
            report.Paragraph(FusedVerdict(v.MaxFusedDifference));
            var ts = steps.Select(st => (double)st.T).ToArray();
            new LineChart { Title = $"Single-unit LSTM, {v.Label}", XLabel = "t", YLabel = "value", Markers = true, IntegerXTicks = true }
                .Add("x_t", ts, steps.Select(st => st.X).ToArray()).Add("input gate i", ts, steps.Select(st => st.I).ToArray())
                .Add("forget gate f", ts, steps.Select(st => st.F).ToArray()).Add("candidate g", ts, steps.Select(st => st.G).ToArray())
                .Add("output gate o", ts, steps.Select(st => st.O).ToArray()).Add("cell s", ts, steps.Select(st => st.Cell).ToArray())
                .Add("hidden h", ts, steps.Select(st => st.Hidden).ToArray()).SavePng(report.PathOf($"lstm_{v.Key}.png"));
            report.Figure($"lstm_{v.Key}.png", $"Gates and states per step ({v.Label})");
            foreach (var st in steps)
            {
                report.Metric($"{v.Key}_h_{st.T}", st.Hidden);
                report.Metric($"{v.Key}_s_{st.T}", st.Cell);
            }
            report.Metric($"{v.Key}_max_fused_difference", v.MaxFusedDifference);
        }
        var tanh = r.Variants.Single(v => v.Key == "tanh").Steps;
        var relu = r.Variants.Single(v => v.Key == "relu").Steps;
        report.Heading("Discussion");
        report.Paragraph(string.Join(" ", new[]
        {
            StepOneByHand(tanh[0], relu[0]),
            CellEvents(tanh),
            VariantVerdict(tanh, relu),
        }.Where(t => t.Length > 0)));
        WorkbookQ17(report, r.WorkbookQ17);
    }

    /// <summary>The Workbook Q17 section: the workbook's cell, the per-step table, the figure, the answer to the t = 1 vs
    /// t = 3 question, the fused-cell checks and the hand arithmetic.</summary>
    private static void WorkbookQ17(LabReport report, Exercise q17)
    {
        var xs = RecurrentExercises.Q17X;
        var (g, f, q, c) = (RecurrentExercises.Gate, RecurrentExercises.Forget, RecurrentExercises.Out, RecurrentExercises.Input);
        report.Heading("Workbook Q17: the workbook's LSTM, weights and inputs");
        report.Paragraph($"""
            The exercise's cell, in Goodfellow et al.'s notation (Deep Learning, eq. 10.40–10.44) which the workbook follows:
            forget gate f = σ(b^f + U^f x + W^f h), external input gate g = σ(b^g + U^g x + W^g h), output gate
            q = σ(b^q + U^q x + W^q h), cell s⁽ᵗ⁾ = f·s⁽ᵗ⁻¹⁾ + g·σ(b + U x + W h) (the cell input is a sigmoid there, not
            PyTorch's tanh), and the workbook's h⁽ᵗ⁾ = ReLU(s⁽ᵗ⁾)·q⁽ᵗ⁾, output = σ(V h + c); h⁽⁰⁾ = s⁽⁰⁾ = 0.
            Weights (U, W, b): g ({Num(g.U)}, {Num(g.W)}, {Num(g.B)}), f ({Num(f.U)}, {Num(f.W)}, {Num(f.B)}),
            q ({Num(q.U)}, {Num(q.W)}, {Num(q.B)}), cell input ({Num(c.U)}, {Num(c.W)}, {Num(c.B)}); V = {Num(RecurrentExercises.Q17V)},
            c = {Num(RecurrentExercises.Q17C)}; x = ({string.Join(", ", xs.Select(Num))}). Computed by the worked-exercises code
            (`RecurrentExercises.Q17`): gate by gate with tensor ops, again with the library's fused `LstmCell` (ReLU cell
            activation, sigmoid candidate), and in plain double arithmetic (the steps at the end).
            """);
        var cols = LstmForwardLab.Q17Columns.Select(n => q17[$"{n}, t = 1..3"]).ToList();
        report.Table(["t", "x", .. LstmForwardLab.Q17Columns, "output (by hand)"],
            Enumerable.Range(0, xs.Length).Select(t => (IReadOnlyList<object>)[t + 1, xs[t], .. cols.Select(a => (object)a.Library[t]), cols[^1].ByHand[t]]));
        report.Paragraph(AgreementSays(q17));
        var steps = Enumerable.Range(1, xs.Length).Select(t => (double)t).ToArray();
        var chart = new LineChart { Title = "Workbook Q17: LSTM per step", XLabel = "t", YLabel = "value", Markers = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.UpperLeft };
        chart.Add("x", steps, xs);
        foreach (var (name, a) in LstmForwardLab.Q17Columns.Zip(cols)) chart.Add(name, steps, a.Library);
        chart.SavePng(report.PathOf("q17_lstm.png"));
        report.Figure("q17_lstm.png", "Workbook Q17: input, gates, cell input, cell and hidden state, and output per time step");
        var o = q17[LstmForwardLab.Q17Output].Library;
        report.Paragraph("**Is the output at t = 1 the same as at t = 3?** " + WorkedExercisesSays.SameOutput(o[0], o[2], xs[0], xs[2]));
        var tanhCell = q17.Answers.Single(a => a.Note.Length > 0).Library;
        double d = tanhCell.Zip(o).Max(p => Math.Abs(p.First - p.Second));
        report.Paragraph(TanhCellSays(d, tanhCell));
        report.Paragraph("The arithmetic by hand, step by step:");
        report.Code(string.Join("\n", q17.Steps.Select(st => $"{st.What} = {st.Arithmetic} = {Hand.N(st.Value)}")));
        for (int t = 0; t < o.Length; t++) report.Metric($"workbook_q17_output_{t + 1}", o[t]);
        report.Metric("workbook_q17_t1_equals_t3", Math.Abs(o[0] - o[2]) <= 1e-12 ? 1 : 0);
        report.Metric("workbook_q17_max_difference", q17.Answers.Where(a => a.Note.Length == 0).Max(a => a.MaxDifference));
    }

    /// <summary>Whether every answer computed by the library (gate by gate and with the fused cell) agrees with the hand
    /// arithmetic to 10⁻¹² (the tanh-candidate contrast, marked by its note, is not an answer).</summary>
    public static string AgreementSays(Exercise q17)
    {
        double diff = q17.Answers.Where(a => a.Note.Length == 0).Max(a => a.MaxDifference);
        return diff <= 1e-12
            ? $"The library's values (gate by gate and with the fused `LstmCell`, sigmoid candidate) and the hand computation agree: largest difference {LabReport.Format(diff)}, rounding."
            : $"The library's values and the hand computation differ by up to {LabReport.Format(diff)}: more than rounding, one of them is wrong.";
    }

    /// <summary>What the fused cell with PyTorch's tanh candidate gives: other outputs (not the workbook's cell) or the same.</summary>
    public static string TanhCellSays(double maxDifference, IReadOnlyList<double> tanhOutputs) => maxDifference > 1e-9
        ? $"The same fused cell with PyTorch's tanh cell input gives outputs {string.Join(", ", tanhOutputs.Select(F4))} (up to {LabReport.Format(maxDifference)} away): it is a different cell from the workbook's, whose cell input is a sigmoid."
        : "The same fused cell with PyTorch's tanh cell input happens to give the same outputs here.";

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>How the explicit gates compare with the fused cell (10⁻¹² = rounding).</summary>
    public static string FusedVerdict(double diff) => diff <= 1e-12
        ? $"Largest difference between these (h, s) and the fused LstmCell op: {diff.ToString("0.#e+0", CultureInfo.InvariantCulture)}, rounding."
        : $"Largest difference between these (h, s) and the fused LstmCell op: {diff.ToString("0.#e+0", CultureInfo.InvariantCulture)}: more than rounding, the two disagree.";

    /// <summary>Step 1 worked by hand from x_1 (h_0 = s_0 = 0, so g = tanh(x), o = σ(1)), and whether the table agrees.</summary>
    public static string StepOneByHand(Step tanh, Step relu)
    {
        double x = tanh.X, i = Sigmoid(2 * x - 1), f = Sigmoid(3 * x + 2), g = Math.Tanh(x), o = Sigmoid(1);
        double s = i * g, hTanh = o * Math.Tanh(s), hRelu = o * Math.Max(s, 0);
        string X = x.ToString(CultureInfo.InvariantCulture);
        string text = $"Step 1 by hand (x = {X}): i = σ({Num(2 * x - 1)}) = {F4(i)}, f = σ({Num(3 * x + 2)}) = {F4(f)}, g = tanh({X}) = {F4(g)}, o = σ(1) = {F4(o)}, " +
                      $"so s_1 = {F4(i)}·{F4(g)} = {F4(s)} and h_1 = {F4(o)}·tanh({F4(s)}) = {F4(hTanh)} (ReLU variant: {F4(o)}·ReLU({F4(s)}) = {F4(hRelu)})";
        double diff = new[] { tanh.I - i, tanh.F - f, tanh.G - g, tanh.O - o, tanh.Cell - s, tanh.Hidden - hTanh, relu.Hidden - hRelu }.Max(Math.Abs);
        return diff <= 1e-12 ? text + ", the tables' first rows." : text + $", but the tables' first rows differ by {LabReport.Format(diff)}.";
    }

    /// <summary>Each step as a memory operation: reset (f &lt; ½), write (|Δs| ≥ 0.25) or keep (|Δs| &lt; 0.25).</summary>
    public static string CellEvents(IReadOnlyList<Step> steps)
    {
        var writes = new List<string>();
        var keeps = new List<int>();
        var resets = new List<string>();
        double previous = 0, keepDelta = 0, keepF = 1;
        foreach (var st in steps)
        {
            double delta = st.Cell - previous;
            if (st.F < 0.5) resets.Add(string.Create(CultureInfo.InvariantCulture, $"t = {st.T} (x = {st.X}: f = {st.F:0.00}, s goes from {previous:0.00} to {st.Cell:0.00})"));
            else if (Math.Abs(delta) >= 0.25) writes.Add($"t = {st.T} (Δs = {delta.ToString("+0.00;−0.00", CultureInfo.InvariantCulture)})");
            else { keeps.Add(st.T); keepDelta = Math.Max(keepDelta, Math.Abs(delta)); keepF = Math.Min(keepF, st.F); }
            previous = st.Cell;
        }
        var parts = new List<string>();
        if (writes.Count > 0) parts.Add($"written at {string.Join(", ", writes)}");
        if (keeps.Count > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"kept almost unchanged at t = {string.Join(", ", keeps)} (|Δs| ≤ {keepDelta:0.00}, f ≥ {keepF:0.00})"));
        if (resets.Count > 0) parts.Add($"reset by a closing forget gate at {string.Join(", ", resets)}");
        return $"In the tanh variant the cell acts as a memory: it is {string.Join("; ", parts)}.";
    }

    /// <summary>Where the two variants' cells part, and whether a negative cell shows the ReLU variant's h = 0.</summary>
    public static string VariantVerdict(IReadOnlyList<Step> tanh, IReadOnlyList<Step> relu)
    {
        int part = Enumerable.Range(0, Math.Min(tanh.Count, relu.Count)).FirstOrDefault(t => Math.Abs(tanh[t].Cell - relu[t].Cell) > 1e-12, -1);
        string head = part < 0
            ? "The two variants share the gates' weights and here their cells never part."
            : $"The two variants share the gates' weights, and their cells agree up to step {part} and part from step {part + 1} on, because h feeds back into g and o.";
        string growth = " With ReLU(s) the hidden state grows linearly with the cell (unbounded), with tanh it saturates.";
        var negative = relu.Where(st => st.Cell < 0).Select(st => st.T).ToList();
        string sign = negative.Count > 0
            ? $" At t = {string.Join(", ", negative)} the cell is negative, and the ReLU variant outputs h = 0 where the tanh variant's h would be negative."
            : " The cell never goes negative in the ReLU run here, so the ReLU variant never shows its h = 0 for a negative cell.";
        return head + growth + sign;
    }
}
