using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>Sizes and hyper-parameters of the xor lab.</summary>
public sealed record XorSettings
{
    [Setting("full-batch steps of every training run", Min = 1, Max = 1_000_000)] public int Epochs { get; init; }
    [Setting("seeds per (η, optimizer) cell of the seed table", Min = 1, Max = 10_000)] public int Seeds { get; init; }
    [Setting("learning rate η of the shown run (and the η whose seed counts go to results.json)", Min = 0)] public double LearningRate { get; init; } = 0.5;
    [Setting("learning rates of the seed table (comma-separated)")] public double[] SweepRates { get; init; } = [];
    [Setting("momentum μ of the momentum and Nesterov optimizers", Min = 0, Max = 0.999999)] public double Momentum { get; init; } = 0.9;
    [Setting("L2 penalty λ: J = MSE + (λ/2)·Σw² over the weights (not the biases)", Min = 0)] public double Lambda { get; init; } = 1e-4;
    [Setting("σ of the N(0, σ²) initial weights and biases", Min = 0)] public double InitStd { get; init; } = 1.0;
    [Setting("the 'epochs to J < threshold' level", Min = 0)] public double Threshold { get; init; } = 0.05;
    [Setting("also run the {0,1}-coded XOR (inputs 00, 01, 10, 11 → 0, 1, 1, 0) at the main η, as a labelled second variant")] public bool CompareZeroOne { get; init; } = true;
}

/// <summary>How the four rows of the problem are written.</summary>
public enum XorCoding
{
    /// <summary>The Workbook's table (Q9, Q11): x ∈ {−1, 1}², y = 1 for (1, 1) and (−1, −1), 0 for (−1, 1) and (1, −1).</summary>
    Workbook,

    /// <summary>Bits: x ∈ {0, 1}², y = x₁ XOR x₂ (rows 00, 01, 10, 11).</summary>
    ZeroOne,
}

/// <summary>One training run: objective J per epoch (before that epoch's step), final outputs on the four rows,
/// the first epoch whose J is below the threshold (−1 if never), and the final MSE and penalty.</summary>
public sealed record XorRun(XorCoding Coding, double[] Loss, double[] Outputs, int EpochsToThreshold, double FinalMse, double FinalPenalty)
{
    public bool Learned => XorLab.Matches(Outputs, Coding);
}

/// <summary>One (η, optimizer) cell of the seed table: per seed, whether the table was learned and the epochs to the
/// threshold (−1 if never).</summary>
public sealed record XorSeedCell(double LearningRate, string Optimizer, bool[] Learned, int[] EpochsToThreshold)
{
    public int LearnedCount => Learned.Count(l => l);

    public int ReachedCount => EpochsToThreshold.Count(e => e > 0);

    /// <summary>Median epochs over the runs that reached the threshold (NaN when none did).</summary>
    public double MedianEpochs
    {
        get
        {
            var hits = EpochsToThreshold.Where(e => e > 0).Select(e => (double)e).Order().ToArray();
            return hits.Length == 0 ? double.NaN : hits.Length % 2 == 1 ? hits[hits.Length / 2] : (hits[hits.Length / 2 - 1] + hits[hits.Length / 2]) / 2;
        }
    }
}

/// <summary>The shown runs and the seed table on the Workbook's ±1 table, and (when asked) the same at the main η on the
/// {0,1} coding (<see cref="ZeroOneShown"/>, <see cref="ZeroOneTable"/>; empty otherwise).</summary>
public sealed record XorResult(ulong FirstSeed, IReadOnlyDictionary<string, XorRun> Shown, IReadOnlyList<XorSeedCell> SeedTable,
    IReadOnlyDictionary<string, XorRun> ZeroOneShown, IReadOnlyList<XorSeedCell> ZeroOneTable, XorHandRun Hand);

