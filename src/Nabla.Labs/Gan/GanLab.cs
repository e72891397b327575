using System.Diagnostics;
using System.Globalization;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Plots;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>Sizes of the gan lab.</summary>
public sealed record GanSettings
{
    [Setting("training images (the first of the 50k training part)", Min = 64, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("test images the judge classifier is scored on", Min = 1, Max = 10_000)] public int JudgeTestImages { get; init; }
    [Setting("GAN training epochs", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("mini-batch size (the short last batch is dropped)", Min = 1, Max = 50_000)] public int BatchSize { get; init; } = 64;
    [Setting("noise size of z", Min = 1, Max = 1024)] public int NoiseSize { get; init; } = 64;
    [Setting("generator hidden widths", Min = 1, Max = 4096)] public int[] GeneratorHidden { get; init; } = [];
    [Setting("discriminator hidden widths", Min = 1, Max = 4096)] public int[] DiscriminatorHidden { get; init; } = [];
    [Setting("dropout after each hidden layer of the discriminator", Min = 0, Max = 0.99)] public double DiscriminatorDropout { get; init; } = 0.3;
    [Setting("Adam learning rate of G and D", Min = 1e-7, Max = 1)] public double LearningRate { get; init; } = 2e-4;
    [Setting("Adam β1 of G and D", Min = 0, Max = 0.999)] public double Beta1 { get; init; } = 0.5;
    [Setting("epochs of the judge classifier (784–256–10 MLP, Adam)", Min = 1, Max = 100)] public int JudgeEpochs { get; init; }

    public GanOptions Model => new(NoiseSize, 784, GeneratorHidden, DiscriminatorHidden, DiscriminatorDropout: DiscriminatorDropout);
}

/// <summary>Per-epoch means of one GAN epoch and the judge's verdict on the fixed-noise samples after it.</summary>
public sealed record GanEpochRow(int Epoch, double LossD, double LossG, double RealScore, double FakeScore, double Confidence,
    int DistinctDigits, double Seconds);

public sealed record GanResult(int TrainCount, long GeneratorParameters, long DiscriminatorParameters, double JudgeError,
    IReadOnlyList<GanEpochRow> Rows, IReadOnlyList<double> StepLossD, IReadOnlyList<double> StepLossG, double WallSeconds);

/// <summary>
/// An MLP GAN (<see cref="Gan"/>) on MNIST: alternating discriminator / non-saturating generator steps with Adam
/// (lr 2e-4, β1 0.5), a fixed noise batch rendered after every epoch, loss and D-score curves, and an independent
/// MNIST classifier's verdict on the samples (how confidently it reads each sample as some digit).
/// </summary>
public sealed partial class GanLab : Lab<GanSettings, GanResult>
{
    public override string Name => "gan";

    public override string Description => "MLP GAN on MNIST (BCE-with-logits D, non-saturating G, Adam 2e-4/β1 0.5): samples per epoch";

    public override string Title => "Generative adversarial network (MLP) on MNIST";

    public override GanSettings Quick => new()
    {
        TrainImages = 2000, JudgeTestImages = 1000, Epochs = 2, GeneratorHidden = [128], DiscriminatorHidden = [128], JudgeEpochs = 1,
    };

    public override GanSettings Full => new()
    {
        TrainImages = 50_000, JudgeTestImages = 10_000, Epochs = 20, GeneratorHidden = [256, 512], DiscriminatorHidden = [512, 256], JudgeEpochs = 2,
    };

    public const int FixedSamples = 64;

    public override GanResult Experiment(GanSettings s, LabKit kit)
    {
        var clock = Stopwatch.StartNew();
        var data = kit.Mnist(s.TrainImages, 0, s.JudgeTestImages, MnistScaling.Unit, flatten: true);
        var (trainX01, trainY) = LabKit.ToTensors(data.Train);
        var (testX01, testY) = LabKit.ToTensors(data.Test);
        var trainX = trainX01 * 2.0 - 1.0;                      // data in [−1, 1], the range of G's tanh
        int n = trainX.Size(0);
        if (n < s.BatchSize) throw new ArgumentException($"gan: {n} training images are fewer than one batch of {s.BatchSize}");
        kit.Out.WriteLine($"gan: {n} training images, {s.Epochs} epochs");

        var (judge, judgeError) = TrainJudge(trainX, trainY, testX01 * 2.0 - 1.0, testY, s.JudgeEpochs, kit.Seed);
        kit.Out.WriteLine($"  judge classifier test error {judgeError:P2}");

        var gen = new Generator(kit.Seed * 7919 + 1);
        var gan = new Gan(s.Model, gen);
        var dOpt = GanTraining.CreateOptimizer(gan.Discriminator, s.LearningRate, s.Beta1);
        var gOpt = GanTraining.CreateOptimizer(gan.Generator, s.LearningRate, s.Beta1);
        var fixedNoise = gan.SampleNoise(FixedSamples, kit.Generator(12345));
        var rows = new List<GanEpochRow>();
        var stepLossD = new List<double>();
        var stepLossG = new List<double>();
        var trainClock = Stopwatch.StartNew();
        SaveSamples(kit, gan, fixedNoise, 0, judge);
        // A custom loop rather than Trainer: each step alternates a discriminator update and a generator update with
        // two optimisers (GanTraining.TrainStep); Trainer runs one model, one loss and one optimiser.
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            double sd = 0, sg = 0, sr = 0, sf = 0;
            int steps = 0;
            foreach (var idx in LabKit.BatchIndices(n, s.BatchSize, gen))
            {
                if (idx.Size(0) < s.BatchSize) continue;        // drop the short last batch
                var r = gan.TrainStep(trainX.IndexSelect(0, idx), dOpt, gOpt, gen);
                sd += r.DiscriminatorLoss; sg += r.GeneratorLoss; sr += r.RealScore; sf += r.FakeScore; steps++;
                stepLossD.Add(r.DiscriminatorLoss); stepLossG.Add(r.GeneratorLoss);
            }
            var (conf, distinct) = SaveSamples(kit, gan, fixedNoise, epoch, judge);
            var row = new GanEpochRow(epoch, sd / steps, sg / steps, sr / steps, sf / steps, conf, distinct, trainClock.Elapsed.TotalSeconds);
            rows.Add(row);
            kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {epoch,2}: L_D {row.LossD:F3} L_G {row.LossG:F3} D(x) {row.RealScore:F3} D(G(z)) {row.FakeScore:F3} judge conf {conf:F3} digits {distinct} ({row.Seconds:F0} s)"));
        }
        return new GanResult(n, gan.Generator.ParameterCount(), gan.Discriminator.ParameterCount(), judgeError, rows, stepLossD, stepLossG,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>A 784–256–10 ReLU MLP trained (Adam, batch 128) with <see cref="Trainer"/> on the same (real) images; it
    /// only judges samples, never trains G.</summary>
    private static (Module Model, double TestError) TrainJudge(Tensor x, Tensor y, Tensor testX, Tensor testY, int epochs, ulong seed)
    {
        var gen = new Generator(seed * 31 + 5);
        var model = Mlp.Create(new MlpOptions(784, [256], 10), gen);
        var opt = new Adam(model.Parameters(), new AdamOptions(1e-3));
        var trainer = new Trainer(model, opt, (logits, labels) => logits.CrossEntropy(labels), new TrainerOptions(epochs, seed));
        trainer.Fit(_ => LabKit.BatchIndices(x.Size(0), 128, gen).Select(idx => (x.IndexSelect(0, idx), y.IndexSelect(0, idx))));
        var test = trainer.Evaluate([(testX, testY)]);
        return (model, Math.Round((1 - test.Accuracy) * test.Samples) / test.Samples);   // misclassified / n, as a count ratio
    }

    /// <summary>Writes samples_epoch_XX.png for the fixed noise; returns the judge's mean max-softmax probability and the
    /// number of distinct digits it assigns (a collapsed generator covers few).</summary>
    private static (double Confidence, int Distinct) SaveSamples(LabKit kit, Gan gan, Tensor noise, int epoch, Module judge)
    {
        using var _ = GradMode.NoGrad();
        var fake = gan.Forward(noise);
        var probs = judge.Forward(fake).Softmax(1).ToArray<float>();
        var pred = Argmax(probs, 10);
        double confidence = Enumerable.Range(0, pred.Length).Average(i => probs[i * 10 + pred[i]]);
        var images = LabKit.Images((fake + 1.0) * 0.5);
        ImageGrid.SavePng(kit.PathOf($"samples_epoch_{epoch:D2}.png"), images, 1, 28, 28, new ImageGridOptions
        {
            Columns = 8, CellSize = 56, Scaling = ImageScaling.Clamp,
            Title = epoch == 0 ? "G(z) before training (fixed z)" : $"G(z) after epoch {epoch} (fixed z)",
            Captions = pred.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList(),
        });
        return (confidence, pred.Distinct().Count());
    }

    private static int[] Argmax(float[] rows, int classes) =>
        Enumerable.Range(0, rows.Length / classes).Select(r =>
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (rows[r * classes + c] > rows[r * classes + best]) best = c;
            return best;
        }).ToArray();
}
