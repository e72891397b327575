using System.Diagnostics;
using Nabla.Course;
using Nabla.Data;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Settings of the mlp-mnist-csv lab (the quick ones shrink only the data and the epochs).</summary>
public sealed record MlpMnistCsvSettings
{
    [Setting("layer sizes: input, hidden…, classes", Min = 1, Max = 4096)] public int[] Sizes { get; init; } = [784, 512, 256, 10];
    [Setting("hidden activations compared, one network each (sigmoid, tanh, relu)")] public string[] Activations { get; init; } = ["sigmoid", "tanh", "relu"];
    [Setting("weight initialisation (normal, glorot, zeros)")] public string Init { get; init; } = "glorot";
    [Setting("SGD learning rate η", Min = 1e-6, Max = 10)] public double LearningRate { get; init; } = 0.1;
    [Setting("mini-batch size", Min = 1, Max = 60_000)] public int BatchSize { get; init; } = 64;
    [Setting("epochs per network", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("lines of the training CSV (the first images of the IDX training file; none = all 60,000)", Min = 2, Max = 60_000)] public int? TrainLines { get; init; }
    [Setting("lines of the test CSV (none = all 10,000)", Min = 1, Max = 10_000)] public int? TestLines { get; init; }
    [Setting("last training lines held out for validation", Min = 1, Max = 59_999)] public int ValidationLines { get; init; }
    [Setting("keep the CSV files in ~/.nabla/cache (shared by runs) instead of the report folder")] public bool SharedCsvCache { get; init; }
}

/// <summary>One activation's network: per-epoch losses and errors (train, validation), final test numbers, time.</summary>
public sealed record ActivationRun(string Activation, long Parameters, List<double> TrainLoss, List<double> ValidLoss,
    List<double> TrainError, List<double> ValidError, double TestLoss, double TestError, double Seconds);

public sealed record MlpMnistCsvResult(string TrainCsv, string TestCsv, int TrainLines, int TestLines, double ReadSeconds,
    IReadOnlyList<ActivationRun> Runs, int BestIndex, double ReloadedTestError)
{
    public ActivationRun Best => Runs[BestIndex];
}

/// <summary>
/// The homework MLP (<see cref="ClassicMlp"/>) trained on the CSV form of MNIST with sigmoid, tanh and ReLU hidden
/// units: CSV files made by the library's converter, read back, plain minibatch SGD, test error per activation,
/// curves, and the best network saved as model.npz (and loaded back to check it).
/// </summary>
public sealed partial class MlpMnistCsvLab : Lab<MlpMnistCsvSettings, MlpMnistCsvResult>
{
    public override string Name => "mlp-mnist-csv";

    public override string Description => "homework MLP (PyTorch-like ClassicMlp) on MNIST read from CSV: sigmoid vs tanh vs ReLU, model.npz";

    public override string Title => "MLP on MNIST from CSV files: sigmoid vs tanh vs ReLU";

    public override MlpMnistCsvSettings Quick => new() { Epochs = 2, TrainLines = 3000, TestLines = 1000, ValidationLines = 500 };

    public override MlpMnistCsvSettings Full => new() { Epochs = 10, ValidationLines = 10_000, SharedCsvCache = true };

    public override MlpMnistCsvResult Experiment(MlpMnistCsvSettings s, LabKit kit)
    {
        foreach (var a in s.Activations)
            if (!ClassicMlp.ActivationNames.Contains(a))
                throw new ArgumentException($"mlp-mnist-csv: unknown activation '{a}'; choose from {string.Join(", ", ClassicMlp.ActivationNames)}");
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

        // 2. One network per activation, same data order, same settings. The loop is the homework API itself
        // (ZeroGrads → GetLoss → Backward → Step(lr)), which is what this lab demonstrates, so it does not use Trainer.
        var runs = new List<ActivationRun>();
        var models = new List<ClassicMlp>();
        for (int k = 0; k < s.Activations.Length; k++)
        {
            string act = s.Activations[k];
            var model = new ClassicMlp(s.Sizes, act, s.Init, generator: new Generator(kit.Seed * 1000 + 17 + (ulong)k));
            var loader = new DataLoader(train, s.BatchSize, shuffle: true, seed: kit.Seed + 1);
            var r = new ActivationRun(act, model.ParameterCount(), [], [], [], [], 0, 0, 0);
            var runClock = Stopwatch.StartNew();
            for (int epoch = 0; epoch < s.Epochs; epoch++)
            {
                foreach (var (x, y) in loader.ForEpoch(epoch))
                {
                    model.ZeroGrads();
                    model.GetLoss(x, y);
                    model.Backward();
                    model.Step(s.LearningRate);
                }
                var (trL, trE) = model.Evaluate(xTrain, yTrain);
                var (vaL, vaE) = model.Evaluate(xValid, yValid);
                r.TrainLoss.Add(trL); r.TrainError.Add(trE); r.ValidLoss.Add(vaL); r.ValidError.Add(vaE);
                kit.Out.WriteLine($"  {act,-7} epoch {epoch + 1,2}: train loss {trL:F4} error {trE:P2} | valid loss {vaL:F4} error {vaE:P2}");
            }
            var (teL, teE) = model.Evaluate(xTest, yTest);
            runs.Add(r with { TestLoss = teL, TestError = teE, Seconds = runClock.Elapsed.TotalSeconds });
            models.Add(model);
        }

        // 3. The best activation by final validation error is saved and loaded back.
        int best = Enumerable.Range(0, runs.Count).MinBy(i => runs[i].ValidError[^1]);
        string modelPath = kit.PathOf("model.npz");
        models[best].Save(modelPath);
        double reloadedError = ClassicMlp.FromFile(modelPath).GetError(xTest, yTest);
        return new MlpMnistCsvResult(trainCsv, testCsv, trainImages.Count, testImages.Count, readSeconds, runs, best, reloadedError);
    }
}