/// <summary>
/// XOR learned by backpropagation in a 2-2-1 sigmoid network with Gaussian initialisation and an L2 penalty, on the
/// Workbook's ±1 table (Q9, Q11), comparing plain gradient descent, momentum, Nesterov momentum and AdaGrad at the same
/// learning rate from the same initial weights: loss curves, epochs to reach J &lt; threshold, final truth tables, a
/// success count over seeds, and the same at the main η with the {0,1} coding as a second, labelled variant.
/// </summary>
public sealed partial class XorLab : Lab<XorSettings, XorResult>
{
    public static readonly string[] Optimizers = ["SGD", "Momentum", "Nesterov", "AdaGrad"];

    public override string Name => "xor";
    public override string Description => "XOR by backprop in a 2-2-1 sigmoid MLP on the Workbook's ±1 table: SGD vs momentum vs Nesterov vs AdaGrad ({0,1} coding beside)";
    public override string Title => "XOR by backpropagation: SGD, momentum, Nesterov and AdaGrad";

    public override XorSettings Quick => new() { Epochs = 2000, Seeds = 2, SweepRates = [0.5] };
    public override XorSettings Full => new() { Epochs = 5000, Seeds = 20, SweepRates = [0.1, 0.5, 2.0] };

    /// <summary>The four input rows [4, 2] of a coding: the Workbook's order (1, 1), (−1, 1), (1, −1), (−1, −1), or 00, 01, 10, 11.</summary>
    public static Tensor Inputs(XorCoding coding) => coding == XorCoding.Workbook
        ? Tensor.FromArray(new double[] { 1, 1, -1, 1, 1, -1, -1, -1 }, 4, 2)
        : GateNetworks.Inputs();

    /// <summary>The targets of the rows of <see cref="Inputs"/>: 1, 0, 0, 1 (Workbook) or 0, 1, 1, 0 ({0,1}).</summary>
    public static double[] Truth(XorCoding coding) => coding == XorCoding.Workbook ? [1, 0, 0, 1] : GateNetworks.Truth("XOR");

    /// <summary>True when every output rounds (threshold 0.5) to its row's target.</summary>
    public static bool Matches(double[] outputs, XorCoding coding) => outputs.Select(v => v >= 0.5 ? 1.0 : 0.0).SequenceEqual(Truth(coding));

    /// <summary>The rows as written in the report, e.g. "(1, −1)" or "(0, 1)".</summary>
    public static string[] RowNames(XorCoding coding) => coding == XorCoding.Workbook
        ? ["(1, 1)", "(−1, 1)", "(1, −1)", "(−1, −1)"]
        : ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"];

    /// <summary>The results.json suffix of each row: "pp", "mp", "pm", "mm" (p = +1, m = −1) or "00", "01", "10", "11".</summary>
    public static string[] RowKeys(XorCoding coding) => coding == XorCoding.Workbook ? ["pp", "mp", "pm", "mm"] : ["00", "01", "10", "11"];

    public override XorResult Experiment(XorSettings s, LabKit kit)
    {
        // 1. The shown run: one seed, all four optimizers from the same weights, on the Workbook's table.
        var shown = Shown(s, XorCoding.Workbook, kit);
        var hand = TrainByHand(s, s.LearningRate, kit.Seed);   // Workbook Q9: the same descent with hand-written backprop
        kit.Out.WriteLine($"  by hand: J = {hand.Loss[^1]:0.00000}, largest |J_hand − J_autograd| over the epochs {LabReport.Format(hand.MaxLossDifference)}");

        // 2. Over seeds and learning rates: how often and how fast each optimizer gets there.
        var table = new List<XorSeedCell>();
        foreach (double lr in s.SweepRates)
            foreach (var o in Optimizers) table.Add(Cell(s, XorCoding.Workbook, o, lr, kit));

        // 3. The {0,1} coding beside it: the shown run and the seed cells at the main η.
        if (!s.CompareZeroOne) return new XorResult(kit.Seed, shown, table, new Dictionary<string, XorRun>(), [], hand);
        kit.Out.WriteLine("  {0,1} coding:");
        var zeroOne = Shown(s, XorCoding.ZeroOne, kit);
        var zeroOneTable = Optimizers.Select(o => Cell(s, XorCoding.ZeroOne, o, s.LearningRate, kit)).ToList();
        return new XorResult(kit.Seed, shown, table, zeroOne, zeroOneTable, hand);
    }

