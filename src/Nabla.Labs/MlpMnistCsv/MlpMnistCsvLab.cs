using System.Diagnostics;
using Nabla.Data;
using Nabla.Plots;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// The homework MLP (<see cref="ClassicMlp"/>) trained on the CSV form of MNIST with sigmoid, tanh and ReLU hidden
/// units: CSV files made by the library's converter, read back, plain minibatch SGD, test error per activation,
/// curves, and the best network saved as model.npz (and loaded back to check it).
/// </summary>
public sealed class MlpMnistCsvLab : ILab
{
    public string Name => "mlp-mnist-csv";

    public string Description => "homework MLP (PyTorch-like ClassicMlp) on MNIST read from CSV: sigmoid vs tanh vs ReLU, model.npz";

    /// <summary>Settings of one run (the quick ones shrink only the data and the epochs).</summary>
    private sealed record Settings(int[] Sizes, string Init, double LearningRate, int BatchSize, int Epochs, int? TrainLines, int? TestLines, int Validation);

    private sealed record ActivationRun(string Activation, ClassicMlp Model, List<double> TrainLoss, List<double> ValidLoss,
        List<double> TrainError, List<double> ValidError, double TestLoss, double TestError, double Seconds);

    public LabResult Run(LabContext ctx)
    {
        var s = ctx.Quick
            ? new Settings([784, 512, 256, 10], "glorot", 0.1, 64, 2, 3000, 1000, 500)
            : new Settings([784, 512, 256, 10], "glorot", 0.1, 64, 10, null, null, 10_000);
        var report = new LabReport(Name, "MLP on MNIST from CSV files: sigmoid vs tanh vs ReLU");

        // 1. CSV files from the IDX files, then read back with the CSV reader.
        ctx.Out.WriteLine("preparing the CSV files");
        string csvDir = MlpMnistCsvData.CsvFolder(ctx);
        var (trainCsv, testCsv) = MlpMnistCsvData.Prepare(ctx, csvDir, s.TrainLines, s.TestLines);
        var clock = Stopwatch.StartNew();
        var trainImages = MnistCsv.Read(trainCsv);
        var testImages = MnistCsv.Read(testCsv);
        double readSeconds = clock.Elapsed.TotalSeconds;
        ctx.Out.WriteLine($"  read {trainImages.Count} + {testImages.Count} lines in {readSeconds:F1} s");

        // Features x = pixel/255 ∈ [0, 1] (the homework's scaling); the last lines of the training file validate.
        var all = new ImageDataset(trainImages, flatten: true);
        int nTrain = all.Count - s.Validation;
        var train = all.Slice(0, nTrain);
        var (xTrain, yTrain) = MlpMnistCsvData.ToTensors(train);
        var (xValid, yValid) = MlpMnistCsvData.ToTensors(all.Slice(nTrain, s.Validation));
        var (xTest, yTest) = MlpMnistCsvData.ToTensors(new ImageDataset(testImages, flatten: true));

        // 2. One network per activation, same data order, same settings.
        var runs = new List<ActivationRun>();
        for (int k = 0; k < ClassicMlp.ActivationNames.Length; k++)
        {
            string act = ClassicMlp.ActivationNames[k];
            var model = new ClassicMlp(s.Sizes, act, s.Init, generator: new Generator(ctx.Seed * 1000 + 17 + (ulong)k));
            var loader = new DataLoader(train, s.BatchSize, shuffle: true, seed: ctx.Seed + 1);
            var r = new ActivationRun(act, model, [], [], [], [], 0, 0, 0);
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
                ctx.Out.WriteLine($"  {act,-7} epoch {epoch + 1,2}: train loss {trL:F4} error {trE:P2} | valid loss {vaL:F4} error {vaE:P2}");
            }
            var (teL, teE) = model.Evaluate(xTest, yTest);
            runs.Add(r with { TestLoss = teL, TestError = teE, Seconds = runClock.Elapsed.TotalSeconds });
        }

        // 3. The best activation by final validation error is saved and loaded back.
        var best = runs.MinBy(r => r.ValidError[^1])!;
        string modelPath = ctx.PathOf("model.npz");
        best.Model.Save(modelPath);
        var reloaded = ClassicMlp.FromFile(modelPath);
        double reloadedError = reloaded.GetError(xTest, yTest);

