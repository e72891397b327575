
namespace Nabla.Labs;

public sealed record TheoryChecksSettings
{
    [Setting("grid points on [−L, L] for the ReLU/H checks and the quadrature (odd puts 0 on the grid)", Min = 101, Max = 2_000_001)]
    public int GridPoints { get; init; }

    [Setting("half-width L of the grid", Min = 1.5, Max = 50)]
    public double GridHalfWidth { get; init; } = 3;

    [Setting("steepness values k for σ(kx) → H", Min = 1e-3, Max = 1e6)]
    public double[] Steepness { get; init; } = [];

    [Setting("δ: σ(kx) is compared with H on |x| ≥ δ", Min = 1e-4, Max = 1)]
    public double Delta { get; init; } = 0.1;

    [Setting("size n of the Jacobian check (Q2.1–2.3)", Min = 2, Max = 64)]
    public int JacobianSize { get; init; } = 4;

    [Setting("sizes n for the O(n) vs O(n²) vector-Jacobian products", Min = 2, Max = 4096)]
    public int[] VjpSizes { get; init; } = [];

    [Setting("timing measurements per size (the median is kept)", Min = 1, Max = 100)]
    public int TimingRepeats { get; init; }

    [Setting("minimum seconds per timing measurement", Min = 1e-5, Max = 1)]
    public double TimingSeconds { get; init; }

    [Setting("random vectors for the softmax reparameterisation checks", Min = 1, Max = 1_000_000)]
    public int Samples { get; init; }

    [Setting("input dimension D of the sigmoid/tanh networks", Min = 1, Max = 1000)]
    public int NetInputs { get; init; } = 4;

    [Setting("hidden units M of the sigmoid/tanh networks", Min = 1, Max = 1000)]
    public int NetHidden { get; init; } = 8;

    [Setting("outputs K of the sigmoid/tanh networks", Min = 1, Max = 100)]
    public int NetOutputs { get; init; } = 3;

    [Setting("number N of interpolation points", Min = 2, Max = 200)]
    public int Points { get; init; }

    [Setting("dimension n of the interpolated points", Min = 1, Max = 50)]
    public int PointDim { get; init; } = 2;

    [Setting("dimension m of f's values", Min = 1, Max = 10)]
    public int TargetDim { get; init; } = 2;

    [Setting("λ values for the steep-sigmoid interpolation", Min = 1e-3, Max = 1e7)]
    public double[] Lambdas { get; init; } = [];

    [Setting("gradient-descent steps on L = ŷ − y and L = y − ŷ", Min = 1, Max = 10_000)]
    public int LossSteps { get; init; }

    [Setting("learning rate of those steps", Min = 1e-6, Max = 1)]
    public double LossLearningRate { get; init; } = 0.05;

    [Setting("Workbook Q1a: points per class of the three blobs (training; as many again for testing)", Min = 5, Max = 10_000)]
    public int Q1aPerClass { get; init; } = 100;

    [Setting("Workbook Q1a: hidden tanh units of both networks", Min = 1, Max = 1000)]
    public int Q1aHidden { get; init; } = 16;

    [Setting("Workbook Q1a: full-batch Adam steps of each fit", Min = 1, Max = 100_000)]
    public int Q1aSteps { get; init; }

    [Setting("Workbook Q1a: Adam's learning rate", Min = 1e-6, Max = 1)]
    public double Q1aLearningRate { get; init; } = 0.02;

    [Setting("Workbook Q8c: points of the line y = 2x + 5 + noise (training; as many again for testing)", Min = 10, Max = 100_000)]
    public int Q8cPoints { get; init; } = 200;

    [Setting("Workbook Q8c: full-batch SGD steps of each fit (w, b averaged over the second half)", Min = 2, Max = 1_000_000)]
    public int Q8cSteps { get; init; }

    [Setting("Workbook Q8c: SGD learning rate", Min = 1e-6, Max = 1)]
    public double Q8cLearningRate { get; init; } = 0.05;

    [Setting("Workbook Q8c: dropout probability p", Min = 0.01, Max = 0.9)]
    public double Q8cP { get; init; } = 0.5;

    [Setting("Workbook Q20a: subgradient steps on each minimax problem", Min = 1, Max = 1_000_000)]
    public int Q20aSteps { get; init; } = 3000;
}

