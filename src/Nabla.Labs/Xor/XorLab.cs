using Nabla.Ops;
using Nabla.Optim;
using Nabla.Tensors;

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
}

/// <summary>One training run: objective J per epoch (before that epoch's step), final outputs on the four rows,
/// the first epoch whose J is below the threshold (−1 if never), and the final MSE and penalty.</summary>
public sealed record XorRun(double[] Loss, double[] Outputs, int EpochsToThreshold, double FinalMse, double FinalPenalty)
{
    public bool Learned => GateNetworks.Matches(Outputs, "XOR");
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

public sealed record XorResult(ulong FirstSeed, IReadOnlyDictionary<string, XorRun> Shown, IReadOnlyList<XorSeedCell> SeedTable);

/// <summary>
/// XOR learned by backpropagation in a 2-2-1 sigmoid network with Gaussian initialisation and an L2 penalty,
/// comparing plain gradient descent, momentum, Nesterov momentum and AdaGrad at the same learning rate from the same
/// initial weights: loss curves, epochs to reach J &lt; threshold, final truth tables, and a success count over seeds.
/// </summary>
public sealed partial class XorLab : Lab<XorSettings, XorResult>
{
    public static readonly string[] Optimizers = ["SGD", "Momentum", "Nesterov", "AdaGrad"];

    public override string Name => "xor";
    public override string Description => "XOR by backprop in a 2-2-1 sigmoid MLP: SGD vs momentum vs Nesterov vs AdaGrad";
    public override string Title => "XOR by backpropagation: SGD, momentum, Nesterov and AdaGrad";

    public override XorSettings Quick => new() { Epochs = 2000, Seeds = 2, SweepRates = [0.5] };
    public override XorSettings Full => new() { Epochs = 5000, Seeds = 20, SweepRates = [0.1, 0.5, 2.0] };

    public override XorResult Experiment(XorSettings s, LabKit kit)
    {
        // 1. The shown run: one seed, all four optimizers from the same weights.
        var shown = Optimizers.ToDictionary(o => o, o => Train(s, o, s.LearningRate, kit.Seed));
        foreach (var (o, r) in shown)
            kit.Out.WriteLine($"  {o,-9} J = {r.Loss[^1]:0.00000}, epochs to J < {s.Threshold}: {(r.EpochsToThreshold > 0 ? r.EpochsToThreshold : "–")}, table {(r.Learned ? "learned" : "not learned")}");

        // 2. Over seeds and learning rates: how often and how fast each optimizer gets there.
        var table = new List<XorSeedCell>();
        foreach (double lr in s.SweepRates)
            foreach (var o in Optimizers)
            {
                var runs = Enumerable.Range(0, s.Seeds).Select(i => Train(s, o, lr, kit.Seed + (ulong)i)).ToList();
                var cell = new XorSeedCell(lr, o, [.. runs.Select(r => r.Learned)], [.. runs.Select(r => r.EpochsToThreshold)]);
                table.Add(cell);
                kit.Out.WriteLine($"  η = {lr}, {o,-9}: table learned in {cell.LearnedCount}/{s.Seeds}, J < {s.Threshold} in {cell.ReachedCount}/{s.Seeds}, median epochs {LabReport.Format(cell.MedianEpochs)}");
            }
        return new XorResult(kit.Seed, shown, table);
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

    /// <summary>Full-batch training of a fresh 2-2-1 network (weights from <paramref name="seed"/>) on J = MSE + L2.</summary>
    /// <remarks>A hand-written loop rather than the library's Trainer: the loop is the lesson here (one gradient step
    /// per epoch, read as the algorithm), and it records the data loss and the penalty of J separately every epoch.</remarks>
    public static XorRun Train(XorSettings s, string optimizer, double lr, ulong seed)
    {
        var net = GateNetworks.Create(hidden: true, s.InitStd, new Generator(seed));
        var weights = net.NamedParameters().Where(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Select(p => p.Tensor).ToList();
        var opt = CreateOptimizer(optimizer, net.Parameters(), lr, s.Momentum);
        var x = GateNetworks.Inputs();
        var t = GateNetworks.Targets("XOR");
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
        return new XorRun(loss, GateNetworks.Outputs(net), reached, mse, penalty);
    }
}
