using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>Workbook Q1a, one fit: what the network outputs and how it was scored. Regression: a real ŷ per point, MSE on
/// the class index, prediction round(ŷ) clipped to the classes. Classification: a probability vector per point (softmax),
/// cross-entropy, prediction argmax. <see cref="Probe"/> is the output at the probe point (regression: [ŷ]; classification:
/// the K probabilities), <see cref="ProbeClass"/> the class predicted there.</summary>
public sealed record TaskFit(string Task, int Outputs, double FinalLoss, double TrainAccuracy, double TestAccuracy, double TestMse,
    double MinOutput, double MaxOutput, double NearIntegerFraction, double MaxSumError, double[] Probe, int ProbeClass);

/// <summary>Workbook Q1a: the same data, the same hidden layer (same initial weights), fitted as regression and as
/// classification.</summary>
public sealed record RegressionVsClassificationCheck(int TrainPoints, int TestPoints, int Hidden, int Steps, double LearningRate,
    double[][] Centres, double[] ProbePoint, TaskFit Regression, TaskFit Classification);

/// <summary>
/// Workbook Q1a (regression vs classification) by experiment: three Gaussian blobs in the plane labelled 0, 1, 2, where
/// blobs 0 and 2 touch and blob 1 lies far from both. A 2-H-1 tanh network with a linear output fitted by MSE to the class
/// index (regression) and a 2-H-3 network with softmax and cross-entropy (classification), both by full-batch Adam from the
/// same hidden weights, for the same number of steps. The probe point lies midway between blobs 0 and 2.
/// </summary>
public static class RegressionVsClassification
{
    /// <summary>Blob centres of classes 0, 1, 2 (0 and 2 adjacent, 1 far away) and their standard deviation.</summary>
    public static readonly double[][] Centres = [[-1, 0], [0, 3], [1, 0]];

    public const double Spread = 0.45;

    /// <summary>The point midway between the centres of classes 0 and 2.</summary>
    public static readonly double[] ProbePoint = [0, 0];

