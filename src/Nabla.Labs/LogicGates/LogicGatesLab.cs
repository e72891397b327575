using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Sizes of the logic-gates lab.</summary>
public sealed record LogicGatesSettings
{
    [Setting("full-batch Adam epochs of every training run", Min = 1, Max = 1_000_000)] public int Epochs { get; init; }
    [Setting("seeds tried per gate (the run's seed, seed + 1, …)", Min = 1, Max = 10_000)] public int Seeds { get; init; }
    [Setting("σ of the N(0, σ²) initial weights and biases", Min = 0)] public double InitStd { get; init; } = 1.0;
    [Setting("Adam learning rate η", Min = 0)] public double LearningRate { get; init; } = 0.1;
}

/// <summary>One gate: the hand-set network's outputs, the shown trained run (the first seed that learns the table,
/// else the last seed), how many seeds learned it, the final losses of the failed seeds, and both networks' output
/// surfaces (res × res, for the figure).</summary>
public sealed record GateResult(string Gate, double[] HandSet, ulong ShownSeed, double[] ShownLoss, double[] Trained, int Learned,
    double[] FailedFinalLosses, float[] HandSetSurface, float[] TrainedSurface)
{
    public bool HandSetMatches => GateNetworks.Matches(HandSet, Gate);

    public bool TrainedMatches => GateNetworks.Matches(Trained, Gate);

    /// <summary>max |output − truth| of the hand-set network over the four rows.</summary>
    public double HandSetDeviation => HandSet.Zip(GateNetworks.Truth(Gate), (y, t) => Math.Abs(y - t)).Max();
}

public sealed record LogicGatesResult(IReadOnlyList<GateResult> Gates, ulong FirstSeed, int SurfaceResolution)
{
    public GateResult this[string gate] => Gates.Single(g => g.Gate == gate);
}

/// <summary>
/// The smallest sigmoid networks for AND, OR, XOR and XNOR: one unit with hand-set weights for the linearly
/// separable gates, a 2-2-1 network built from hand-set gates for XOR = AND(OR, NAND) and XNOR = OR(AND, NOR);
/// their truth tables; then the same architectures trained from a seeded Gaussian init with full-batch Adam on
/// binary cross-entropy, to show that gradient descent finds the same tables.
/// </summary>
public sealed partial class LogicGatesLab : Lab<LogicGatesSettings, LogicGatesResult>
{
    public static readonly string[] Gates = ["AND", "OR", "XOR", "XNOR"];

    public override string Name => "logic-gates";
    public override string Description => "hand-set and trained sigmoid networks for AND, OR, XOR, XNOR; truth tables";
    public override string Title => "Logic gates with sigmoid units";

    public override LogicGatesSettings Quick => new() { Epochs = 500, Seeds = 3 };
    public override LogicGatesSettings Full => new() { Epochs = 2000, Seeds = 20 };

    private const int SurfaceResolution = 48;

    public override LogicGatesResult Experiment(LogicGatesSettings s, LabKit kit)
    {
        var gates = new List<GateResult>();
        foreach (var gate in Gates)
        {
            var handSet = GateNetworks.HandSet(gate);
            var hand = GateNetworks.Outputs(handSet);
            kit.Out.Write(GateNetworks.Format(gate, hand));

            // The shown run is the first seed that learns the table (a restart on failure); all seeds are counted.
            Sequential? shown = null;
            ulong shownSeed = kit.Seed;
            double[] shownLoss = [];
            int learned = 0;
            var failed = new List<double>();
            for (int i = 0; i < s.Seeds; i++)
            {
                ulong seed = kit.Seed + (ulong)i;
                var (net, losses) = Train(gate, s, seed);
                bool ok = GateNetworks.Matches(GateNetworks.Outputs(net), gate);
                learned += ok ? 1 : 0;
                if (!ok) failed.Add(losses[^1]);
                if (shown is null && (ok || i == s.Seeds - 1)) (shown, shownLoss, shownSeed) = (net, losses, seed);
            }
            var trained = GateNetworks.Outputs(shown!);
            kit.Out.Write(GateNetworks.Format(gate, trained));
            kit.Out.WriteLine($"  {gate}: shown seed {shownSeed}; learned the table in {learned}/{s.Seeds} seeds");
            gates.Add(new GateResult(gate, hand, shownSeed, shownLoss, trained, learned, [.. failed],
                GateNetworks.Surface(handSet, SurfaceResolution), GateNetworks.Surface(shown!, SurfaceResolution)));
        }
        return new LogicGatesResult(gates, kit.Seed, SurfaceResolution);
    }

    /// <summary>Full-batch Adam on binary cross-entropy from N(0, InitStd²) weights, through the library's
    /// <see cref="Trainer"/> (one batch of the four rows per epoch); returns the network and the loss per epoch
    /// (each measured before that epoch's step).</summary>
    public static (Sequential Net, double[] Loss) Train(string gate, LogicGatesSettings s, ulong seed)
    {
        var net = GateNetworks.Create(GateNetworks.NeedsHidden(gate), s.InitStd, new Generator(seed));
        var trainer = new Trainer(net, new Adam(net.Parameters(), new AdamOptions(s.LearningRate)),
            (y, t) => y.BinaryCrossEntropy(t), new TrainerOptions(s.Epochs, seed));
        var batch = new[] { (GateNetworks.Inputs(), GateNetworks.Targets(gate)) };
        var fit = trainer.Fit(_ => batch);
        return (net, fit.History.Select(h => h.TrainLoss).ToArray());
    }
}
