using System.Diagnostics;
using System.Globalization;
using Nabla.Autograd;
using Nabla.Models;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Plots;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// An MLP GAN (<see cref="Gan"/>) on MNIST: alternating discriminator / non-saturating generator steps with Adam
/// (lr 2e-4, β1 0.5), a fixed noise batch rendered after every epoch, loss and D-score curves, and an independent
/// MNIST classifier's verdict on the samples (how confidently it reads each sample as some digit).
/// </summary>
public sealed partial class GanLab : ILab
{
    public string Name => "gan";
    public string Description => "MLP GAN on MNIST (BCE-with-logits D, non-saturating G, Adam 2e-4/β1 0.5): samples per epoch";

    private sealed record Settings(int? Train, int Epochs, int BatchSize, GanOptions Model, int ClassifierEpochs);

    private sealed record EpochRow(int Epoch, double LossD, double LossG, double RealScore, double FakeScore, double Confidence,
        int DistinctDigits, double Seconds);

    public const int FixedSamples = 64;

    public LabResult Run(LabContext ctx)
    {
        Directory.CreateDirectory(ctx.OutDir);
        var s = ctx.Quick
            ? new Settings(2000, 2, 64, new GanOptions(64, 784, [128], [128]), 1)
            : new Settings(null, 20, 64, new GanOptions(64, 784, [256, 512], [512, 256]), 2);
        var clock = Stopwatch.StartNew();
        var (trainX01, trainY, testX01, testY) = MnistTensors.Load(ctx, s.Train, ctx.Quick ? 1000 : null);
        var trainX = trainX01 * 2.0 - 1.0;                      // data in [−1, 1], the range of G's tanh
        int n = trainX.Size(0);
        ctx.Out.WriteLine($"gan: {n} training images, {s.Epochs} epochs");

        var (judge, judgeError) = TrainJudge(trainX, trainY, testX01 * 2.0 - 1.0, testY, s.ClassifierEpochs, ctx.Seed);
        ctx.Out.WriteLine($"  judge classifier test error {judgeError:P2}");

        var gen = new Generator(ctx.Seed * 7919 + 1);
        var gan = new Gan(s.Model, gen);
        var dOpt = GanTraining.CreateOptimizer(gan.Discriminator);
        var gOpt = GanTraining.CreateOptimizer(gan.Generator);
        var fixedNoise = gan.SampleNoise(FixedSamples, new Generator(ctx.Seed + 12345));
        var rows = new List<EpochRow>();
        var stepLossD = new List<double>();
        var stepLossG = new List<double>();
        var trainClock = Stopwatch.StartNew();
        SaveSamples(ctx, gan, fixedNoise, 0, judge, out _, out _);
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            double sd = 0, sg = 0, sr = 0, sf = 0;
            int steps = 0;
            foreach (var idx in MnistTensors.BatchIndices(n, s.BatchSize, gen))
            {
                if (idx.Size(0) < s.BatchSize) continue;        // drop the short last batch
                var r = gan.TrainStep(trainX.IndexSelect(0, idx), dOpt, gOpt, gen);
                sd += r.DiscriminatorLoss; sg += r.GeneratorLoss; sr += r.RealScore; sf += r.FakeScore; steps++;
                stepLossD.Add(r.DiscriminatorLoss); stepLossG.Add(r.GeneratorLoss);
            }
            SaveSamples(ctx, gan, fixedNoise, epoch, judge, out double conf, out int distinct);
            var row = new EpochRow(epoch, sd / steps, sg / steps, sr / steps, sf / steps, conf, distinct, trainClock.Elapsed.TotalSeconds);
            rows.Add(row);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {epoch,2}: L_D {row.LossD:F3} L_G {row.LossG:F3} D(x) {row.RealScore:F3} D(G(z)) {row.FakeScore:F3} judge conf {conf:F3} digits {distinct} ({row.Seconds:F0} s)"));
        }
        Plot(ctx, rows, stepLossD, stepLossG);
        var report = Write(ctx, s, n, gan, rows, judgeError, clock.Elapsed.TotalSeconds);
        return report.Save(ctx);
    }

    /// <summary>A 784–256–10 ReLU MLP trained on the same (real) images; it only judges samples, never trains G.</summary>
    private static (Module Model, double TestError) TrainJudge(Tensor x, Tensor y, Tensor testX, Tensor testY, int epochs, ulong seed)
    {
        var gen = new Generator(seed * 31 + 5);
        var model = Mlp.Create(new MlpOptions(784, [256], 10), gen);
        var opt = new Adam(model.Parameters(), new AdamOptions(1e-3));
        for (int e = 0; e < epochs; e++)
            foreach (var idx in MnistTensors.BatchIndices(x.Size(0), 128, gen))
            {
                opt.ZeroGrad();
                model.Forward(x.IndexSelect(0, idx)).CrossEntropy(y.IndexSelect(0, idx)).Backward();
                opt.Step();
            }
        model.Eval();
        using var _ = GradMode.NoGrad();
        var pred = Argmax(model.Forward(testX).ToArray<float>(), 10);
        var labels = testY.ToArray<int>();
        return (model, pred.Zip(labels).Count(p => p.First != p.Second) / (double)labels.Length);
    }

    /// <summary>Writes samples_epoch_XX.png for the fixed noise; the judge's mean max-softmax probability and the number
    /// of distinct digits it assigns (a collapsed generator covers few).</summary>
    private static void SaveSamples(LabContext ctx, Gan gan, Tensor noise, int epoch, Module judge, out double confidence, out int distinct)
    {
        using var _ = GradMode.NoGrad();
        var fake = gan.Forward(noise);
        var probs = judge.Forward(fake).Softmax(1).ToArray<float>();
        var pred = Argmax(probs, 10);
        confidence = Enumerable.Range(0, pred.Length).Average(i => probs[i * 10 + pred[i]]);
        distinct = pred.Distinct().Count();
        var images = MnistTensors.Images((fake + 1.0) * 0.5);
        ImageGrid.SavePng(ctx.PathOf($"samples_epoch_{epoch:D2}.png"), images, 1, 28, 28, new ImageGridOptions
        {
            Columns = 8, CellSize = 56, Scaling = ImageScaling.Clamp,
            Title = epoch == 0 ? "G(z) before training (fixed z)" : $"G(z) after epoch {epoch} (fixed z)",
            Captions = pred.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList(),
        });
    }

    private static int[] Argmax(float[] rows, int classes) =>
        Enumerable.Range(0, rows.Length / classes).Select(r =>
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (rows[r * classes + c] > rows[r * classes + best]) best = c;
            return best;
        }).ToArray();

    private static void Plot(LabContext ctx, List<EpochRow> rows, List<double> stepD, List<double> stepG)
    {
        var epochs = rows.Select(r => (double)r.Epoch).ToList();
        new LineChart { Title = "GAN losses (mean per epoch)", XLabel = "epoch", YLabel = "loss", IntegerXTicks = true }
            .Add("L_D = −log D(x) − log(1 − D(G(z)))", epochs, rows.Select(r => r.LossD).ToList())
            .Add("L_G = −log D(G(z))", epochs, rows.Select(r => r.LossG).ToList())
            .SavePng(ctx.PathOf("losses.png"));
        new LineChart { Title = "Discriminator outputs (mean per epoch)", XLabel = "epoch", YLabel = "D", IntegerXTicks = true }
            .Add("D(x), real", epochs, rows.Select(r => r.RealScore).ToList())
            .Add("D(G(z)), fake", epochs, rows.Select(r => r.FakeScore).ToList())
            .Add("judge confidence on G(z_fixed)", epochs, rows.Select(r => r.Confidence).ToList())
            .SavePng(ctx.PathOf("scores.png"));
        // Per-step losses smoothed over 50 steps.
        static List<double> Smooth(List<double> v) => v.Select((_, i) => v.Skip(Math.Max(0, i - 49)).Take(Math.Min(50, i + 1)).Average()).ToList();
        new LineChart { Title = "GAN losses per step (moving average of 50)", XLabel = "step", YLabel = "loss", Markers = false }
            .Add("L_D", Smooth(stepD)).Add("L_G", Smooth(stepG))
            .SavePng(ctx.PathOf("losses_per_step.png"));
    }
}