/// <summary>Every number the theory-checks report needs.</summary>
public sealed record TheoryChecksResult(
    ReluCheck Relu,
    IReadOnlyList<SigmoidStepRow> SigmoidSteps,
    double[] SigmoidPlotX,
    double[][] SigmoidCurves,
    IReadOnlyList<DistributionRow> Distribution,
    JacobianCheck Jacobian,
    IReadOnlyList<VjpRow> Vjp,
    double ExplicitExponent,
    double LinearExponent,
    double[] SoftmaxX,
    IReadOnlyList<ShiftRow> Shifts,
    IReadOnlyList<ScaleRow> Scales,
    IReadOnlyList<ScaleRow> ScaleCurve,
    ReparamCheck Reparam,
    EquivalenceCheck Equivalence,
    InterpolationProblem Problem,
    InterpolationRun ReluInterpolation,
    InterpolationRun ReluPerUnitInterpolation,
    IReadOnlyList<InterpolationRun> SigmoidInterpolations,
    PoolingAsConvCheck PoolingAsConv,
    IReadOnlyList<SignedLossRun> SignedLosses,
    RegressionVsClassificationCheck RegressionVsClassification,
    BiasDropoutCheck BiasDropout,
    IReadOnlyList<MinimaxRun> Minimax);

/// <summary>
/// IFT6135 theory questions 1–5 shown with numbers (ReLU and the Heaviside step, σ(kx) → H, the distributional
/// derivative, the softmax Jacobian and its O(n) product, softmax's shift/scale behaviour and reparameterisations, the
/// sigmoid ↔ tanh equivalent networks, exact interpolation with N − 1 ReLU or steep-sigmoid units), plus 24789 P4d
/// (average pooling as a convolution), Workbook Q5b (training on L = ŷ − y), Workbook Q1a (the same network fitted as
/// regression and as classification) and Workbook Q8c (dropout on a bias node).
/// </summary>
public sealed partial class TheoryChecksLab : Lab<TheoryChecksSettings, TheoryChecksResult>
{
    public override string Name => "theory-checks";

    public override string Description => "IFT6135 theory Q1–Q5 with numbers (Heaviside, softmax Jacobian, sigmoid↔tanh, interpolation), 24789 P4d, Workbook Q5b, Q1a, Q8c and Q20a";

    public override string Title => "Theory checks: IFT6135 Q1–Q5, 24789 P4d and Workbook Q5b, Q1a, Q8c, Q20a with numbers";

    public override TheoryChecksSettings Quick => new()
    {
        GridPoints = 2001, Steepness = [1, 10, 100], VjpSizes = [8, 32, 128], TimingRepeats = 3, TimingSeconds = 0.002,
        Samples = 200, Points = 5, Lambdas = [1, 10, 100], LossSteps = 20, Q1aSteps = 300, Q8cSteps = 2000,
    };

    public override TheoryChecksSettings Full => new()
    {
        GridPoints = 200_001, Steepness = [1, 3, 10, 30, 100, 300, 1000], VjpSizes = [16, 32, 64, 128, 256, 512, 1024, 2048],
        TimingRepeats = 7, TimingSeconds = 0.02, Samples = 10_000, Points = 20, Lambdas = [1, 10, 100, 1000, 10_000, 100_000], LossSteps = 60, Q1aSteps = 1000, Q8cSteps = 20_000,
    };

    /// <summary>The bumps φ (centre, half-width) of the distributional-derivative check; the last one's support
    /// excludes 0.</summary>
    public static readonly (double Centre, double HalfWidth)[] Bumps = [(0, 1), (0.3, 1), (-0.4, 0.7), (0.05, 0.1), (1.5, 1)];

    public static readonly double[] ShiftConstants = [-1000, -10, 0.5, 10, 1000];

    public static readonly double[] ScaleConstants = [0, 0.01, 0.1, 1, 10, 100];

    public static readonly int[] ReparamSizes = [3, 5, 10];

