using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>The sizes and the shared training recipe of <c>cnn-vs-mlp</c>.</summary>
public sealed record CnnVsMlpSettings
{
    [Setting("MNIST training images used (the first ones)", Min = 1, Max = 50_000)] public int Train { get; init; }
    [Setting("validation images (standard 10k split)", Min = 1, Max = 10_000)] public int Valid { get; init; }
    [Setting("test images", Min = 1, Max = 10_000)] public int Test { get; init; }
    [Setting("epochs of each model", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("minibatch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; }
    [Setting("SGD learning rate (cosine decay over the epochs)", Min = 0)] public double LearningRate { get; init; }
    [Setting("Nesterov momentum", Min = 0, Max = 0.999)] public double Momentum { get; init; }
    [Setting("weight decay", Min = 0)] public double WeightDecay { get; init; }
    [Setting("dropout after the hidden layers", Min = 0, Max = 0.95)] public double Dropout { get; init; }
}

/// <summary>One model's run: parameter count, of which in convolutions, the error curves and the test error.</summary>
public sealed record CnnVsMlpRun(string Name, long Parameters, long ConvParameters, EpochCurves Curves, double TestError);

public sealed record CnnVsMlpResult(CnnVsMlpRun Mlp, CnnVsMlpRun Cnn, int TrainCount, int ValidCount, int TestCount);

/// <summary>
/// A CNN and an MLP with about the same number of parameters trained the same way on MNIST: the MLP is the
/// 784-1024-1024-10 ReLU network of <c>./nabla train mlp</c> (1,863,690 parameters), the CNN
/// conv5×5(32)-pool-conv5×5(64)-pool-Linear(3136, 576)-Linear(576, 10) (1,864,778). Training and validation error
/// per epoch of both in one figure, and a comparison table.
/// </summary>
public sealed partial class CnnVsMlpLab : Lab<CnnVsMlpSettings, CnnVsMlpResult>
{
    public override string Name => "cnn-vs-mlp";

    public override string Description => "CNN vs MLP with about the same parameter count on MNIST: error curves and comparison table";

    public override string Title => "CNN vs MLP with the same parameter budget on MNIST";

    public override CnnVsMlpSettings Quick => new()
    {
        Train = 1000, Valid = 500, Test = 500, Epochs = 1, BatchSize = 64, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-4, Dropout = 0.2,
    };

    public override CnnVsMlpSettings Full => Quick with { Train = 10_000, Valid = 10_000, Test = 10_000, Epochs = 10, BatchSize = 128 };

    /// <summary>The CNN of this lab: two 5×5 same-padded conv+ReLU+maxpool stages (32, 64 channels), a 576-unit hidden
    /// layer with dropout, 10 logits. 832 + 51,264 + 3,136·576 + 576 + 5,770 = 1,864,778 parameters.</summary>
    public static Sequential CreateCnn(double dropout, Generator? g) => new(
        new Conv2d(1, 32, 5, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 5, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(64 * 7 * 7, 576, generator: g), new ReLU(), new Dropout(dropout), new Linear(576, 10, generator: g));

    /// <summary>The MLP of <c>./nabla train mlp</c>: 784-1024-1024-10, ReLU, dropout after each hidden layer.</summary>
    public static Sequential CreateMlp(double dropout, Generator? g) =>
        Mlp.Create(new MlpOptions(Hidden: [1024, 1024], Dropout: dropout), g);

    public override CnnVsMlpResult Experiment(CnnVsMlpSettings s, LabKit kit)
    {
        kit.Out.WriteLine("loading MNIST");
        var d = CnnLabTraining.LoadMnist(kit, s.Train, s.Valid, s.Test);
        var runs = new List<CnnVsMlpRun>();
        foreach (var (name, make) in new (string, Func<Generator, Sequential>)[]
                 { ("MLP", g => CreateMlp(s.Dropout, g)), ("CNN", g => CreateCnn(s.Dropout, g)) })
        {
            // Same initial-weight seed and the same shuffling for both.
            var model = make(kit.Generator(11));
            var opt = new Sgd(model.Parameters(), new SgdOptions(s.LearningRate, s.Momentum, WeightDecay: s.WeightDecay, Nesterov: true));
            var sched = new CosineAnnealingLR(opt, s.Epochs);
            var loader = new DataLoader(d.TrainSet, s.BatchSize, shuffle: true, seed: kit.Seed + 5);
            var curves = CnnTraining.Fit(model, opt, sched, loader, s.Epochs, kit.Seed + 5, (d.XTrain, d.YTrain), (d.XValid, d.YValid), kit.Out, name);
            long conv = model.Layers.OfType<Conv2d>().Sum(c => c.Parameters().Sum(p => (long)p.Numel));
            runs.Add(new CnnVsMlpRun(name, model.ParameterCount(), conv, curves, CnnLabTraining.Error(model, d.XTest, d.YTest)));
        }
        return new CnnVsMlpResult(runs[0], runs[1], d.XTrain.Size(0), d.XValid.Size(0), d.XTest.Size(0));
    }
}
