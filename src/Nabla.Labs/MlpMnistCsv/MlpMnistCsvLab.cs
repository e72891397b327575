using System.Diagnostics;
using Nabla.Course;
using Nabla.Data;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Settings of the mlp-mnist-csv lab (the quick ones shrink only the data and the epochs).</summary>
public sealed record MlpMnistCsvSettings
{
    [Setting("layer sizes: input, hidden…, classes", Min = 1, Max = 4096)] public int[] Sizes { get; init; } = [784, 512, 256, 10];
    [Setting("hidden activations compared, one network each (sigmoid, tanh, relu)")] public string[] Activations { get; init; } = ["sigmoid", "tanh", "relu"];
    [Setting("weight initialisation of the main rows (normal, glorot, zeros)")] public string Init { get; init; } = "glorot";
    [Setting("activations trained again with the template's standard-normal N(0, 1) weights, one extra row each (empty: none)")] public string[] NormalInitActivations { get; init; } = ["sigmoid", "tanh", "relu"];
    [Setting("SGD learning rate η", Min = 1e-6, Max = 10)] public double LearningRate { get; init; } = 0.1;
    [Setting("mini-batch size", Min = 1, Max = 60_000)] public int BatchSize { get; init; } = 64;
    [Setting("epochs per network", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("lines of the training CSV (the first images of the IDX training file; none = all 60,000)", Min = 2, Max = 60_000)] public int? TrainLines { get; init; }
    [Setting("lines of the test CSV (none = all 10,000)", Min = 1, Max = 10_000)] public int? TestLines { get; init; }
    [Setting("last training lines held out for validation", Min = 1, Max = 59_999)] public int ValidationLines { get; init; }
    [Setting("keep the CSV files in ~/.nabla/cache (shared by runs) instead of the report folder")] public bool SharedCsvCache { get; init; }
}

/// <summary>One network (an activation and an initialisation): the training-set loss before training, per-epoch
/// losses and errors on the training, validation and test sets, the final test numbers, time, and the epoch in which
/// the minibatch loss became NaN/∞ (0 = never; training stops there). <see cref="Key"/> names its results.json entries:
/// the activation for the main rows, "activation_normal" for the N(0, 1) rows.</summary>
public sealed record ActivationRun(string Activation, string Init, string Key, long Parameters, double InitialTrainLoss,
    List<double> TrainLoss, List<double> ValidLoss, List<double> TestLossCurve, List<double> TrainError, List<double> ValidError,
    List<double> TestErrorCurve, double TestLoss, double TestError, double Seconds, int DivergedEpoch)
{
    public string Label => $"{Activation}, {MlpMnistCsvLab.InitLabel(Init)}";
}

public sealed record MlpMnistCsvResult(string TrainCsv, string TestCsv, int TrainLines, int TestLines, double ReadSeconds,
    IReadOnlyList<ActivationRun> Runs, int BestIndex, double ReloadedTestError)
{
    public ActivationRun Best => Runs[BestIndex];
}

/// <summary>
/// The homework MLP (<see cref="ClassicMlp"/>) trained on the CSV form of MNIST with sigmoid, tanh and ReLU hidden
/// units: CSV files made by the library's converter, read back, plain minibatch SGD, test error per activation (Glorot
/// weights, and again with the template's standard-normal weights), train-vs-test curves as in the assignment's Fig. 7,
/// and the network with the best validation error saved as model.npz (and loaded back to check it).
/// </summary>
public sealed partial class MlpMnistCsvLab : Lab<MlpMnistCsvSettings, MlpMnistCsvResult>
{
    public override string Name => "mlp-mnist-csv";

    public override string Description => "homework MLP (PyTorch-like ClassicMlp) on MNIST read from CSV: sigmoid vs tanh vs ReLU, Glorot vs N(0,1) init, train vs test curves, model.npz";

    public override string Title => "MLP on MNIST from CSV files: sigmoid vs tanh vs ReLU";

    public override MlpMnistCsvSettings Quick => new() { Epochs = 2, TrainLines = 3000, TestLines = 1000, ValidationLines = 500 };

    public override MlpMnistCsvSettings Full => new() { Epochs = 10, ValidationLines = 10_000, SharedCsvCache = true };

