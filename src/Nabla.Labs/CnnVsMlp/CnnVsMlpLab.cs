using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

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

/// <summary>One model's run: parameter count, of which in convolutions, multiply-adds of one image's forward pass, the
/// error curves and the test error.</summary>
public sealed record CnnVsMlpRun(string Name, long Parameters, long ConvParameters, long MultiplyAdds, EpochCurves Curves, double TestError);

public sealed record CnnVsMlpResult(CnnVsMlpRun Mlp, CnnVsMlpRun Cnn, int TrainCount, int ValidCount, int TestCount);

/// <summary>
/// IFT6135 Problem 2: a CNN and an MLP with about the same number of parameters trained the same way on MNIST's 50,000
/// training images for 10 epochs. The MLP is Problem 1's (784-512-512-10, ReLU: 669,706 parameters, the network
/// <c>mlp-init</c> builds), the CNN conv5×5(16)-pool-conv5×5(32)-pool-Linear(1568, 416)-Linear(416, 10) (670,122, within
/// 0.1 %). Training and validation error after every epoch of both in one figure, and a comparison table.
/// </summary>
public sealed partial class CnnVsMlpLab : Lab<CnnVsMlpSettings, CnnVsMlpResult>
{
    public override string Name => "cnn-vs-mlp";

    public override string Description => "CNN vs Problem 1's MLP (784-512-512-10) with about the same parameter count on MNIST's 50k training images: error curves and comparison table";

    public override string Title => "CNN vs MLP with the same parameter budget on MNIST";

    public override CnnVsMlpSettings Quick => new()
    {
        Train = 1000, Valid = 500, Test = 500, Epochs = 1, BatchSize = 64, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-4, Dropout = 0.2,
    };

    public override CnnVsMlpSettings Full => Quick with { Train = 50_000, Valid = 10_000, Test = 10_000, Epochs = 10, BatchSize = 128 };

    /// <summary>Channels of the CNN's two convolutions.</summary>
    public const int Conv1Channels = 16, Conv2Channels = 32;

    /// <summary>Features the CNN's linear layers see: the second convolution's channels on the 7×7 map left by two 2×2 poolings.</summary>
    public const int Flattened = Conv2Channels * 7 * 7;

    /// <summary>Width of the CNN's hidden linear layer: the one that brings its parameter count closest to the MLP's.</summary>
    public const int CnnHidden = 416;

    /// <summary>The CNN of this lab: two 5×5 same-padded conv+ReLU+maxpool stages (16, 32 channels), a 416-unit hidden
    /// layer with dropout, 10 logits. 416 + 12,832 + (1,568·416 + 416) + (416·10 + 10) = 670,122 parameters. (Twice the
    /// channels, 32 and 64, with a 196-unit hidden layer has as many parameters but three times the multiply-adds: a
    /// full run would not fit in a quarter of an hour on the shared 2-core machine.)</summary>
    public static Sequential CreateCnn(double dropout, Generator? g) => new(
        new Conv2d(1, Conv1Channels, 5, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(Conv1Channels, Conv2Channels, 5, padding: 2, generator: g), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(Flattened, CnnHidden, generator: g), new ReLU(), new Dropout(dropout), new Linear(CnnHidden, 10, generator: g));

    /// <summary>Problem 1's MLP as <c>mlp-init</c> builds it: 784-512-512-10, ReLU (here with dropout after each hidden
    /// layer, the recipe both models share).</summary>
    public static Sequential CreateMlp(double dropout, Generator? g) =>
        Mlp.Create(new MlpOptions(Hidden: [512, 512], Dropout: dropout), g);

    /// <summary>Multiply-adds of one forward pass of an image of shape <paramref name="input"/> ([C, H, W]) through the
    /// convolutions (H_out·W_out·C_out·C_in·k_h·k_w each) and linear layers (in·out each); activations, pooling and biases
    /// are not counted.</summary>
    public static long MultiplyAdds(Sequential model, int[] input)
    {
        using var _ = Nabla.GradMode.NoGrad();
        var x = Tensor.Zeros([1, .. input]);
        long macs = 0;
        foreach (var layer in model.Layers)
        {
            var y = layer.Invoke(x);
            macs += layer switch
            {
                Conv2d c => (long)y.Size(2) * y.Size(3) * c.OutChannels * c.InChannels * c.KernelSize.H * c.KernelSize.W,
                Linear l => (long)l.InFeatures * l.OutFeatures,
                _ => 0,
            };
            x = y;
        }
        return macs;
    }

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
            runs.Add(new CnnVsMlpRun(name, model.ParameterCount(), conv, MultiplyAdds(model, [1, 28, 28]), curves, CnnLabTraining.Error(model, d.XTest, d.YTest)));
        }
        return new CnnVsMlpResult(runs[0], runs[1], d.XTrain.Size(0), d.XValid.Size(0), d.XTest.Size(0));
    }
}
