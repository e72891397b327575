using System.Globalization;
using Nabla.Autograd;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// A single-unit LSTM's forward pass over a short sequence with hand-set weights, every gate printed per step:
/// i = σ(2x − 1), f = σ(3x + 2), g = tanh(x + ½h), o = σ(h + 1); s_t = f·s_(t−1) + i·g; h_t = o·tanh(s_t) (PyTorch) or
/// the textbook variant h_t = ReLU(s_t)·q with q = o. Gates come from explicit tensor ops; (h, s) are cross-checked
/// against the library's fused LSTM cell (gate order i, f, g, o) with the matching cell activation.
/// </summary>
public sealed class LstmForwardLab : ILab
{
    public string Name => "lstm-forward";
    public string Description => "single-unit LSTM forward pass with hand-set weights: every gate, cell and hidden state per step (tanh and ReLU(s)·q)";

    public static readonly double[] Sequence = [1, 0, 0, 1, -1, 0];

    // Rows i, f, g, o (PyTorch order). Pre-activation z = W_ih·x + W_hh·h + b.
    public static readonly double[] WeightIh = [2, 3, 1, 0];
    public static readonly double[] WeightHh = [0, 0, 0.5, 1];
    public static readonly double[] Bias = [-1, 2, 0, 1];

    /// <summary>One step's values.</summary>
    public sealed record Step(int T, double X, double I, double F, double G, double O, double Cell, double Hidden);

    /// <summary>Runs the sequence; <paramref name="maxFusedDifference"/> = max |(h, s) from gates − fused cell|.</summary>
    public static List<Step> Run(IReadOnlyList<double> xs, RecurrentActivation cellActivation, out double maxFusedDifference)
    {
        using var _ = GradMode.NoGrad();
        var wIh = Tensor.FromArray(WeightIh, 4, 1);
        var wHh = Tensor.FromArray(WeightHh, 4, 1);
        var b = Tensor.FromArray(Bias, 4);
        var h = Tensor.Zeros([1, 1], DType.Float64);
        var s = Tensor.Zeros([1, 1], DType.Float64);
        var steps = new List<Step>();
        maxFusedDifference = 0;
        for (int t = 0; t < xs.Count; t++)
        {
            var x = Tensor.FromArray(new[] { xs[t] }, 1, 1);
            var z = x.Linear(wIh, b) + h.Linear(wHh);                        // [1, 4]
            var i = z.Narrow(1, 0, 1).Sigmoid();
            var f = z.Narrow(1, 1, 1).Sigmoid();
            var g = z.Narrow(1, 2, 1).Tanh();
            var o = z.Narrow(1, 3, 1).Sigmoid();
            var (fh, fs) = x.LstmCell(h, s, wIh, wHh, b, null, cellActivation);
            s = f * s + i * g;
            h = o * (cellActivation == RecurrentActivation.Relu ? s.Relu() : s.Tanh());
            maxFusedDifference = Math.Max(maxFusedDifference, Math.Max(Math.Abs(fh.Item() - h.Item()), Math.Abs(fs.Item() - s.Item())));
            steps.Add(new Step(t + 1, xs[t], i.Item(), f.Item(), g.Item(), o.Item(), s.Item(), h.Item()));
        }
        return steps;
    }

    public LabResult Run(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        var report = new LabReport(Name, "A single-unit LSTM forward pass, gate by gate");
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
        string seq = string.Join(", ", Sequence.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        var charts = new List<(string File, string Caption)>();
        foreach (var (act, label, key) in new[] { (RecurrentActivation.Tanh, "h = o·tanh(s)", "tanh"), (RecurrentActivation.Relu, "h = ReLU(s)·q", "relu") })
        {
            var steps = Run(Sequence, act, out double diff);
            ctx.Out.WriteLine($"  {label}:");
            ctx.Out.WriteLine("   t    x      i       f       g       o       s       h");
            foreach (var st in steps)
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {st.T}  {st.X,4}  {st.I:F4}  {st.F:F4}  {st.G:F4}  {st.O:F4}  {st.Cell:F4}  {st.Hidden:F4}"));
            report.Heading($"Variant {label}, x = ({seq})");
            report.Table(["t", "x_t", "i_t", "f_t", "g_t", "o_t", "s_t", "h_t"],
                steps.Select(st => (IReadOnlyList<object>)[st.T, st.X, st.I, st.F, st.G, st.O, st.Cell, st.Hidden]));
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Largest difference between these (h, s) and the fused LstmCell op: {diff:0.#e+0}."));
            var ts = steps.Select(st => (double)st.T).ToArray();
            new LineChart { Title = $"Single-unit LSTM, {label}", XLabel = "t", YLabel = "value", Markers = true, IntegerXTicks = true }
                .Add("x_t", ts, steps.Select(st => st.X).ToArray()).Add("input gate i", ts, steps.Select(st => st.I).ToArray())
                .Add("forget gate f", ts, steps.Select(st => st.F).ToArray()).Add("candidate g", ts, steps.Select(st => st.G).ToArray())
                .Add("output gate o", ts, steps.Select(st => st.O).ToArray()).Add("cell s", ts, steps.Select(st => st.Cell).ToArray())
                .Add("hidden h", ts, steps.Select(st => st.Hidden).ToArray()).SavePng(ctx.PathOf($"lstm_{key}.png"));
            report.Figure($"lstm_{key}.png", $"Gates and states per step ({label})");
            foreach (var st in steps)
            {
                report.Metric($"{key}_h_{st.T}", st.Hidden);
                report.Metric($"{key}_s_{st.T}", st.Cell);
            }
            report.Metric($"{key}_max_fused_difference", diff);
        }
        report.Heading("Discussion");
        report.Paragraph("""
            Step 1 by hand: i = σ(1) = 0.7311, f = σ(5) = 0.9933, g = tanh(1) = 0.7616, o = σ(1) = 0.7311, so
            s_1 = 0.7311·0.7616 = 0.5568 and h_1 = 0.7311·tanh(0.5568) = 0.3696 (ReLU variant: 0.7311·0.5568 = 0.4071).
            The cell behaves like a memory: the x = 1 inputs write into it (t = 1 and 4), the zeros leave it almost
            untouched (f ≈ 0.88, i ≈ 0.27 lets a little of g in), and the x = −1 at t = 5 drives the forget gate down to
            σ(−1) = 0.27 and writes a negative candidate, so the cell drops sharply. The two variants share the gates'
            weights but not their trajectories after step 1, because h feeds back into g and o: with ReLU(s) the hidden
            state grows linearly with the cell (unbounded), with tanh it saturates, and a negative cell state gives h = 0
            in the ReLU variant instead of a negative h.
            """);
        return report.Save(ctx);
    }
}