    public override TheoryChecksResult Experiment(TheoryChecksSettings s, LabKit kit)
    {
        kit.Out.WriteLine("  Q1: ReLU, H, σ(kx), distributional derivative");
        var relu = HeavisideChecks.Relu(s.GridPoints, s.GridHalfWidth, [-2, -1, 0, 0.5, 1, 2]);
        var steps = HeavisideChecks.SigmoidSteps(s.GridPoints, s.GridHalfWidth, s.Steepness, s.Delta);
        var dist = HeavisideChecks.Distributional(s.GridPoints, s.GridHalfWidth, Bumps);

        kit.Out.WriteLine("  Q2: softmax Jacobian and vector-Jacobian products");
        var jac = SoftmaxChecks.Jacobians(s.JacobianSize, kit.Generator(1));
        var vjp = SoftmaxChecks.VectorJacobianProducts(s.VjpSizes, s.TimingRepeats, s.TimingSeconds, kit.Generator(2));
        var big = vjp.Where(r => r.N >= 32).ToList();          // below ~32 the call overhead dominates both
        if (big.Count < 2) big = vjp.ToList();
        double expE = SoftmaxChecks.GrowthExponent(big.Select(r => r.N).ToList(), big.Select(r => r.ExplicitSeconds).ToList());
        double expL = SoftmaxChecks.GrowthExponent(big.Select(r => r.N).ToList(), big.Select(r => r.LinearSeconds).ToList());

        kit.Out.WriteLine("  Q3: softmax shift, scale, reparameterisations");
        var sx = Nabla.Tensor.Randn([5], 0, 1, Nabla.DType.Float64, kit.Generator(3)).ToDoubleArray();
        var shifts = SoftmaxChecks.Shifts(sx, ShiftConstants);
        var scales = SoftmaxChecks.Scales(sx, ScaleConstants);
        var curve = SoftmaxChecks.Scales(sx, Enumerable.Range(0, 61).Select(i => Math.Pow(10, -3 + i * 0.1)).ToList());
        var reparam = SoftmaxChecks.Reparameterisations(s.Samples, ReparamSizes, kit.Generator(4));

        kit.Out.WriteLine("  Q4: sigmoid and tanh networks");
        var eq = EquivalentNetworks.Check(s.NetInputs, s.NetHidden, s.NetOutputs, s.Samples, kit.Generator(5));

        kit.Out.WriteLine("  Q5: interpolation with N − 1 units");
        var problem = Interpolation.Problem(s.Points, s.PointDim, s.TargetDim, kit.Generator(6));
        var reluRun = Interpolation.Relu(problem);
        var reluPerUnit = Interpolation.Relu(problem, perUnit: true);
        var sigRuns = s.Lambdas.Select(l => Interpolation.Sigmoid(problem, l)).ToList();

        kit.Out.WriteLine("  24789 P4d and Workbook Q5b");
        var pool = PoolingAndLossChecks.AvgPoolAsConv(2, 3, 6, 8, kit.Generator(7));
        var signed = new List<SignedLossRun>();
        foreach (bool minus in new[] { true, false })
            foreach (bool reluOut in new[] { false, true })
                signed.Add(PoolingAndLossChecks.SignedLoss(minus, reluOut, s.LossSteps, s.LossLearningRate));

        kit.Out.WriteLine("  Workbook Q1a: one network, regression and classification");
        var q1a = RegressionVsClassification.Run(s.Q1aPerClass, s.Q1aHidden, s.Q1aSteps, s.Q1aLearningRate, kit.Generator(8), kit.Seed + 9);
        kit.Out.WriteLine("  Workbook Q8c: dropout on a bias node");
        var q8c = BiasDropout.Run(s.Q8cPoints, s.Q8cSteps, s.Q8cLearningRate, s.Q8cP, kit.Generator(10));
        kit.Out.WriteLine("  Workbook Q20a: two minimax problems outside deep learning and games");
        var q20a = MinimaxExamples.Run(s.Q20aSteps, kit.Generator(11));

        var plotX = HeavisideChecks.Grid(801, 1);
        var curves = s.Steepness.Select(k => (Nabla.Tensor.FromArray(plotX, plotX.Length) * k).Sigmoid().ToDoubleArray()).ToArray();
        return new TheoryChecksResult(relu, steps, plotX, curves, dist, jac, vjp, expE, expL, sx, shifts, scales, curve, reparam, eq,
            problem, reluRun, reluPerUnit, sigRuns, pool, signed, q1a, q8c, q20a);
    }
}
