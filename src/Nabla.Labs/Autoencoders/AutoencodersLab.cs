using System.Diagnostics;
using System.Globalization;
using Nabla.Models;
using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>Sizes and regularisation strengths of the autoencoders lab.</summary>
public sealed record AutoencodersSettings
{
    [Setting("training images (the first of the 50k training part)", Min = 1, Max = 50_000)] public int TrainImages { get; init; }
    [Setting("test images (the first of the test file)", Min = 10, Max = 10_000)] public int TestImages { get; init; }
    [Setting("epochs per model", Min = 1, Max = 1000)] public int Epochs { get; init; }
    [Setting("mini-batch size", Min = 1, Max = 50_000)] public int BatchSize { get; init; }
    [Setting("Adam learning rate", Min = 1e-7, Max = 1)] public double LearningRate { get; init; } = 1e-3;
    [Setting("code size of the undercomplete model", Min = 1, Max = 783)] public int UnderCode { get; init; } = 32;
    [Setting("code size of the overcomplete models", Min = 785, Max = 10_000)] public int OverCode { get; init; } = 1000;
    [Setting("λ of the sparse penalty λ·Σ|h|", Min = 0, Max = 100)] public double SparseWeight { get; init; } = 0.05;
    [Setting("λ of the contractive penalty λ·‖∂h/∂x‖²", Min = 0, Max = 100)] public double ContractiveWeight { get; init; } = 0.1;
    [Setting("fraction of pixels zeroed for the denoising model (and the corrupted test set)", Min = 0, Max = 0.99)] public double Corruption { get; init; } = 0.3;
}

/// <summary>One variant: a short key (file names, results.json), a label and the model options.</summary>
public sealed record AutoencoderVariant(string Key, string Label, AutoencoderOptions Options);

/// <summary>Test-set figures of one trained variant (per-image sums, averaged over images) and its per-epoch objective.</summary>
public sealed record AutoencoderRun(AutoencoderVariant Variant, List<double> TrainLoss, double TestError, double CorruptedError,
    double MeanCode, double NearZero, double Jacobian, double Seconds);

public sealed record AutoencodersResult(int TrainCount, int TestCount, IReadOnlyList<AutoencoderRun> Runs, double WallSeconds)
{
    public AutoencoderRun this[string key] => Runs.Single(r => r.Variant.Key == key);
}

/// <summary>
/// Autoencoder variants on MNIST (<see cref="Autoencoder"/>): undercomplete (code 32), overcomplete (code 1000)
/// plain, sparse (λ·Σ|h|), denoising (30 % masking noise) and contractive (λ·‖∂h/∂x‖_F²), all with a sigmoid encoder
/// and a linear decoder trained by Adam on Σ(x̃ − x)². Reports reconstruction error (clean and corrupted inputs), code
/// statistics and the Jacobian norm per variant, with reconstructions, codes and encoder filters plotted.
/// </summary>
public sealed partial class AutoencodersLab : Lab<AutoencodersSettings, AutoencodersResult>
{
    public override string Name => "autoencoders";

    public override string Description => "under/overcomplete, sparse, denoising and contractive autoencoders on MNIST: reconstructions, codes, errors";

    public override string Title => "Autoencoders on MNIST: undercomplete, overcomplete, sparse, denoising, contractive";

    public override AutoencodersSettings Quick => new() { TrainImages = 1000, TestImages = 500, Epochs = 2, BatchSize = 64 };

    public override AutoencodersSettings Full => new() { TrainImages = 20_000, TestImages = 10_000, Epochs = 6, BatchSize = 128 };

    /// <summary>The variants' keys, in report order.</summary>
    public static readonly string[] Keys = ["under", "over", "sparse", "denoising", "contractive"];

    public static IReadOnlyList<AutoencoderVariant> Variants(AutoencodersSettings s) =>
    [
        new("under", $"undercomplete ({s.UnderCode})", new AutoencoderOptions(784, s.UnderCode)),
        new("over", $"overcomplete ({s.OverCode})", new AutoencoderOptions(784, s.OverCode)),
        new("sparse", $"sparse ({s.OverCode}, λ = {s.SparseWeight})", new AutoencoderOptions(784, s.OverCode, AutoencoderKind.Sparse, Weight: s.SparseWeight)),
        new("denoising", $"denoising ({s.OverCode}, p = {s.Corruption})", new AutoencoderOptions(784, s.OverCode, AutoencoderKind.Denoising, Corruption: s.Corruption)),
        new("contractive", $"contractive ({s.OverCode}, λ = {s.ContractiveWeight})", new AutoencoderOptions(784, s.OverCode, AutoencoderKind.Contractive, Weight: s.ContractiveWeight)),
    ];