    public override MlpMnistCsvResult Experiment(MlpMnistCsvSettings s, LabKit kit)
    {
        foreach (var a in s.Activations.Concat(s.NormalInitActivations))
            if (!ClassicMlp.ActivationNames.Contains(a))
                throw new ArgumentException($"mlp-mnist-csv: unknown activation '{a}'; choose from {string.Join(", ", ClassicMlp.ActivationNames)}");
        if (!ClassicMlp.InitNames.Contains(s.Init))
            throw new ArgumentException($"mlp-mnist-csv: unknown init '{s.Init}'; choose from {string.Join(", ", ClassicMlp.InitNames)}");
        if (s.TrainLines is int lines && s.ValidationLines >= lines)
            throw new ArgumentException($"mlp-mnist-csv: {s.ValidationLines} validation lines leave no training lines out of {lines}");

        // 1. CSV files from the IDX files, then read back with the CSV reader.
        kit.Out.WriteLine("preparing the CSV files");
        string csvDir = MlpMnistCsvData.CsvFolder(kit.Dir, s.SharedCsvCache, s.TrainLines, s.TestLines);
        var (trainCsv, testCsv) = MlpMnistCsvData.Prepare(kit, csvDir, s.TrainLines, s.TestLines);
        var clock = Stopwatch.StartNew();
        var trainImages = MnistCsv.Read(trainCsv);
        var testImages = MnistCsv.Read(testCsv);
        double readSeconds = clock.Elapsed.TotalSeconds;
        kit.Out.WriteLine($"  read {trainImages.Count} + {testImages.Count} lines in {readSeconds:F1} s");

        // Features x = pixel/255 ∈ [0, 1] (the homework's scaling); the last lines of the training file validate.
        var all = new ImageDataset(trainImages, flatten: true);
        int nTrain = all.Count - s.ValidationLines;
        if (nTrain < 1) throw new ArgumentException($"mlp-mnist-csv: {s.ValidationLines} validation lines leave no training lines out of {all.Count}");
        var train = all.Slice(0, nTrain);
        var (xTrain, yTrain) = LabKit.ToTensors(train);
        var (xValid, yValid) = LabKit.ToTensors(all.Slice(nTrain, s.ValidationLines));
        var (xTest, yTest) = LabKit.ToTensors(new ImageDataset(testImages, flatten: true));

        // 2. One network per (activation, initialisation), same data order, same settings. The loop is the homework API
        // itself (ZeroGrads → GetLoss → Backward → Step(lr)), which is what this lab demonstrates, so it does not use
        // Trainer. The test curve is recorded for the train-vs-test figure the assignment shows (Fig. 7); no choice reads it.
        var rows = s.Activations.Select(a => (Activation: a, Init: s.Init, Key: a)).ToList();
        if (s.Init != "normal") rows.AddRange(s.NormalInitActivations.Select(a => (Activation: a, Init: "normal", Key: a + "_normal")));
        var runs = new List<ActivationRun>();
        var models = new List<ClassicMlp>();
        for (int k = 0; k < rows.Count; k++)
        {
            var (act, init, key) = rows[k];
            int seedIndex = Array.IndexOf(s.Activations, act) is int i && i >= 0 ? i : k;   // the same initial draw for both inits of an activation
            var model = new ClassicMlp(s.Sizes, act, init, generator: new Generator(kit.Seed * 1000 + 17 + (ulong)seedIndex));
            var loader = new DataLoader(train, s.BatchSize, shuffle: true, seed: kit.Seed + 1);
            var r = new ActivationRun(act, init, key, model.ParameterCount(), model.Evaluate(xTrain, yTrain).Loss, [], [], [], [], [], [], 0, 0, 0, 0);
            var runClock = Stopwatch.StartNew();
            for (int epoch = 0; epoch < s.Epochs && r.DivergedEpoch == 0; epoch++)
            {
                foreach (var (x, y) in loader.ForEpoch(epoch))
                {
                    model.ZeroGrads();
                    if (!double.IsFinite(model.GetLoss(x, y).Item())) { r = r with { DivergedEpoch = epoch + 1 }; break; }
                    model.Backward();
                    model.Step(s.LearningRate);
                }
                if (r.DivergedEpoch > 0) { kit.Out.WriteLine($"  {r.Label}: the minibatch loss became NaN/∞ in epoch {epoch + 1}; training stops"); break; }
                var (trL, trE) = model.Evaluate(xTrain, yTrain);
                var (vaL, vaE) = model.Evaluate(xValid, yValid);
                var (teL, teE) = model.Evaluate(xTest, yTest);
                r.TrainLoss.Add(trL); r.TrainError.Add(trE); r.ValidLoss.Add(vaL); r.ValidError.Add(vaE); r.TestLossCurve.Add(teL); r.TestErrorCurve.Add(teE);
                kit.Out.WriteLine($"  {r.Label,-18} epoch {epoch + 1,2}: train loss {trL:F4} error {trE:P2} | valid error {vaE:P2} | test error {teE:P2}");
            }
            var (testLoss, testError) = model.Evaluate(xTest, yTest);
            runs.Add(r with { TestLoss = testLoss, TestError = testError, Seconds = runClock.Elapsed.TotalSeconds });
            models.Add(model);
        }

        // 3. The best network by final validation error (a run that diverged has none) is saved and loaded back.
        int best = Enumerable.Range(0, runs.Count).MinBy(i => runs[i].DivergedEpoch == 0 && runs[i].ValidError.Count > 0 ? runs[i].ValidError[^1] : double.PositiveInfinity);
        string modelPath = kit.PathOf("model.npz");
        models[best].Save(modelPath);
        double reloadedError = ClassicMlp.FromFile(modelPath).GetError(xTest, yTest);
        return new MlpMnistCsvResult(trainCsv, testCsv, trainImages.Count, testImages.Count, readSeconds, runs, best, reloadedError);
    }
}
