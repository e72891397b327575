using System.Diagnostics;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>One epoch of <c>cifar10-fast</c>: mean training loss per image and accuracy over its batches (augmented,
/// before the EMA), validation accuracy without TTA (NaN without a hold-out), learning-rate factor at its start, its
/// wall and processor seconds (steps only), and the steps it ran.</summary>
public sealed record FastEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double ValidAccuracy, double LrFactor, double Seconds,
    double CpuSeconds, int Steps);

/// <summary>
/// Everything the report of <c>cifar10-fast</c> needs: the data, the network's size, the timed training (whitening
/// set-up plus every step: batch assembly and augmentation, forward, backward, optimiser, EMA) with its processor time
/// and load average, per-epoch history, and the one scoring pass (test in final runs, validation in selection runs).
/// </summary>
public sealed record Cifar10FastResult(string DataName, int TrainCount, int HeldOut, int ScoredCount, string ScoredOn, bool Selection,
    string Architecture, long Parameters, long ForwardMacs, int Steps, int StepsPerEpoch, int Threads, int Cores,
    double WhitenSeconds, double TrainSeconds, double CpuSeconds, double LoadAverageBefore, double LoadAverageAfter,
    IReadOnlyList<FastEpoch> History, double Accuracy, double PlainAccuracy, double ScoreSeconds, double LoadSeconds, double WallSeconds)
{
    /// <summary>Processor seconds per training step (every thread of the process).</summary>
    public double CpuSecondsPerStep => Steps > 0 ? CpuSeconds / Steps : double.NaN;

    /// <summary>Floating-point operations of the training for batches of <paramref name="batch"/>: 6 × forward MACs per
    /// image-step (2 per MAC, forward plus the backward passes for data and weights), the usual estimate.</summary>
    public double TrainFlops(int batch) => 6.0 * ForwardMacs * Steps * batch;
}

/// <summary>
/// CIFAR-10 time-to-accuracy on the CPU (issue 15 step 5), by default with airbench94_muon as published (Keller
/// Jordan): a frozen 2×2 patch-whitening conv, three conv groups (64/256/256), Dirac-initialised convs, BatchNorm with
/// a fixed scale, GELU, Muon on the 3×3 filters and Nesterov SGD on the biases and the head, linear decay to zero,
/// label smoothing 0.2, ±2-pixel reflect translation and alternating flip, batch 2000 for 8 epochs, 6-view test-time
/// augmentation; <c>recipe=sgd</c> runs the older airbench94 (SGD with a triangular schedule and a lookahead EMA).
/// Trained on CIFAR-10 (the JPEG copy under the data root), timed from the whitening set-up to the last step, and
/// scored once on the test set. At 8 epochs (200 steps of 2000) a run takes ≈ 28 min on the two cores (≈ 8.4 s per
/// step, 2026-12-07).
/// </summary>
public sealed partial class Cifar10FastLab : Lab<Cifar10FastSettings, Cifar10FastResult>
{
    /// <summary>The goal: mean test accuracy over seeds.</summary>
    public const double AccuracyGoal = 0.94;

    /// <summary>The bar: mean test accuracy over at least three seeds.</summary>
    public const double AccuracyBar = 0.93;

    /// <summary>Training wall time per run, in seconds (30 minutes).</summary>
    public const double SecondsBar = 1800;

    public override string Name => "cifar10-fast";

    public override string Description => "CIFAR-10 time-to-accuracy on the CPU: the airbench94 recipe (whitening conv, lookahead EMA, alternating flip, TTA) within 30 min of training";

    public override string Title => "CIFAR-10 in minutes on two CPU cores: the airbench recipe";

    public override Cifar10FastSettings Full => new();   // airbench94_muon as published: widths 64/256/256, 8 epochs of batch 2000

    public override Cifar10FastSettings Quick => Full with
    {
        Train = 1_200, Test = 300, Widths = [8, 16, 16], Epochs = 2, BatchSize = 200, WhitenImages = 200, EmaStartEpochs = 1, WhitenBiasEpochs = 1, EmaEvery = 2,
    };

