using System.Globalization;
using Nabla.Autograd;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// Forward pass of a small ReLU RNN with a sigmoid output over a time series, with hand-set weights:
/// h_t = ReLU(W_xh·x_t + W_hh·h_(t−1) + b_h), y_t = σ(w_y·h_t + b_y), h_0 = 0. Two hidden units, W_xh = (1, −1)ᵀ,
/// W_hh = ½·I, b_h = 0, w_y = (1, −1), b_y = 0: unit 1 accumulates positive input, unit 2 negative input, each with a
/// memory that halves per step, and y_t is the "recent input was positive" probability σ(h1 − h2).
/// The hidden update runs through the library's fused RNN cell op (nonlinearity relu), the readout through Linear.
/// </summary>
public sealed class RnnTimeSeriesLab : ILab
{
    public string Name => "rnn-timeseries";
    public string Description => "ReLU RNN with sigmoid output over a short time series, hand-set weights, outputs per step";

    /// <summary>The hand-checkable sequence.</summary>
    public static readonly double[] Sequence = [1, 2, 0, -3, 1, 0];

    public static readonly double[,] WeightIh = { { 1 }, { -1 } };
    public static readonly double[,] WeightHh = { { 0.5, 0 }, { 0, 0.5 } };
    public static readonly double[,] WeightOut = { { 1, -1 } };

    /// <summary>Per step: hidden states [T, 2] and outputs [T] (float64).</summary>
    public static (double[][] Hidden, double[] Output) Run(IReadOnlyList<double> xs)
    {
        using var _ = GradMode.NoGrad();
        var wIh = Tensor.FromArray(WeightIh);
        var wHh = Tensor.FromArray(WeightHh);
        var wOut = Tensor.FromArray(WeightOut);
        var h = Tensor.Zeros([1, 2], DType.Float64);
        var hidden = new double[xs.Count][];
        var output = new double[xs.Count];
        for (int t = 0; t < xs.Count; t++)
        {
            var x = Tensor.FromArray(new[] { xs[t] }, 1, 1);
            h = x.RnnCell(h, wIh, wHh, null, null, RecurrentActivation.Relu);       // ReLU(W_xh x + W_hh h)
            hidden[t] = h.ToDoubleArray();
            output[t] = h.Linear(wOut).Sigmoid().Item();                          // σ(w_y·h)
        }
        return (hidden, output);
    }

    public LabResult Run(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        var report = new LabReport(Name, "A ReLU RNN with sigmoid output over a time series");
        report.Paragraph("""
            Model: h_t = ReLU(W_xh·x_t + W_hh·h_(t−1) + b_h), y_t = σ(w_y·h_t + b_y), h_0 = 0, with two hidden units and
            hand-set weights W_xh = (1, −1)ᵀ, W_hh = [[0.5, 0], [0, 0.5]], b_h = 0, w_y = (1, −1), b_y = 0. Unit 1 sums
            positive evidence and unit 2 negative evidence, each forgetting half of its value per step; the output
            σ(h1 − h2) reads as "the recent input was positive". The recurrence runs through Nabla's fused RNN cell
            (`x.RnnCell(h, W_ih, W_hh, nonlinearity: Relu)`), the readout through `Linear` and `Sigmoid`.
            """);

        var (hid, y) = Run(Sequence);
        ctx.Out.WriteLine("  t   x    h1      h2      y");
        var rows = new List<IReadOnlyList<object>>();
        double h1 = 0, h2 = 0;
        for (int t = 0; t < Sequence.Length; t++)
        {
            double a1 = Sequence[t] + 0.5 * h1, a2 = -Sequence[t] + 0.5 * h2;
            rows.Add([t + 1, Sequence[t], a1, hid[t][0], a2, hid[t][1], hid[t][0] - hid[t][1], y[t]]);
            h1 = hid[t][0]; h2 = hid[t][1];
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t + 1}  {Sequence[t],3}  {hid[t][0]:F4}  {hid[t][1]:F4}  {y[t]:F4}"));
            report.Metric($"y_{t + 1}", y[t]);
        }
        report.Heading("Forward pass over x = (1, 2, 0, −3, 1, 0)");
        report.Table(["t", "x_t", "x_t + ½h1", "h1 = ReLU(·)", "−x_t + ½h2", "h2 = ReLU(·)", "h1 − h2", "y_t = σ(h1 − h2)"], rows);
        report.Paragraph("""
            By hand: h1 = 1, 2.5, 1.25, ReLU(−3 + 0.625) = 0, 1, 0.5 and h2 = 0, 0, 0, ReLU(3 + 0) = 3, ReLU(−1 + 1.5) = 0.5,
            0.25, so y = σ(1), σ(2.5), σ(1.25), σ(−3), σ(0.5), σ(0.25) = 0.7311, 0.9241, 0.7773, 0.0474, 0.6225, 0.5622 —
            the table's values. The ReLU makes each unit ignore evidence of the other sign (h2 stays 0 while x ≥ 0) and
            the ½ recurrent weight gives a memory with a half-life of one step: after the −3 at t = 4, the output needs
            the next positive input plus the decay of h2 to swing back above ½.
            """);

