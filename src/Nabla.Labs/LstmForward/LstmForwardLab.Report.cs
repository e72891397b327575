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
    }

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
