using Nabla.Data;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>MNIST for the CNN labs: the first <c>trainCount</c> training images, the first <c>validCount</c> of
/// the standard 10k validation split (end of the training file), the first <c>testCount</c> test images, all
/// standardised, as [N, 1, 28, 28] tensors plus the training set for a shuffling loader.</summary>
public sealed record MnistSplitTensors(ImageDataset TrainSet, Tensor XTrain, Tensor YTrain, Tensor XValid, Tensor YValid, Tensor XTest, Tensor YTest);

/// <summary>Shared plumbing of the CNN labs: MNIST as tensors, error of a model on a tensor set, binomial noise,
/// percentages. (Training goes through <see cref="CnnTraining"/>.)</summary>
public static class CnnLabTraining
{
    public static MnistSplitTensors LoadMnist(LabKit kit, int trainCount, int validCount, int testCount)
    {
        var (train, valid, test) = kit.Mnist(trainCount, validCount, testCount);
        var (xTr, yTr) = LabKit.ToTensors(train);
        var (xVa, yVa) = LabKit.ToTensors(valid);
        var (xTe, yTe) = LabKit.ToTensors(test);
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

    /// <summary>Binomial standard error √(p(1 − p)/n) of a rate <paramref name="p"/> measured on <paramref name="n"/> items.</summary>
    public static double StandardError(double p, int n) => n <= 0 || double.IsNaN(p) ? double.NaN : Math.Sqrt(Math.Clamp(p, 0, 1) * (1 - Math.Clamp(p, 0, 1)) / n);

    /// <summary>Whether two rates measured on <paramref name="n1"/> and <paramref name="n2"/> items differ by more than two
    /// standard errors of their difference (with a floor of one item in the larger set, so two zero rates are not "different").</summary>
    public static bool ClearlyDifferent(double p1, int n1, double p2, int n2)
    {
        double se = Math.Sqrt(Math.Pow(StandardError(p1, n1), 2) + Math.Pow(StandardError(p2, n2), 2));
        return Math.Abs(p1 - p2) > Math.Max(2 * se, 1.0 / Math.Max(1, Math.Min(n1, n2)));
    }

    /// <summary>The most frequent off-diagonal cell of a confusion matrix (true, predicted, count); count 0 when there is no mistake.</summary>
    public static (int True, int Predicted, int Count) TopConfusion(int[,] cm)
    {
        int k = cm.GetLength(0);
        var best = (True: 0, Predicted: 0, Count: 0);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                if (i != j && cm[i, j] > best.Count) best = (i, j, cm[i, j]);
        return best;
    }

    /// <summary>"The most frequent confusion is …" or "No test image was misclassified", from <see cref="TopConfusion"/>.</summary>
    public static string ConfusionSentence((int True, int Predicted, int Count) top, IReadOnlyList<string> classNames, string what = "test image") =>
        top.Count == 0
            ? $"No {what} was misclassified."
            : $"The most frequent confusion is a true {classNames[top.True]} predicted as {classNames[top.Predicted]} ({top.Count} time{(top.Count == 1 ? "" : "s")}).";

    public static string Pct(double v) => double.IsNaN(v) ? "—" : $"{100 * v:F2} %";
}