    public override Cifar10FastResult Experiment(Cifar10FastSettings s, LabKit kit)
    {
        s.Validate();
        var wall = Stopwatch.StartNew();
        bool selection = s.Test == 0;
        var data = Cifar10.Load(new Cifar10Options { Root = kit.DataRoot, Normalize = true, ValidationCount = s.HeldOut });
        int trainCount = s.Train ?? data.Train.Count;
        var (xTrain, yTrain) = LabKit.ToTensors(data.Train.Slice(0, trainCount));
        (Tensor X, Tensor Y)? valid = s.HeldOut > 0 ? LabKit.ToTensors(data.Validation!) : null;
        var scored = selection ? valid!.Value : LabKit.ToTensors(data.Test.Slice(0, Math.Min(s.Test, data.Test.Count)));
        double loadSeconds = wall.Elapsed.TotalSeconds;
        string dn = data.DisplayName;
        kit.Out.WriteLine($"{dn}: {trainCount:N0} training images, {s.HeldOut:N0} held out, " +
                          (selection ? "no test image scored (selection run)" : $"{scored.Y.Size(0):N0} test images scored once") + $"; loaded in {loadSeconds:F1} s (not timed)");

        var model = Cifar10FastNet.Create(s.Widths, s.BnMomentum, s.LogitScaleOrDefault, kit.Generator(1));
        if (s.Recipe == FastRecipe.Muon) Cifar10FastNet.UnitStdHead(model);
        string arch = Cifar10FastNet.Describe(s.Widths, s.LogitScaleOrDefault);
        long parameters = model.ParameterCount(trainableOnly: true);
        kit.Out.WriteLine($"{arch}; {parameters:N0} trainable parameters; threads {Tensor.GetNumThreads()} of {Environment.ProcessorCount} cores, load average {MnistFastLab.LoadAverage():F2}");

        var run = Train(s, kit, model, xTrain, yTrain, valid);

        // The one scoring pass, with test-time augmentation; the plain (one-view) accuracy is the identity view of the
        // same pass, so no image is scored twice.
        var clock = Stopwatch.StartNew();
        var (accuracy, plain) = Score(model, scored.X, scored.Y, s.Tta);
        double scoreSeconds = clock.Elapsed.TotalSeconds;
        string on = selection ? "validation" : "test";
        kit.Out.WriteLine($"{on} accuracy {100 * accuracy:F2} % with TTA {s.Tta} ({100 * plain:F2} % one view) on {scored.Y.Size(0):N0} images, scored in {scoreSeconds:F1} s");
        return new Cifar10FastResult(dn, trainCount, s.HeldOut, scored.Y.Size(0), on, selection, arch, parameters, Cifar10FastNet.ForwardMacs(s.Widths),
            run.Steps, run.StepsPerEpoch, Tensor.GetNumThreads(), Environment.ProcessorCount, run.WhitenSeconds, run.TrainSeconds, run.CpuSeconds,
            run.LoadBefore, run.LoadAfter, run.History, accuracy, plain, scoreSeconds, loadSeconds, wall.Elapsed.TotalSeconds);
    }

    private sealed record TrainRun(int Steps, int StepsPerEpoch, double WhitenSeconds, double TrainSeconds, double CpuSeconds, double LoadBefore,
        double LoadAfter, IReadOnlyList<FastEpoch> History);