    private static Dictionary<string, XorRun> Shown(XorSettings s, XorCoding coding, LabKit kit)
    {
        var shown = Optimizers.ToDictionary(o => o, o => Train(s, o, s.LearningRate, kit.Seed, coding));
        foreach (var (o, r) in shown)
            kit.Out.WriteLine($"  {o,-9} J = {r.Loss[^1]:0.00000}, epochs to J < {s.Threshold}: {(r.EpochsToThreshold > 0 ? r.EpochsToThreshold : "–")}, table {(r.Learned ? "learned" : "not learned")}");
        return shown;
    }

    private static XorSeedCell Cell(XorSettings s, XorCoding coding, string optimizer, double lr, LabKit kit)
    {
        var runs = Enumerable.Range(0, s.Seeds).Select(i => Train(s, optimizer, lr, kit.Seed + (ulong)i, coding)).ToList();
        var cell = new XorSeedCell(lr, optimizer, [.. runs.Select(r => r.Learned)], [.. runs.Select(r => r.EpochsToThreshold)]);
        kit.Out.WriteLine($"  η = {lr}, {optimizer,-9}: table learned in {cell.LearnedCount}/{s.Seeds}, J < {s.Threshold} in {cell.ReachedCount}/{s.Seeds}, median epochs {LabReport.Format(cell.MedianEpochs)}");
        return cell;
    }

    /// <summary>The optimizer named <paramref name="name"/> over <paramref name="parameters"/> at rate <paramref name="lr"/>.</summary>
    public static Optimizer CreateOptimizer(string name, IEnumerable<Tensor> parameters, double lr, double momentum) => name switch
    {
        "SGD" => new Sgd(parameters, new SgdOptions(lr)),
        "Momentum" => new Sgd(parameters, new SgdOptions(lr, Momentum: momentum)),
        "Nesterov" => new Sgd(parameters, new SgdOptions(lr, Momentum: momentum, Nesterov: true)),
        "AdaGrad" => new AdaGrad(parameters, new AdaGradOptions(lr)),
        _ => throw new ArgumentException($"xor lab: unknown optimizer '{name}' ({string.Join(", ", Optimizers)})"),
    };

    /// <summary>Full-batch training of a fresh 2-2-1 network (weights from <paramref name="seed"/>) on J = MSE + L2 over
    /// the four rows of <paramref name="coding"/> (the Workbook's ±1 table unless told otherwise).</summary>
    /// <remarks>A hand-written loop rather than the library's Trainer: the loop is the lesson here (one gradient step
    /// per epoch, read as the algorithm), and it records the data loss and the penalty of J separately every epoch.</remarks>
    public static XorRun Train(XorSettings s, string optimizer, double lr, ulong seed, XorCoding coding = XorCoding.Workbook)
    {
        var net = GateNetworks.Create(hidden: true, s.InitStd, new Generator(seed));
        var weights = net.NamedParameters().Where(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Select(p => p.Tensor).ToList();
        var opt = CreateOptimizer(optimizer, net.Parameters(), lr, s.Momentum);
        var x = Inputs(coding);
        var t = Tensor.FromArray(Truth(coding), 4, 1);
        var loss = new double[s.Epochs];
        int reached = -1;
        double mse = 0, penalty = 0;
        for (int e = 0; e < s.Epochs; e++)
        {
            opt.ZeroGrad();
            var dataLoss = net.Invoke(x).MseLoss(t);        // ¼·Σ(y − t)²
            var l2 = Tensor.L2Penalty(weights, s.Lambda);    // (λ/2)·Σw²
            var j = dataLoss + l2;
            j.Backward();
            opt.Step();
            loss[e] = j.Item();
            (mse, penalty) = (dataLoss.Item(), l2.Item());
            if (reached < 0 && loss[e] < s.Threshold) reached = e + 1;
        }
        double[] outputs;
        using (GradMode.NoGrad()) outputs = net.Invoke(x).ToDoubleArray();
        return new XorRun(coding, loss, outputs, reached, mse, penalty);
    }
}