    /// <summary><paramref name="perClass"/> points per class, class-major: X [3·n, 2] float64, labels [3·n].</summary>
    public static (Tensor X, int[] Y) Blobs(int perClass, Generator gen)
    {
        var noise = Tensor.Randn([3 * perClass, 2], 0, Spread, DType.Float64, gen).ToDoubleArray();
        var x = new double[noise.Length];
        var y = new int[3 * perClass];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = i / perClass;
            x[2 * i] = Centres[y[i]][0] + noise[2 * i];
            x[2 * i + 1] = Centres[y[i]][1] + noise[2 * i + 1];
        }
        return (Tensor.FromArray(x, y.Length, 2), y);
    }

    /// <summary>round(ŷ) clipped to [0, classes − 1].</summary>
    public static int RoundToClass(double yHat, int classes) => (int)Math.Clamp(Math.Round(yHat, MidpointRounding.AwayFromZero), 0, classes - 1);

    public static RegressionVsClassificationCheck Run(int perClass, int hidden, int steps, double lr, Generator gen, ulong initSeed)
    {
        var (xTrain, yTrain) = Blobs(perClass, gen);
        var (xTest, yTest) = Blobs(perClass, gen);
        var reg = Fit(regression: true, xTrain, yTrain, xTest, yTest, hidden, steps, lr, initSeed);
        var cls = Fit(regression: false, xTrain, yTrain, xTest, yTest, hidden, steps, lr, initSeed);
        return new RegressionVsClassificationCheck(yTrain.Length, yTest.Length, hidden, steps, lr, Centres, ProbePoint, reg, cls);
    }

    private static TaskFit Fit(bool regression, Tensor xTrain, int[] yTrain, Tensor xTest, int[] yTest, int hidden, int steps, double lr, ulong initSeed)
    {
        int outputs = regression ? 1 : 3;
        var first = new Linear(2, hidden, dtype: DType.Float64, generator: new Generator(initSeed));     // the same in both fits
        var model = new Sequential(first, new Tanh(), new Linear(hidden, outputs, dtype: DType.Float64, generator: new Generator(initSeed + 1)));
        var opt = new Adam(model.Parameters(), new AdamOptions(LearningRate: lr));
        var labels = Tensor.FromArray(yTrain, yTrain.Length);
        var target = Tensor.FromArray(yTrain.Select(v => (double)v).ToArray(), yTrain.Length, 1);
        Tensor Loss(Tensor output) => regression ? output.MseLoss(target) : output.CrossEntropy(labels);
        double last = double.NaN;
        for (int t = 0; t < steps; t++)
        {
            opt.ZeroGrad();
            var loss = Loss(model.Invoke(xTrain));
            last = loss.Item();
            loss.Backward();
            opt.Step();
        }
        using var _ = GradMode.NoGrad();
        last = Loss(model.Invoke(xTrain)).Item();
        double[] Out(Tensor x) { var o = model.Invoke(x); return (regression ? o : o.Softmax(1)).ToDoubleArray(); }
        int Predict(double[] o, int row) => regression ? RoundToClass(o[row], 3) : ArgMax(o, row * 3, 3);
        var train = Out(xTrain);
        var test = Out(xTest);
        double acc(double[] o, int[] y) => Enumerable.Range(0, y.Length).Count(i => Predict(o, i) == y[i]) / (double)y.Length;
        // Test MSE against the class index: for classification, of the expected index Σ_c c·p_c (the regression's reading).
        double mse = Enumerable.Range(0, yTest.Length).Average(i =>
        {
            double e = regression ? test[i] : test[3 * i + 1] + 2 * test[3 * i + 2];
            return (e - yTest[i]) * (e - yTest[i]);
        });
        double nearInt = regression ? test.Count(v => Math.Abs(v - Math.Round(v)) <= 0.1) / (double)test.Length : double.NaN;
        double sumErr = regression ? double.NaN : Enumerable.Range(0, yTest.Length).Max(i => Math.Abs(test[3 * i] + test[3 * i + 1] + test[3 * i + 2] - 1));
        var probe = Out(Tensor.FromArray(ProbePoint, 1, 2));
        return new TaskFit(regression ? "regression" : "classification", outputs, last, acc(train, yTrain), acc(test, yTest), mse,
            test.Min(), test.Max(), nearInt, sumErr, probe, Predict(probe, 0));
    }

    private static int ArgMax(double[] v, int start, int count)
    {
        int best = 0;
        for (int j = 1; j < count; j++) if (v[start + j] > v[start + best]) best = j;
        return best;
    }

    /// <summary>What the probe shows, chosen by the numbers: regression averaging the labels 0 and 2 into class 1, the one
    /// class whose points are far away, while classification splits its probability between 0 and 2.</summary>
    public static string ProbeSays(TaskFit reg, TaskFit cls)
    {
        string F(double v) => LabReport.Format(v);
        string p = $"p = ({string.Join(", ", cls.Probe.Select(F))})";
        if (reg.ProbeClass == 1 && cls.ProbeClass != 1 && cls.Probe[1] < 0.1)
            return $"Midway between blobs 0 and 2 the regression network outputs ŷ = {F(reg.Probe[0])}, which rounds to class 1 — the class whose points " +
                   $"are farthest away: MSE on the class index treats the labels as numbers, so between a 0 and a 2 the best number is their mean. " +
                   $"The classifier outputs {p}: it splits its belief between 0 and 2, gives class 1 almost nothing, and predicts class {cls.ProbeClass}.";
        return $"Midway between blobs 0 and 2 the regression network outputs ŷ = {F(reg.Probe[0])} (class {reg.ProbeClass}) and the classifier {p} " +
               $"(class {cls.ProbeClass}); here the regression's averaging of the labels does not produce the far class 1.";
    }
}
