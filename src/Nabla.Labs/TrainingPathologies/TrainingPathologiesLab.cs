using System.Diagnostics;

namespace Nabla.Labs;

/// <summary>Sizes, rates and fixes of the training-pathologies lab (three parts: deep sigmoid gradients, dropout at
/// inference, a diverging run and its fixes).</summary>
public sealed record TrainingPathologiesSettings
{
    [Setting("training images (the first of the 50k training part)", Min = 100, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("validation images (the first of the 10k held out)", Min = 100, Max = 10_000)] public int ValidationImages { get; init; }
    [Setting("test images (the first of the test file)", Min = 100, Max = 10_000)] public int TestImages { get; init; }
    [Setting("mini-batch size of every run", Min = 1, Max = 10_000)] public int BatchSize { get; init; }

    [Setting("(a) hidden layers L of the deep sigmoid and ReLU MLPs", Min = 3, Max = 50)] public int Depth { get; init; }
    [Setting("(a) width of every hidden layer", Min = 4, Max = 2048)] public int Width { get; init; }
    [Setting("(a) epochs of plain SGD before the second gradient probe", Min = 1, Max = 100)] public int DepthEpochs { get; init; }
    [Setting("(a) SGD learning rate of both deep MLPs", Min = 1e-6, Max = 10)] public double DepthLearningRate { get; init; }
    [Setting("(a) training images in the batch on which the per-layer gradients are measured", Min = 10, Max = 10_000)] public int ProbeImages { get; init; }

    [Setting("(b) drop probability p of the dropout MLP", Min = 0.05, Max = 0.9)] public double DropP { get; init; }
    [Setting("(b) hidden widths of the dropout MLP", Min = 1, Max = 4096)] public int[] DropoutHidden { get; init; } = [];
    [Setting("(b) epochs of SGD per dropout MLP", Min = 1, Max = 200)] public int DropoutEpochs { get; init; }
    [Setting("(b) plain SGD learning rate of the dropout MLPs", Min = 1e-6, Max = 10)] public double DropoutLearningRate { get; init; }
    [Setting("(b) Workbook Q8a: dropout masks K whose thinned networks are averaged against the scaled network", Min = 1, Max = 1000)] public int EnsembleMasks { get; init; } = 50;

    [Setting("(c) hidden widths of the MLP whose run diverges", Min = 1, Max = 4096)] public int[] DivergeHidden { get; init; } = [];
    [Setting("(c) epochs of every run of part (c)", Min = 1, Max = 200)] public int DivergeEpochs { get; init; }
    [Setting("(c) the learning rate that is too large (SGD with momentum)", Min = 1e-6, Max = 100)] public double HighLearningRate { get; init; }
    [Setting("(c) SGD momentum of every run of part (c)", Min = 0, Max = 0.999)] public double Momentum { get; init; }
    [Setting("(c) the 'lower learning rate' fix: the high rate times this factor", Min = 1e-4, Max = 1)] public double LowerFactor { get; init; }
    [Setting("(c) the 'decay' fix: the rate is multiplied by this factor over every epoch (a little after each batch)", Min = 0.01, Max = 1)] public double DecayGamma { get; init; }
    [Setting("(c) the 'clipping' fix: the largest global gradient norm (TrainerOptions.ClipGradNorm)", Min = 1e-6, Max = 1e6)] public double ClipNorm { get; init; }
    [Setting("(c) batches averaged per point of the loss curve", Min = 1, Max = 10_000)] public int CurveWindow { get; init; }
}

/// <summary>Everything the three parts measured, plus the split sizes and the wall time.</summary>
public sealed record TrainingPathologiesResult(int TrainCount, int ValidationCount, int TestCount,
    DepthStudy Depth, DropoutStudy Dropout, DivergenceStudy Divergence, double Seconds);

/// <summary>
/// Three short-answer questions of EECS 498 HW1 (Q7.1–Q7.3) answered by experiment on MNIST: (a) the gradient decay of a
/// deep sigmoid MLP, layer by layer, against the same depth with ReLU and He init; (b) why dropout needs a rescaling at
/// inference (inverted vs textbook dropout, each evaluated with the right and the wrong test-time scale); (c) a run whose
/// loss falls and then diverges at too large a learning rate, and four fixes (lower rate, rate decay, batch norm,
/// gradient clipping) through the library's <see cref="Training.Trainer"/> and its NaN guard.
/// </summary>
public sealed partial class TrainingPathologiesLab : Lab<TrainingPathologiesSettings, TrainingPathologiesResult>
{
    public override string Name => "training-pathologies";

    public override string Description => "deep sigmoid gradient decay vs ReLU, dropout's inference scaling, a diverging run and its fixes (MNIST MLPs)";

    public override string Title => "Training pathologies: vanishing sigmoid gradients, dropout at inference, a diverging run";

    public override TrainingPathologiesSettings Quick => new()
    {
        TrainImages = 2000, ValidationImages = 500, TestImages = 500, BatchSize = 64,
        Depth = 6, Width = 64, DepthEpochs = 1, DepthLearningRate = 0.05, ProbeImages = 256,
        DropP = 0.5, DropoutHidden = [128, 128], DropoutEpochs = 2, DropoutLearningRate = 0.1,
        DivergeHidden = [256, 256], DivergeEpochs = 3, HighLearningRate = 0.5, Momentum = 0.9, LowerFactor = 0.1,
        DecayGamma = 0.3, ClipNorm = 1, CurveWindow = 4,
    };

    public override TrainingPathologiesSettings Full => new()
    {
        TrainImages = 50_000, ValidationImages = 10_000, TestImages = 10_000, BatchSize = 64,
        Depth = 12, Width = 128, DepthEpochs = 3, DepthLearningRate = 0.05, ProbeImages = 1000,
        DropP = 0.5, DropoutHidden = [512, 512], DropoutEpochs = 10, DropoutLearningRate = 0.1,
        DivergeHidden = [512, 512], DivergeEpochs = 5, HighLearningRate = 0.15, Momentum = 0.9, LowerFactor = 0.1,
        DecayGamma = 0.3, ClipNorm = 1, CurveWindow = 50,
    };

    public override TrainingPathologiesResult Experiment(TrainingPathologiesSettings s, LabKit kit)
    {
        var clock = Stopwatch.StartNew();
        var data = kit.Mnist(s.TrainImages, s.ValidationImages, s.TestImages);
        kit.Out.WriteLine($"training-pathologies: {data.Train.Count} training, {data.Validation.Count} validation, {data.Test.Count} test images");
        var depth = RunDepthStudy(s, data, kit);
        var dropout = RunDropoutStudy(s, data, kit);
        var divergence = RunDivergenceStudy(s, data, kit);
        return new TrainingPathologiesResult(data.Train.Count, data.Validation.Count, data.Test.Count, depth, dropout, divergence,
            clock.Elapsed.TotalSeconds);
    }
}