        Plot(ctx, runs);
        Write(report, ctx, s, runs, best, reloadedError, trainCsv, testCsv, trainImages.Count, testImages.Count, readSeconds);
        return report.Save(ctx);
    }

    private static void Plot(LabContext ctx, List<ActivationRun> runs)
    {
        var loss = new LineChart { Title = "Cross-entropy per epoch", XLabel = "epoch", YLabel = "loss", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        var error = new LineChart { Title = "Error per epoch", XLabel = "epoch", YLabel = "error (fraction misclassified)", LogY = true, IntegerXTicks = true, LegendAlignment = ScottPlot.Alignment.LowerLeft };
        foreach (var r in runs)
        {
            loss.Add($"{r.Activation} train", r.TrainLoss).Add($"{r.Activation} valid", r.ValidLoss);
            error.Add($"{r.Activation} train", r.TrainError).Add($"{r.Activation} valid", r.ValidError);
        }
        loss.SavePng(ctx.PathOf("loss.png"));
        error.SavePng(ctx.PathOf("error.png"));
    }

    private void Write(LabReport report, LabContext ctx, Settings s, List<ActivationRun> runs, ActivationRun best, double reloadedError,
        string trainCsv, string testCsv, int trainLines, int testLines, double readSeconds)
    {
        long parameters = best.Model.ParameterCount();
        report.Paragraph($"""
            The homework's multilayer perceptron, written as a library class with a PyTorch-like API
            (`Nabla.Training.ClassicMlp`: `Forward`, `GetLoss` (softmax cross-entropy), `Backward`, `Step(lr)`,
            `ZeroGrads`, `GetError`, `Save`/`FromFile` as .npz). Its gradients come from Nabla's autograd, not from a
            second hand-written backpropagation. Architecture {string.Join("–", s.Sizes)} ({parameters:N0} parameters),
            hidden activation sigmoid, tanh or ReLU, logits → softmax cross-entropy.
            """);
        report.Heading("Data: MNIST as CSV");
        report.Paragraph($"""
            The CSV files were produced from the IDX files with the library's converter (the code path of
            `nabla data convert --from idx --to csv`: `Mnist.ReadSplit` then `MnistCsv.Write`; one line per image, the
            label then 784 pixel values 0–255) and read back with `MnistCsv.Read`: {trainLines:N0} training lines from
            `{trainCsv}` and {testLines:N0} test lines from `{testCsv}` (read in {readSeconds:F1} s).
            {(ctx.Quick ? "Quick mode: only the first lines of each split." : "")} Features are pixel/255 ∈ [0, 1]; the last
            {s.Validation:N0} training lines are the validation set, the other {trainLines - s.Validation:N0} train the network.
            """);
        report.Heading("Settings");
        report.Table(["setting", "value"],
        [
            ["layer sizes", string.Join(", ", s.Sizes)],
            ["initialisation", "Glorot uniform W ~ U(±√(6/(fan_in + fan_out))), biases 0"],
            ["optimiser", $"plain minibatch SGD θ ← θ − η·∇θ, η = {s.LearningRate}, no momentum, no weight decay"],
            ["batch size / epochs", $"{s.BatchSize} / {s.Epochs} (examples reshuffled every epoch, same order for every activation)"],
            ["loss", "mean softmax cross-entropy"],
        ]);
        report.Heading("Results");
        report.Table(["activation", "train loss", "train error", "valid error", "test loss", "test error", "time (s)"],
            runs.Select(r => (IReadOnlyList<object>)[r.Activation, r.TrainLoss[^1], Pct(r.TrainError[^1]), Pct(r.ValidError[^1]), r.TestLoss, Pct(r.TestError), Math.Round(r.Seconds, 1)]));
        report.Figure("loss.png", "Cross-entropy on the training and validation sets after each epoch (log scale)");
        report.Figure("error.png", "Fraction misclassified on the training and validation sets after each epoch (log scale)");
        report.Paragraph($"""
            The best network by final validation error uses **{best.Activation}** (test error {best.TestError:P2}). It was
            saved as `model.npz` (arrays fc1.weight, fc1.bias, ..., plus layer_sizes and activation) and rebuilt with
            `ClassicMlp.FromFile`: the reloaded network's test error is {reloadedError:P2}
            ({(reloadedError == best.TestError ? "identical" : "DIFFERENT — a bug")}).
            """);
        report.Heading("Discussion");
        report.Paragraph(Discussion(ctx.Quick, runs, best));
        foreach (var r in runs) report.Metric($"test_error_{r.Activation}", r.TestError);
        report.Metric("best_test_error", best.TestError);
        report.Metric("reloaded_test_error", reloadedError);
        report.Metric("csv_train_lines", trainLines);
        report.Metric("csv_test_lines", testLines);
    }

    /// <summary>What the table and curves show, worded from the numbers of this run.</summary>
    private static string Discussion(bool quick, List<ActivationRun> runs, ActivationRun best)
    {
        var text = new List<string> { $"Ranking by test error: {string.Join(" < ", runs.OrderBy(r => r.TestError).Select(r => $"{r.Activation} ({Pct(r.TestError)})"))}." };
        var worst = runs.MaxBy(r => r.TestError)!;
        if (worst.Activation == "sigmoid")
            text.Add("With the same learning rate and initialisation the sigmoid network lags: every sigmoid layer multiplies the " +
                     "back-propagated gradient by σ′ ≤ 1/4, and its outputs (all positive, around 0.5) are not centred, which " +
                     "slows plain SGD further; tanh (derivative up to 1, centred outputs) and ReLU (derivative 1 on active units) do not have " +
                     "these problems.");
        if (worst.TrainLoss.Count >= 2 && worst.TrainLoss[^1] < worst.TrainLoss[^2])
            text.Add($"The {worst.Activation} network's training loss is still falling at the last epoch: it is under-trained rather than " +
                     "limited in capacity, and a larger learning rate or more epochs would narrow the gap.");
        double gap = best.ValidError[^1] - best.TrainError[^1];
        text.Add($"The best ({best.Activation}) network reaches {Pct(best.TrainError[^1])} training error against {Pct(best.ValidError[^1])} on " +
                 $"validation: a generalisation gap of {100 * gap:F2} points, with no regularisation at all (no weight decay, dropout or early stopping).");
        int mid = best.TrainLoss.Count / 2;
        if (mid >= 1)
        {
            double trainRatio = best.TrainLoss[^1] / best.TrainLoss[mid - 1], validRatio = best.ValidLoss[^1] / best.ValidLoss[mid - 1];
            text.Add($"Over the second half of training its training loss went from {best.TrainLoss[mid - 1]:F4} to {best.TrainLoss[^1]:F4} " +
                     $"(×{trainRatio:F2}) and its validation loss from {best.ValidLoss[mid - 1]:F4} to {best.ValidLoss[^1]:F4} (×{validRatio:F2})" +
                     (validRatio > trainRatio
                         ? ": the validation loss falls much more slowly, so longer training would mostly widen the gap."
                         : "."));
        }
        if (quick) text.Add("These are quick-mode numbers (a few thousand examples, two epochs): they only show that the code path works.");
        return string.Join(" ", text);
    }

    private static string Pct(double v) => $"{100 * v:F2} %";
}