        // A longer series: a sine with period 12, to see the same model act as a sign detector with lag.
        var series = Enumerable.Range(0, 48).Select(t => Math.Round(Math.Sin(2 * Math.PI * t / 12), 6)).ToArray();
        var (sh, sy) = Run(series);
        var steps = Enumerable.Range(1, series.Length).Select(t => (double)t).ToArray();
        new LineChart { Title = "ReLU RNN over x_t = sin(2πt/12)", XLabel = "t", YLabel = "value", Markers = true }
            .Add("x_t", steps, series).Add("h1 (positive memory)", steps, sh.Select(v => v[0]).ToArray())
            .Add("h2 (negative memory)", steps, sh.Select(v => v[1]).ToArray()).Add("y_t = σ(h1 − h2)", steps, sy)
            .SavePng(ctx.PathOf("sine.png"));
        var hs = Enumerable.Range(1, Sequence.Length).Select(t => (double)t).ToArray();
        new LineChart { Title = "ReLU RNN over x = (1, 2, 0, −3, 1, 0)", XLabel = "t", YLabel = "value", Markers = true, IntegerXTicks = true }
            .Add("x_t", hs, Sequence).Add("h1", hs, hid.Select(v => v[0]).ToArray()).Add("h2", hs, hid.Select(v => v[1]).ToArray())
            .Add("y_t", hs, y).SavePng(ctx.PathOf("sequence.png"));
        report.Figure("sequence.png", "Input, hidden states and output per step for the hand-checked sequence");
        report.Heading("A longer series");
        int crossings = Enumerable.Range(1, sy.Length - 1).Count(t => (sy[t] - 0.5) * (sy[t - 1] - 0.5) < 0);
        var nonzero = series.Where(v => v != 0).ToArray();
        int signChanges = Enumerable.Range(1, nonzero.Length - 1).Count(t => nonzero[t] * nonzero[t - 1] < 0);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture, $"""
            Over 48 steps of x_t = sin(2πt/12) the output swings between {sy.Min():F3} and {sy.Max():F3} and crosses ½
            {crossings} times (the input changes sign {signChanges} times in this window): the network is a sign detector whose
            output lags the input slightly, because after a sign change the old memory (halving per step) must first
            be outweighed by the new evidence.
            """));
        report.Figure("sine.png", "The same network over a sine wave: hidden memories and output");
        report.Metric("sine_y_min", sy.Min());
        report.Metric("sine_y_max", sy.Max());
        report.Metric("sine_half_crossings", crossings);
        report.Metric("sine_input_sign_changes", signChanges);
        return report.Save(ctx);
    }
}