    /// <summary>airbench94's training loop (see the class summary); the clock runs over the whitening set-up and the
    /// steps, and stops for the per-epoch validation.</summary>
    private static TrainRun Train(Cifar10FastSettings s, LabKit kit, Sequential model, Tensor xTrain, Tensor yTrain, (Tensor X, Tensor Y)? valid)
    {
        int n = xTrain.Size(0), b = s.BatchSize, stepsPerEpoch = n / b;
        int totalSteps = (int)Math.Ceiling(stepsPerEpoch * s.Epochs);
        bool muon = s.Recipe == FastRecipe.Muon;
        var (groups, whitenBias) = muon ? MuonSgdGroups(model, s, b) : ParamGroups(model, s, b);
        var opt = new Sgd(groups, new SgdOptions(groups[^1].LearningRate, s.Momentum, Nesterov: true));
        Muon? filters = muon
            ? new Muon(Filters(model), new MuonOptions(s.MuonLr, WeightDecay: 0, s.MuonMomentum, Nesterov: true, s.NsSteps, AdjustLr: MuonLrAdjust.None, NormalizeWeights: true))
            : null;
        int whitenSteps = s.WhitenBiasEpochs * stepsPerEpoch;
        var baseLr = groups.Select(g => g.LearningRate).ToArray();
        var order = kit.Generator(2);
        var shifts = kit.Generator(3);
        var flips = new AlternatingFlip(n, kit.Seed + 4);
        var x = xTrain.AsSpan<float>();
        var labels = yTrain.ToArray<int>();
        const int imageSize = 3 * 32 * 32;
        Lookahead? ema = null;
        var history = new List<FastEpoch>();

        double loadBefore = MnistFastLab.LoadAverage();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Cifar10FastNet.SetWhitening(model, xTrain.Narrow(0, 0, Math.Min(s.WhitenImages, n)), s.WhitenEps);
        double whitenSeconds = clock.Elapsed.TotalSeconds, whitenCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        kit.Out.WriteLine($"whitening filters from {Math.Min(s.WhitenImages, n):N0} images in {whitenSeconds:F2} s; {totalSteps} steps of {b} ({stepsPerEpoch} per epoch)");
        clock.Stop();

        int step = 0;
        for (int epoch = 0; step < totalSteps; epoch++)
        {
            clock.Start();
            var cpuEpoch = Process.GetCurrentProcess().TotalProcessorTime;
            var epochClock = Stopwatch.StartNew();
            if (epoch == s.WhitenBiasEpochs)
            {
                groups[whitenBias].LearningRate = baseLr[whitenBias] = 0;   // frozen from here on (airbench: requires_grad = False)
                Cifar10FastNet.Whitening(model).Bias!.RequiresGrad_(false);
            }
            model.Train();
            var perm = order.Permutation(n);
            double lossSum = 0, factor0 = Triangle(step, totalSteps);
            int correct = 0, seen = 0, stepsThisEpoch = 0;
            var batch = new float[b * imageSize];
            var y = new int[b];
            for (int k = 0; k < stepsPerEpoch && step < totalSteps; k++)
            {
                for (int j = 0; j < b; j++)
                {
                    int i = perm[k * b + j];
                    int dy = s.Translate > 0 ? shifts.NextInt(2 * s.Translate + 1) - s.Translate : 0;
                    int dx = s.Translate > 0 ? shifts.NextInt(2 * s.Translate + 1) - s.Translate : 0;
                    ImageShift.ShiftFlip(x.Slice(i * imageSize, imageSize), batch.AsSpan(j * imageSize, imageSize), 3, 32, 32, dy, dx,
                        s.Flip && flips.IsFlipped(i, epoch), BorderMode.Reflect);
                    y[j] = labels[i];
                }
                var input = Tensor.FromArray(batch, b, 3, 32, 32);
                var target = Tensor.FromArray(y, b);
                if (muon)
                {
                    // airbench94_muon: linear decay to zero over the run; the whitening bias's over its own epochs
                    double f = 1 - (double)step / totalSteps;
                    for (int g = 0; g < groups.Count; g++)
                        groups[g].LearningRate = g == whitenBias ? (step < whitenSteps ? baseLr[g] * (1 - (double)step / whitenSteps) : 0) : baseLr[g] * f;
                    filters!.ParamGroups[0].LearningRate = s.MuonLr * f;
                }
                else
                {
                    double f = Triangle(step, totalSteps);
                    for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = baseLr[g] * f;
                }
                var logits = model.Forward(input);
                var loss = logits.CrossEntropy(target, LossReduction.Sum, labelSmoothing: s.LabelSmoothing);
                lossSum += loss.Item();                                // read before Backward frees the graph's buffers
                correct += Metrics.CorrectCount(logits, target);
                opt.ZeroGrad();
                filters?.ZeroGrad();
                loss.Backward(freeIntermediates: true);                // activations back to the pool for the next step
                opt.Step();
                filters?.Step();
                step++;
                stepsThisEpoch++;
                seen += b;
                if (!muon && epoch >= s.EmaStartEpochs && step % s.EmaEvery == 0)
                {
                    if (ema is null) ema = new Lookahead(EmaTensors(model));
                    else ema.Update(Math.Pow(s.EmaDecayBase, s.EmaEvery) * Math.Pow((double)step / totalSteps, s.EmaDecayPow));
                }
            }
            ema?.Update(1.0);   // the network ends each epoch on the averaged weights
            clock.Stop();
            double seconds = epochClock.Elapsed.TotalSeconds, cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuEpoch).TotalSeconds;
            double validAcc = valid is { } v ? Score(model, v.X, v.Y, TtaLevel.None).Accuracy : double.NaN;
            var e = new FastEpoch(epoch + 1, lossSum / seen, (double)correct / seen, validAcc, factor0, seconds, cpu, stepsThisEpoch);
            history.Add(e);
            kit.Out.WriteLine($"  epoch {e.Epoch}: loss {e.TrainLoss:F4}, train acc {100 * e.TrainAccuracy:F2} %" +
                              (double.IsNaN(validAcc) ? "" : $", valid acc {100 * validAcc:F2} %") +
                              $", {seconds:F1} s ({cpu / Math.Max(stepsThisEpoch, 1):F2} CPU s/step, load {MnistFastLab.LoadAverage():F2})");
        }
        return new TrainRun(step, stepsPerEpoch, whitenSeconds, clock.Elapsed.TotalSeconds, whitenCpu + history.Sum(h => h.CpuSeconds),
            loadBefore, MnistFastLab.LoadAverage(), history);
    }

    /// <summary>airbench94's optimiser groups: BatchNorm biases at lr·bias-scaler, the whitening bias (its own group, so
    /// it can be frozen), and the other trainable weights at lr; the decay per step is the same decoupled
    /// wd·batch/kilostep for all. Returns the groups and the index of the whitening bias's group.</summary>
    public static (List<ParamGroup> Groups, int WhitenBias) ParamGroups(Sequential model, Cifar10FastSettings s, int batch)
    {
        // Per 1024 images and decoupled from momentum: a Nesterov step is ≈ (1 + 1/(1 − μ)) times the gradient.
        double kilostep = 1024 * (1 + 1 / (1 - s.Momentum));
        double lr = s.Lr / kilostep, wd = s.WeightDecay * batch / kilostep, lrBias = lr * s.BiasScaler;
        var bnBias = BatchNormBiases(model);
        var whitenBias = Cifar10FastNet.Whitening(model).Bias!;
        var other = model.Parameters().Where(p => p.RequiresGrad && !bnBias.Contains(p) && !ReferenceEquals(p, whitenBias)).ToList();
        var groups = new List<ParamGroup>
        {
            new(bnBias, lrBias, lrBias > 0 ? wd / lrBias : 0),
            new([whitenBias], lr, wd / lr),
            new(other, lr, wd / lr),
        };
        return (groups, 1);
    }

    /// <summary>airbench94_muon's SGD groups (Nesterov, momentum <see cref="Cifar10FastSettings.Momentum"/>): the
    /// whitening bias and the BatchNorm biases at <see cref="Cifar10FastSettings.BiasLr"/>, the output layer at
    /// <see cref="Cifar10FastSettings.HeadLr"/>, each with PyTorch's coupled decay wd/lr where wd = decay per image ×
    /// batch (so the decay per step, lr·wd/lr, does not depend on the group). Returns the groups and the index of the
    /// whitening bias's group; the 3×3 conv filters (<see cref="Filters"/>) go to Muon.</summary>
    public static (List<ParamGroup> Groups, int WhitenBias) MuonSgdGroups(Sequential model, Cifar10FastSettings s, int batch)
    {
        double wd = s.MuonWeightDecay * batch;
        var bnBias = BatchNormBiases(model);
        var head = model.Children.Select(c => c.Module).OfType<Linear>().Single().Weight;
        double Decay(double lr) => lr > 0 ? wd / lr : 0;
        return ([
            new([Cifar10FastNet.Whitening(model).Bias!], s.BiasLr, Decay(s.BiasLr)),
            new(bnBias, s.BiasLr, Decay(s.BiasLr)),
            new([head], s.HeadLr, Decay(s.HeadLr)),
        ], 0);
    }

    /// <summary>The six BatchNorm biases (their scales are frozen).</summary>
    private static List<Tensor> BatchNormBiases(Sequential model) =>
        model.NamedModules().Select(m => m.Module).OfType<BatchNorm2d>().Select(b => b.Bias!).ToList();

    /// <summary>The trainable 4-d parameters: the six 3×3 conv filters (the whitening weight is frozen).</summary>
    public static List<Tensor> Filters(Sequential model) => model.Parameters().Where(p => p.RequiresGrad && p.Rank == 4).ToList();

    /// <summary>airbench94's schedule factor at step <paramref name="t"/> of <paramref name="total"/>: linear from 0.2 to 1
    /// at 23 % of the steps, then linear to 0.07 at the end.</summary>
    public static double Triangle(int t, int total)
    {
        int peak = (int)(0.23 * total);
        if (t <= peak) return peak == 0 ? 1 : 0.2 + 0.8 * t / peak;
        return 1 + (0.07 - 1) * (t - peak) / Math.Max(total - peak, 1);
    }

    /// <summary>The tensors the lookahead EMA averages: every floating-point parameter and buffer (BatchNorm running
    /// statistics included, as airbench averages its whole floating-point state).</summary>
    private static IEnumerable<Tensor> EmaTensors(Sequential model) =>
        model.NamedParameters().Select(p => p.Tensor).Concat(model.NamedBuffers().Select(b => b.Tensor)).Where(t => t.DType.IsFloatingPoint());

    /// <summary>Accuracy with <paramref name="level"/> views and with the identity view alone (from the same pass when
    /// the level includes it).</summary>
    private static (double Accuracy, double Plain) Score(Sequential model, Tensor x, Tensor y, TtaLevel level)
    {
        var views = TestTimeAugmentation.PredictViews(model, x, level, 500);
        double acc = (double)Metrics.CorrectCount(TestTimeAugmentation.Combine(views, level), y) / y.Size(0);
        return (acc, (double)Metrics.CorrectCount(views[0], y) / y.Size(0));
    }
}
