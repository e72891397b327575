using System.Diagnostics;
using System.Globalization;
using Nabla.Autograd;
using Nabla.Models;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>
/// Autoencoder variants on MNIST (<see cref="Autoencoder"/>): undercomplete (code 32), overcomplete (code 1000)
/// plain, sparse (λ·Σ|h|), denoising (30 % masking noise) and contractive (λ·‖∂h/∂x‖_F²), all with a sigmoid encoder
/// and a linear decoder trained by Adam on Σ(x̃ − x)². Reports reconstruction error (clean and corrupted inputs), code
/// statistics and the Jacobian norm per variant, with reconstructions, codes and encoder filters plotted.
/// </summary>
public sealed partial class AutoencodersLab : ILab
{
    public string Name => "autoencoders";
    public string Description => "under/overcomplete, sparse, denoising and contractive autoencoders on MNIST: reconstructions, codes, errors";

    private sealed record Settings(int? Train, int? Test, int Epochs, int BatchSize, double LearningRate);

    /// <summary>One variant: a short key (file names), a label and the model options.</summary>
    public sealed record Variant(string Key, string Label, AutoencoderOptions Options);

    public const int OverCode = 1000, UnderCode = 32;
    public const double SparseWeight = 0.05, ContractiveWeight = 0.1, Corruption = 0.3;

    public static IReadOnlyList<Variant> Variants { get; } =
    [
        new("under", $"undercomplete ({UnderCode})", new AutoencoderOptions(784, UnderCode)),
        new("over", $"overcomplete ({OverCode})", new AutoencoderOptions(784, OverCode)),
        new("sparse", $"sparse ({OverCode}, λ = {SparseWeight})", new AutoencoderOptions(784, OverCode, AutoencoderKind.Sparse, Weight: SparseWeight)),
        new("denoising", $"denoising ({OverCode}, p = {Corruption})", new AutoencoderOptions(784, OverCode, AutoencoderKind.Denoising, Corruption: Corruption)),
        new("contractive", $"contractive ({OverCode}, λ = {ContractiveWeight})", new AutoencoderOptions(784, OverCode, AutoencoderKind.Contractive, Weight: ContractiveWeight)),
    ];

    /// <summary>Test-set figures of one trained variant (per-image sums, averaged over images).</summary>
    public sealed record Result(Variant Variant, Autoencoder Model, List<double> TrainLoss, double TestError, double CorruptedError,
        double MeanCode, double NearZero, double Jacobian, double Seconds);

    public LabResult Run(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        var s = ctx.Quick ? new Settings(1000, 500, 2, 64, 1e-3) : new Settings(20_000, null, 6, 128, 1e-3);
        var total = Stopwatch.StartNew();
        var (trainX, _, testX, testY) = MnistTensors.Load(ctx, s.Train, s.Test);
        ctx.Out.WriteLine($"autoencoders: {trainX.Size(0)} training, {testX.Size(0)} test images, {s.Epochs} epochs");
        // One fixed corruption of the test set (same mask for every variant).
        var corruptedTest = Autoencoder.Corrupt(testX, Corruption, new Generator(ctx.Seed + 99));
        var results = new List<Result>();
        for (int v = 0; v < Variants.Count; v++)
        {
            var variant = Variants[v];
            var r = Train(variant, trainX, testX, corruptedTest, s, ctx.Seed * 1000 + 31 + (ulong)v, ctx.Out);
            results.Add(r);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {variant.Label,-28} test Σ(x̃−x)² {r.TestError:F2} | from corrupted {r.CorruptedError:F2} | mean h {r.MeanCode:F3} | h<0.05 {r.NearZero:P0} | ‖J‖² {r.Jacobian:F1} ({r.Seconds:F0} s)"));
        }
        Plot(ctx, results, testX, corruptedTest, testY);
        var report = Write(ctx, s, trainX.Size(0), testX.Size(0), results, total.Elapsed.TotalSeconds);
        return report.Save(ctx);
    }

    private static Result Train(Variant variant, Tensor trainX, Tensor testX, Tensor corruptedTest, Settings s, ulong seed, TextWriter log)
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
            foreach (var idx in MnistTensors.BatchIndices(trainX.Size(0), s.BatchSize, gen))
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
        return new Result(variant, model, losses, testError, corruptedError, meanCode, nearZero, jacobian, seconds);
    }
}
