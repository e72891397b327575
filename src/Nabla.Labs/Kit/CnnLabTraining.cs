using System.Diagnostics;
using Nabla.Autograd;
using Nabla.Data;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>MNIST for the CNN labs: the first <c>trainCount</c> training images, the first <c>validCount</c> of
/// the standard 10k validation split (end of the training file), the first <c>testCount</c> test images, all
/// standardised, as [N, 1, 28, 28] tensors plus the training set for a shuffling loader.</summary>
public sealed record MnistSplitTensors(ImageDataset TrainSet, Tensor XTrain, Tensor YTrain, Tensor XValid, Tensor YValid, Tensor XTest, Tensor YTest);

/// <summary>One model's run: per-epoch mean training loss, training error and validation error, and the wall time.</summary>
public sealed record EpochCurves(List<double> TrainLoss, List<double> TrainError, List<double> ValidError, double Seconds);

/// <summary>Shared plumbing of the CNN labs: MNIST as tensors, a plain minibatch training loop with per-epoch errors.</summary>
public static class CnnLabTraining
{
    public static MnistSplitTensors LoadMnist(LabContext ctx, int trainCount, int validCount, int testCount)
    {
        var s = Mnist.Load("mnist", new MnistOptions { Root = ctx.DataRoot, ValidationCount = 10_000, Normalize = true });
        var train = s.Train.Slice(0, Math.Min(trainCount, s.Train.Count));
        var valid = s.Validation!.Slice(0, Math.Min(validCount, s.Validation.Count));
        var test = s.Test.Slice(0, Math.Min(testCount, s.Test.Count));
        var (xTr, yTr) = MlpMnistCsvData.ToTensors(train);
        var (xVa, yVa) = MlpMnistCsvData.ToTensors(valid);
        var (xTe, yTe) = MlpMnistCsvData.ToTensors(test);
        return new MnistSplitTensors(train, xTr, yTr, xVa, yVa, xTe, yTe);
    }

    /// <summary>Error (fraction misclassified) of <paramref name="model"/> in eval mode on (x, y), in batches.</summary>
    public static double Error(Module model, Tensor x, Tensor y, int batchSize = 1000)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            int n = x.Size(0), correct = 0;
            for (int s = 0; s < n; s += batchSize)
            {
                int len = Math.Min(batchSize, n - s);
                correct += Metrics.CorrectCount(model.Invoke(x.Narrow(0, s, len)), y.Narrow(0, s, len));
            }
            return n == 0 ? double.NaN : 1.0 - (double)correct / n;
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>
    /// Minibatch training with cross-entropy: each epoch reshuffles the training set (seeded), steps the optimiser
    /// per batch and the scheduler per epoch, then measures training and validation error in eval mode.
    /// </summary>
    public static EpochCurves Train(Module model, Optimizer opt, LRScheduler? scheduler, MnistSplitTensors d, int epochs, int batchSize,
        ulong seed, TextWriter log, string name)
    {
        var loader = new DataLoader(d.TrainSet, batchSize, shuffle: true, seed: seed);
        var curves = new EpochCurves([], [], [], 0);
        var clock = Stopwatch.StartNew();
        model.Train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double lossSum = 0;
            int count = 0;
            foreach (var (x, y) in loader.ForEpoch(epoch))
            {
                opt.ZeroGrad();
                var loss = model.Invoke(x).CrossEntropy(y);
                loss.Backward();
                opt.Step();
                lossSum += loss.Item() * x.Size(0);
                count += x.Size(0);
            }
            scheduler?.Step();
            curves.TrainLoss.Add(lossSum / Math.Max(1, count));
            curves.TrainError.Add(Error(model, d.XTrain, d.YTrain));
            curves.ValidError.Add(Error(model, d.XValid, d.YValid));
            log.WriteLine($"  {name} epoch {epoch + 1,2}: loss {curves.TrainLoss[^1]:F4}, train error {curves.TrainError[^1]:P2}, " +
                          $"valid error {curves.ValidError[^1]:P2} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        return curves with { Seconds = clock.Elapsed.TotalSeconds };
    }

    public static string Pct(double v) => double.IsNaN(v) ? "—" : $"{100 * v:F2} %";
}
