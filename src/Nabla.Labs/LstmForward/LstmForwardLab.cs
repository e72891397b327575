
namespace Nabla.Labs;

/// <summary>Input of the lstm-forward lab (the weights are hand-set and fixed: they are the lesson).</summary>
public sealed record LstmForwardSettings
{
    [Setting("the input sequence x_1..x_T (comma-separated)")] public double[] Sequence { get; init; } = [.. LstmForwardLab.Sequence];
}

/// <summary>One hidden-state variant: every step's gates and states, and the largest difference from the fused cell.</summary>
public sealed record LstmVariantRun(string Label, string Key, IReadOnlyList<LstmForwardLab.Step> Steps, double MaxFusedDifference);

/// <summary>The hand-set unit's variants over the sequence, and the Workbook Q17 LSTM with the workbook's weights and
/// inputs (computed by <see cref="RecurrentExercises.Q17"/>, library and by hand).</summary>
public sealed record LstmForwardResult(double[] Sequence, IReadOnlyList<LstmVariantRun> Variants, Exercise WorkbookQ17);

/// <summary>
/// A single-unit LSTM's forward pass over a short sequence with hand-set weights, every gate printed per step:
/// i = σ(2x − 1), f = σ(3x + 2), g = tanh(x + ½h), o = σ(h + 1); s_t = f·s_(t−1) + i·g; h_t = o·tanh(s_t) (PyTorch) or
/// the textbook variant h_t = ReLU(s_t)·q with q = o. Gates come from explicit tensor ops; (h, s) are cross-checked
/// against the library's fused LSTM cell (gate order i, f, g, o) with the matching cell activation. Then the Workbook's
/// Q17 LSTM with the workbook's weights and inputs (0.7, 0.5, 0.7), computed by the worked-exercises code
/// (<see cref="RecurrentExercises.Q17"/>), tabled and plotted per step, with the answer to "is t = 1 the same as t = 3?".
/// </summary>
public sealed partial class LstmForwardLab : Lab<LstmForwardSettings, LstmForwardResult>
{
    public override string Name => "lstm-forward";
    public override string Description => "single-unit LSTM forward pass with hand-set weights: every gate, cell and hidden state per step (tanh and ReLU(s)·q); Workbook Q17 with its own weights and inputs";
    public override string Title => "A single-unit LSTM forward pass, gate by gate";

    /// <summary>The lab is tiny: the quick form is the full one.</summary>
    public override LstmForwardSettings Quick => new();
    public override LstmForwardSettings Full => new();

    /// <summary>The two hidden-state variants: PyTorch's h = o·tanh(s) and the textbook's h = ReLU(s)·q.</summary>
    public static readonly (RecurrentActivation Activation, string Label, string Key)[] Variants =
        [(RecurrentActivation.Tanh, "h = o·tanh(s)", "tanh"), (RecurrentActivation.Relu, "h = ReLU(s)·q", "relu")];

    public override LstmForwardResult Experiment(LstmForwardSettings s, LabKit kit)
    {
        if (s.Sequence.Length == 0) throw new ArgumentException($"lab '{Name}': sequence must have at least one value");
        var runs = new List<LstmVariantRun>();
        foreach (var (act, label, key) in Variants)
        {
            var steps = Run(s.Sequence, act, out double diff);
            kit.Out.WriteLine($"  {label}:");
            kit.Out.WriteLine("   t    x      i       f       g       o       s       h");
            foreach (var st in steps)
                kit.Out.WriteLine(FormattableString.Invariant($"   {st.T}  {st.X,4}  {st.I:F4}  {st.F:F4}  {st.G:F4}  {st.O:F4}  {st.Cell:F4}  {st.Hidden:F4}"));
            runs.Add(new LstmVariantRun(label, key, steps, diff));
        }
        var q17 = RecurrentExercises.Q17();
        kit.Out.WriteLine($"  Workbook Q17: output = {string.Join(", ", q17[Q17Output].Library.Select(v => v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
        return new LstmForwardResult(s.Sequence, runs, q17);
    }

    public static readonly double[] Sequence = [1, 0, 0, 1, -1, 0];

    /// <summary>The names of the Workbook Q17 answers (<see cref="RecurrentExercises.Q17"/>), in table order, each [3]:
    /// the gates, the cell input, the states and the output.</summary>
    public static readonly string[] Q17Columns =
        ["f (forget)", "g (input gate)", "σ(b + Ux + Wh) (cell input)", "q (output gate)", "s (cell)", "h = ReLU(s)·q", "output σ(5h − 1)"];

    public const string Q17Output = "output σ(5h − 1), t = 1..3";

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
}
