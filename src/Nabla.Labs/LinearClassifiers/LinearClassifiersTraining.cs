using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>A classification task of the linear-classifiers lab: three splits whose labels are MNIST digits, a
/// number of network outputs, the loss of outputs against the digit labels, and the prediction rule.</summary>
internal sealed record ClassifierTask(string Name, IDataset Train, IDataset Valid, IDataset Test, int Outputs,
    Func<Tensor, Tensor, Tensor> Loss, Func<Tensor, Tensor, int> Correct)
{
    /// <summary>Binary task "positive digit vs other digit": one score s per example, class 1 when s &gt; 0.
    /// Logistic regression: ℓ = BCE-with-logits(s, t), t = 1[digit = positive]; SVM: ℓ = max(0, 1 − t·s), t = ±1.</summary>
    public static ClassifierTask Binary(string name, IDataset train, IDataset valid, IDataset test, int positive, bool hinge) =>
        new(name, train, valid, test, 1,
            (s, digits) => hinge
                ? s.Reshape(-1).HingeLoss(Targets(digits, positive, -1))
                : s.Reshape(-1).BinaryCrossEntropyWithLogits(Targets(digits, positive, 0)),
            (s, digits) => Metrics.CorrectCount(s, Tensor.FromArray(Array.ConvertAll(digits.ToArray<int>(), d => d == positive ? 1 : 0))));

    /// <summary>Ten-class softmax regression: ℓ = −log softmax(z)_y, prediction argmax z.</summary>
    public static ClassifierTask Softmax(string name, IDataset train, IDataset valid, IDataset test) =>
        new(name, train, valid, test, 10, (z, y) => z.CrossEntropy(y), Metrics.CorrectCount);

    /// <summary>Float targets: 1 for the positive digit, <paramref name="negative"/> (0 or −1) otherwise.</summary>
    private static Tensor Targets(Tensor digits, int positive, float negative) =>
        Tensor.FromArray(Array.ConvertAll(digits.ToArray<int>(), d => d == positive ? 1f : negative), digits.Size(0));
}

/// <summary>How every model of the lab is trained: SGD with momentum and L2 weight decay on minibatches.</summary>
internal sealed record SgdSettings(double LearningRate, double Momentum, double WeightDecay, int BatchSize, int Epochs);

/// <summary>The history and final numbers of one trained model.</summary>
public sealed record ClassifierFit(string Task, int Hidden, List<double> TrainLoss, List<double> ValidLoss, List<double> ValidAccuracy,
    double TrainAccuracy, double TestAccuracy)
{
    public double ValidAccuracyFinal => ValidAccuracy[^1];

    /// <summary>"no hidden layer" or "one hidden layer of h ReLU units".</summary>
    public string ModelName => Hidden == 0 ? "linear" : $"hidden {Hidden}";
}

internal static class LinearClassifiersTraining
{
    /// <summary>Linear(784, outputs) when <paramref name="hidden"/> is 0, else Linear(784, h) → ReLU → Linear(h, outputs)
    /// (PyTorch's default initialisation U(±1/√fan_in)).</summary>
    public static Sequential Model(int inputs, int hidden, int outputs, Generator generator) => hidden == 0
        ? new Sequential(new Linear(inputs, outputs, generator: generator))
        : new Sequential(new Linear(inputs, hidden, generator: generator), new ReLU(), new Linear(hidden, outputs, generator: generator));

    /// <summary>Trains a fresh model on the task with the library's <see cref="Trainer"/>; records the mean training
    /// loss of each epoch (average over its minibatches) and, through a callback, the validation loss and accuracy after
    /// it (measured with the task's own prediction rule, which for the binary tasks is "score &gt; 0").</summary>
    public static ClassifierFit Fit(ClassifierTask task, int hidden, SgdSettings s, ulong seed, TextWriter log)
    {
        int inputs = task.Train.FeatureShape.ToArray().Aggregate(1, (a, b) => a * b);
        var model = Model(inputs, hidden, task.Outputs, new Generator(seed));
        var opt = new Sgd(model.Parameters(), new SgdOptions(s.LearningRate, s.Momentum, WeightDecay: s.WeightDecay));
        var loader = new DataLoader(task.Train, s.BatchSize, shuffle: true, seed: seed + 1);
        var r = new ClassifierFit(task.Name, hidden, [], [], [], 0, 0);
        var trainer = new Trainer(model, opt, task.Loss, new TrainerOptions(s.Epochs, seed));
        trainer.Callbacks.Add(new ValidationLog(task, model, r));
        var fit = trainer.Fit(loader.ForEpoch);
        if (fit.Diverged)
        {
            log.WriteLine($"  {task.Name} {r.ModelName}: {fit.StopReason}");
            for (int e = r.TrainLoss.Count; e < s.Epochs; e++) { r.TrainLoss.Add(double.NaN); r.ValidLoss.Add(double.NaN); r.ValidAccuracy.Add(double.NaN); }
        }
        var trainAcc = Evaluate(task, model, task.Train).Accuracy;
        var testAcc = Evaluate(task, model, task.Test).Accuracy;
        log.WriteLine($"  {task.Name,-8} {r.ModelName,-11} train loss {r.TrainLoss[^1]:F4}  train acc {trainAcc:P2}  valid acc {r.ValidAccuracyFinal:P2}  test acc {testAcc:P2}");
        return r with { TrainAccuracy = trainAcc, TestAccuracy = testAcc };
    }

    /// <summary>After each epoch: the epoch's mean training loss, then the validation loss and accuracy.</summary>
    private sealed class ValidationLog(ClassifierTask task, Module model, ClassifierFit fit) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord record)
        {
            var (vLoss, vAcc) = Evaluate(task, model, task.Valid);
            fit.TrainLoss.Add(record.TrainLoss);
            fit.ValidLoss.Add(vLoss);
            fit.ValidAccuracy.Add(vAcc);
            return true;
        }
    }

    /// <summary>Mean loss and accuracy over a dataset, in batches of 1000, without recording a graph.</summary>
    public static (double Loss, double Accuracy) Evaluate(ClassifierTask task, Module model, IDataset data)
    {
        using var _ = GradMode.NoGrad();
        double loss = 0;
        int correct = 0;
        foreach (var (x, y) in new DataLoader(data, 1000))
        {
            var z = model.Invoke(x);
            loss += task.Loss(z, y).Item() * y.Size(0);
            correct += task.Correct(z, y);
        }
        return (loss / data.Count, (double)correct / data.Count);
    }
}
