
namespace Nabla.Labs;

/// <summary>Inputs of the rnn-timeseries lab (the weights are hand-set and fixed: they are the lesson).</summary>
public sealed record RnnTimeSeriesSettings
{
    [Setting("the hand-checked input sequence x_1..x_T (comma-separated)")] public double[] Sequence { get; init; } = [.. RnnTimeSeriesLab.Sequence];
    [Setting("length of the sine series", Min = 2, Max = 100_000)] public int SineLength { get; init; } = 48;
    [Setting("period of the sine series x_t = sin(2πt/period), in steps", Min = 2, Max = 100_000)] public double SinePeriod { get; init; } = 12;
}

/// <summary>The network's hidden states [T][2] and outputs [T] over the sequence (through the library's ops), the same
/// from a scalar recursion written out by hand, the network over the sine series, and the Workbook Q15 RNN with the
/// workbook's weights and data (computed by <see cref="RecurrentExercises.Q15"/>, library and by hand).</summary>
public sealed record RnnTimeSeriesResult(double[] Sequence, double[][] Hidden, double[] Output, double[][] HandHidden, double[] HandOutput,
    double[] Sine, double[][] SineHidden, double[] SineOutput, Exercise WorkbookQ15);

/// <summary>
/// Forward pass of a small ReLU RNN with a sigmoid output over a time series, with hand-set weights:
/// h_t = ReLU(W_xh·x_t + W_hh·h_(t−1) + b_h), y_t = σ(w_y·h_t + b_y), h_0 = 0. Two hidden units, W_xh = (1, −1)ᵀ,
/// W_hh = ½·I, b_h = 0, w_y = (1, −1), b_y = 0: unit 1 accumulates positive input, unit 2 negative input, each with a
/// memory that halves per step, and y_t is the "recent input was positive" probability σ(h1 − h2).
/// The hidden update runs through the library's fused RNN cell op (nonlinearity relu), the readout through Linear.
/// Then the Workbook's Q15 RNN with the workbook's U, W, b, V, c and its five (novelty, difficulty) steps, computed by
/// the worked-exercises code (<see cref="RecurrentExercises.Q15"/>), tabled and plotted per step and interpreted.
/// </summary>
public sealed partial class RnnTimeSeriesLab : Lab<RnnTimeSeriesSettings, RnnTimeSeriesResult>
{
    public override string Name => "rnn-timeseries";
    public override string Description => "ReLU RNN with sigmoid output over a short time series, hand-set weights, outputs per step; Workbook Q15 with its own weights and data";
    public override string Title => "A ReLU RNN with sigmoid output over a time series";

    /// <summary>The lab is tiny: the quick form is the full one.</summary>
    public override RnnTimeSeriesSettings Quick => new();
    public override RnnTimeSeriesSettings Full => new();

    /// <summary>The hand-checkable sequence (the default of <see cref="RnnTimeSeriesSettings.Sequence"/>).</summary>
    public static readonly double[] Sequence = [1, 2, 0, -3, 1, 0];

    public static readonly double[,] WeightIh = { { 1 }, { -1 } };
    public static readonly double[,] WeightHh = { { 0.5, 0 }, { 0, 0.5 } };
    public static readonly double[,] WeightOut = { { 1, -1 } };

    /// <summary>The names of the Workbook Q15 answers (<see cref="RecurrentExercises.Q15"/>): hidden states [5, 2] and outputs [5].</summary>
    public const string Q15Hidden = "h⁽ᵗ⁾, t = 1..5", Q15Output = "ŷ⁽ᵗ⁾ = σ(Vh⁽ᵗ⁾ + c), t = 1..5";

    public override RnnTimeSeriesResult Experiment(RnnTimeSeriesSettings s, LabKit kit)
    {
        if (s.Sequence.Length == 0) throw new ArgumentException($"lab '{Name}': sequence must have at least one value");
        var (hidden, y) = Run(s.Sequence);
        var (handHidden, handY) = ByHand(s.Sequence);
        kit.Out.WriteLine("  t   x    h1      h2      y");
        for (int t = 0; t < s.Sequence.Length; t++)
            kit.Out.WriteLine(FormattableString.Invariant($"  {t + 1}  {s.Sequence[t],3}  {hidden[t][0]:F4}  {hidden[t][1]:F4}  {y[t]:F4}"));
        var sine = Enumerable.Range(0, s.SineLength).Select(t => Math.Round(Math.Sin(2 * Math.PI * t / s.SinePeriod), 6)).ToArray();
        var (sh, sy) = Run(sine);
        var q15 = RecurrentExercises.Q15();
        kit.Out.WriteLine($"  Workbook Q15: ŷ = {string.Join(", ", q15[Q15Output].Library.Select(v => v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
        return new RnnTimeSeriesResult(s.Sequence, hidden, y, handHidden, handY, sine, sh, sy, q15);
    }

    /// <summary>Per step: hidden states [T, 2] and outputs [T] (float64), through the library's RNN cell and Linear.</summary>
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

    /// <summary>The same recurrence in scalars, as one works it by hand: h1 = ReLU(x + ½h1), h2 = ReLU(−x + ½h2),
    /// y = σ(h1 − h2).</summary>
    public static (double[][] Hidden, double[] Output) ByHand(IReadOnlyList<double> xs)
    {
        double h1 = 0, h2 = 0;
        var hidden = new double[xs.Count][];
        var output = new double[xs.Count];
        for (int t = 0; t < xs.Count; t++)
        {
            h1 = Math.Max(0, xs[t] + 0.5 * h1);
            h2 = Math.Max(0, -xs[t] + 0.5 * h2);
            hidden[t] = [h1, h2];
            output[t] = 1 / (1 + Math.Exp(-(h1 - h2)));
        }
        return (hidden, output);
    }
}
