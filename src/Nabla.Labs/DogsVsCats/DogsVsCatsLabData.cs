using System.Diagnostics;
using Nabla.Data;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Optim;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// The three splits of the Dogs vs Cats lab as decoded pixels: <see cref="Train"/> (fit), <see cref="Holdout"/>
/// (the last files of each training class, monitored each epoch) and <see cref="Validation"/> (the given
/// validation folder, reported once at the end). Mean/Std are per-channel statistics of <see cref="Train"/>.
/// </summary>
public sealed record DogsVsCatsLabSplits(LabeledImages Train, LabeledImages Holdout, LabeledImages Validation,
    IReadOnlyList<string> Classes, float[] Mean, float[] Std, string Directory)
{
    /// <summary>Standardised [N, 3, s, s] tensors and labels of <paramref name="images"/> (no augmentation).</summary>
    public (Tensor X, Tensor Y) Normalized(LabeledImages images) => MlpMnistCsvData.ToTensors(new ImageDataset(images, Mean, Std));

    /// <summary>[0, 1] pixels (for galleries).</summary>
    public Tensor Raw(LabeledImages images) => MlpMnistCsvData.ToTensors(new ImageDataset(images)).X;
}

/// <summary>One run: per-epoch training loss, training-set error (augmented batches, train mode), hold-out error
/// and the epoch (1-based) whose hold-out error was lowest (latest on ties).</summary>
public sealed record DogsVsCatsCurves(List<double> TrainLoss, List<double> TrainError, List<double> HoldoutError, int BestEpoch, double Seconds);

public static class DogsVsCatsLabData
{
    /// <summary>
    /// Reads <c>train/&lt;class&gt;</c> and <c>validation/&lt;class&gt;</c> of the dogs-vs-cats folder, files in ordinal
    /// name order, resized to size × size. Per class: the first <paramref name="trainPerClass"/> training files fit,
    /// the next <paramref name="holdoutPerClass"/> form the hold-out; the first <paramref name="validPerClass"/>
    /// validation files (all when ≤ 0) are the final test.
    /// </summary>
    public static DogsVsCatsLabSplits Load(string? root, int size, int trainPerClass, int holdoutPerClass, int validPerClass)
    {
        var spec = DatasetSpec.DogsVsCats;
        string dir = DataRoot.Locate(spec, root); // throws DatasetNotFoundException naming where it looked
        var classes = System.IO.Directory.EnumerateDirectories(Path.Combine(dir, "train")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        List<string>[] Files(string split) => classes.Select(c => System.IO.Directory.EnumerateFiles(Path.Combine(dir, split, c!))
            .Where(ImageDecoder.IsImageName).Order(StringComparer.Ordinal).ToList()).ToArray();
        var train = Files("train");
        var valid = Files("validation");
        LabeledImages Read(List<string>[] perClass, int skip, int take)
        {
            var picked = perClass.SelectMany((files, label) => files.Skip(skip).Take(take <= 0 ? int.MaxValue : take).Select(f => (f, label))).ToList();
            var paths = picked.Select(p => p.f).ToArray();
            var (pixels, h, w) = ImageDecoder.DecodeAll(paths.Length, i => File.ReadAllBytes(paths[i]), paths, 3, (size, size));
            return new LabeledImages(pixels, picked.Select(p => (byte)p.label).ToArray(), h, w, 3);
        }
        var fit = Read(train, 0, trainPerClass);
        var holdout = Read(train, trainPerClass, holdoutPerClass);
        var validation = Read(valid, 0, validPerClass);
        var (mean, std) = ImageStatistics.ChannelMeanStd(fit);
        return new DogsVsCatsLabSplits(fit, holdout, validation, classes!, mean, std, dir);
    }

    /// <summary>torchvision-style augmentation on [0, 1] pixels, then standardisation: random resized crop (scale
    /// 0.6–1 of the area, aspect 3/4–4/3, resized back to s × s), horizontal flip, light colour jitter, Normalize.</summary>
    public static SampleTransform Augmentation(float[] mean, float[] std) => Transforms.Compose(
        Transforms.RandomResizedCrop(0.6, 1.0),
        Transforms.HorizontalFlip(),
        Transforms.ColorJitter(0.2f, 0.2f, 0.2f),
        Transforms.Normalize(mean, std));

    /// <summary>
    /// Minibatch cross-entropy training on augmented batches; after each epoch the hold-out error (eval mode) is
    /// measured; with <paramref name="keepBest"/> the model ends with the weights of the best hold-out epoch, otherwise
    /// with the last epoch's.
    /// </summary>
    public static DogsVsCatsCurves Train(Module model, Optimizer opt, LRScheduler? scheduler, DogsVsCatsLabSplits d,
        int epochs, int batchSize, ulong seed, TextWriter log, bool keepBest = false)
    {
        var loader = new DataLoader(new ImageDataset(d.Train), batchSize, shuffle: true, seed: seed, transform: Augmentation(d.Mean, d.Std));
        var (xHold, yHold) = d.Normalized(d.Holdout);
        var curves = new DogsVsCatsCurves([], [], [], 0, 0);
        Dictionary<string, Tensor>? best = null;
        double bestError = double.PositiveInfinity;
        int bestEpoch = 0;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.Train();
            double lossSum = 0;
            int count = 0, correct = 0;
            foreach (var (x, y) in loader.ForEpoch(epoch))
            {
                opt.ZeroGrad();
                var logits = model.Invoke(x);
                var loss = logits.CrossEntropy(y);
                lossSum += loss.Item() * x.Size(0);
                correct += Metrics.CorrectCount(logits, y);   // before backward: it recycles the logits' storage
                count += x.Size(0);
                loss.Backward(freeIntermediates: true);
                opt.Step();
            }
            scheduler?.Step();
            curves.TrainLoss.Add(lossSum / Math.Max(1, count));
            curves.TrainError.Add(1.0 - (double)correct / Math.Max(1, count));
            double holdErr = CnnLabTraining.Error(model, xHold, yHold, 200);
            curves.HoldoutError.Add(holdErr);
            // "<=" keeps the latest of tied epochs (more training at a lower learning rate); the copy is a snapshot (StateDict returns the live tensors).
            if (holdErr <= bestError)
            {
                bestError = holdErr;
                bestEpoch = epoch + 1;
                best = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach().Clone());
            }
            log.WriteLine($"  epoch {epoch + 1,2}: loss {curves.TrainLoss[^1]:F4}, train error (augmented) {curves.TrainError[^1]:P1}, " +
                          $"hold-out error {holdErr:P1} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        if (keepBest && best is not null) model.LoadStateDict(best);
        return curves with { BestEpoch = bestEpoch, Seconds = clock.Elapsed.TotalSeconds };
    }
}