    public override AutoencodersResult Experiment(AutoencodersSettings s, LabKit kit)
    {
        var total = Stopwatch.StartNew();
        var data = kit.Mnist(s.TrainImages, 0, s.TestImages, MnistScaling.Unit, flatten: true);
        var trainX = LabKit.ToTensors(data.Train).X;
        var (testX, testY) = LabKit.ToTensors(data.Test);
        kit.Out.WriteLine($"autoencoders: {trainX.Size(0)} training, {testX.Size(0)} test images, {s.Epochs} epochs");
        // One fixed corruption of the test set (same mask for every variant).
        var corruptedTest = Autoencoder.Corrupt(testX, s.Corruption, kit.Generator(99));
        var runs = new List<AutoencoderRun>();
        var models = new List<Autoencoder>();
        var variants = Variants(s);
        for (int v = 0; v < variants.Count; v++)
        {
            var (run, model) = Train(variants[v], trainX, testX, corruptedTest, s, kit.Seed * 1000 + 31 + (ulong)v, kit.Out);
            runs.Add(run);
            models.Add(model);
            kit.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {run.Variant.Label,-28} test Σ(x̃−x)² {run.TestError:F2} | from corrupted {run.CorruptedError:F2} | mean h {run.MeanCode:F3} | h<0.05 {run.NearZero:P0} | ‖J‖² {run.Jacobian:F1} ({run.Seconds:F0} s)"));
        }
        DrawModels(kit, s, variants, models, testX, corruptedTest, testY);   // figures that need the trained models
        return new AutoencodersResult(trainX.Size(0), testX.Size(0), runs, total.Elapsed.TotalSeconds);
    }

    /// <summary>Adam on the variant's objective. A custom loop rather than <see cref="Training.Trainer"/>: the objective
    /// is not a function of (output, target) — it needs the code h for the penalties and a fresh corruption of the input
    /// per batch (<see cref="Autoencoder.Loss"/>) — and minibatches are drawn from one in-memory tensor.</summary>
    private static (AutoencoderRun Run, Autoencoder Model) Train(AutoencoderVariant variant, Tensor trainX, Tensor testX, Tensor corruptedTest,
        AutoencodersSettings s, ulong seed, TextWriter log)
    {
        var gen = new Generator(seed);
        var model = new Autoencoder(variant.Options, generator: gen);
        var opt = new Adam(model.Parameters(), new AdamOptions(s.LearningRate));
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < s.Epochs; epoch++)
        {
            model.Train();
            double sum = 0;
            int batches = 0;
            foreach (var idx in LabKit.BatchIndices(trainX.Size(0), s.BatchSize, gen))
            {
                opt.ZeroGrad();
                var loss = model.Loss(trainX.IndexSelect(0, idx), gen);
                loss.Total.Backward();
                opt.Step();
                sum += loss.Total.Item();
                batches++;
            }
            losses.Add(sum / batches);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {variant.Key} epoch {epoch + 1}: training objective {sum / batches:F3}"));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        model.Eval();
        using var _ = GradMode.NoGrad();
        int n = testX.Size(0);
        double testError = ((model.Forward(testX) - testX).Square().Sum() / n).Item();
        double corruptedError = ((model.Forward(corruptedTest) - testX).Square().Sum() / n).Item();
        var h = model.Encode(testX);
        var codes = h.ToArray<float>();
        double meanCode = codes.Average(c => (double)c);
        double nearZero = codes.Count(c => c < 0.05f) / (double)codes.Length;
        double jacobian = Autoencoder.ContractivePenalty(h, model.Encoder.Weight).Mean().Item();
        return (new AutoencoderRun(variant, losses, testError, corruptedError, meanCode, nearZero, jacobian, seconds), model);
    }
}
