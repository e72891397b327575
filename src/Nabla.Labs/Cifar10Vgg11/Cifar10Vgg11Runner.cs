using System.Text.Json;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>The lab's images twice: standardised with the training split's statistics, and only scaled to [0, 1]
/// (the "no preprocessing" row). Both views share the pixel bytes.</summary>
internal sealed record VggLabData(Cifar10Subsets Subsets, ImageDataset RawTrain, ImageDataset RawValid, ImageDataset RawTest)
{
    public static VggLabData From(Cifar10Subsets c)
    {
        static ImageDataset Raw(ImageDataset d) => new ImageDataset(d.Images).Slice(d.Start, d.Count);
        return new VggLabData(c, Raw(c.Train), Raw(c.Valid), Raw(c.Test));
    }

    public ImageDataset Train(VggLabPreprocessing p) => p == VggLabPreprocessing.None ? RawTrain : Subsets.Train;

    public ImageDataset Valid(VggLabPreprocessing p) => p == VggLabPreprocessing.None ? RawValid : Subsets.Valid;

    public ImageDataset Test(VggLabPreprocessing p) => p == VggLabPreprocessing.None ? RawTest : Subsets.Test;
}

/// <summary>
/// Trains the lab's runs through the library's <see cref="Trainer"/> and keeps each trained model. Each run lives in
/// <c>runs/KEY/</c> of the output folder: a checkpoint after every epoch (an interrupted run resumes from it), and
/// when finished the weights (<c>model.npz</c>) and history (<c>run.json</c>, with the spec's fingerprint). A later
/// invocation with the same output folder reuses a finished run whose fingerprint matches and retrains any other.
/// Every run starts from the same seed, so runs of one architecture start from the same weights.
/// </summary>
internal sealed class VggLabRunner(LabKit kit, VggLabData data)
{
    private readonly Dictionary<VggLabRun, Sequential> _models = new(ReferenceEqualityComparer.Instance);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record Saved(string Fingerprint, List<EpochRecord> History, double Seconds);

    /// <summary>The trained model of <paramref name="run"/>.</summary>
    public Sequential Model(VggLabRun run) => _models[run];

    public static Sequential CreateModel(VggLabRunSpec spec, Generator g) =>
        spec.Wide ? Vgg.Vgg11(generator: g) : Vgg.Vgg11Narrow(activation: spec.Activation, generator: g);

    public VggLabRun Run(string key, VggLabFactor? factor, string? level, VggLabRunSpec spec)
    {
        string dir = kit.PathOf(Path.Combine("runs", key));
        string fingerprint = spec.Fingerprint(data.Subsets.Train.Count, data.Subsets.Valid.Count, kit.Seed);
        string done = Path.Combine(dir, "run.json"), weights = Path.Combine(dir, "model.npz"), checkpoint = Path.Combine(dir, "checkpoint.npz");
        var model = CreateModel(spec, kit.Generator(5));
        long parameters = model.ParameterCount();
        if (File.Exists(done) && File.Exists(weights))
        {
            var saved = JsonSerializer.Deserialize<Saved>(BoundedText.ReadAllText(done), Json);
            if (saved is not null && saved.Fingerprint == fingerprint)
            {
                model.LoadStateDict(Npz.Load(weights));
                var reused = new VggLabRun(key, factor, level, spec, saved.History, parameters, saved.Seconds, true);
                _models[reused] = model;
                kit.Out.WriteLine($"  {key}: reused from {dir} (valid {reused.ValidAccuracy:P2})");
                return reused;
            }
        }
        // An interrupted run of this very spec (spec.txt holds its fingerprint, no run.json yet) keeps its folder, so
        // the checkpoint below resumes it; another spec's run, or a stale one, is removed.
        string specFile = Path.Combine(dir, "spec.txt");
        bool interrupted = !File.Exists(done) && File.Exists(checkpoint) && File.Exists(specFile)
            && BoundedText.ReadAllText(specFile).Trim() == fingerprint;
        if (!interrupted)
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            Directory.CreateDirectory(dir);
            File.WriteAllText(specFile, fingerprint + Environment.NewLine);
        }

        var augment = spec.Preprocessing == VggLabPreprocessing.Augment
            ? Transforms.Compose(Transforms.RandomCrop(32, padding: 4), Transforms.HorizontalFlip())
            : null;
        var trainLoader = new DataLoader(data.Train(spec.Preprocessing), spec.BatchSize, shuffle: true, seed: kit.Seed + 11, transform: augment);
        var validLoader = new DataLoader(data.Valid(spec.Preprocessing), 250);
        Optimizer opt = spec.Optimizer == VggLabOptimizer.Adam
            ? new Adam(model.Parameters(), new AdamOptions(spec.Lr, WeightDecay: spec.WeightDecay))
            : new Sgd(model.Parameters(), new SgdOptions(spec.Lr, spec.Momentum, WeightDecay: spec.WeightDecay, Nesterov: spec.Nesterov));
        LRScheduler? sched = spec.Schedule switch
        {
            VggLabSchedule.Step => new StepLR(opt, StepEpoch(spec.Epochs), 0.1),
            VggLabSchedule.OneCycle => new OneCycleLR(opt, spec.PeakLr, spec.Epochs * trainLoader.BatchCount),
            _ => null,
        };
        var trainer = new Trainer(model, opt, (o, y) => o.CrossEntropy(y),
            new TrainerOptions(Epochs: spec.Epochs, Seed: kit.Seed, CheckpointPath: checkpoint,
                SchedulerStepPerBatch: spec.Schedule == VggLabSchedule.OneCycle, FreeIntermediates: true), sched);
        if (File.Exists(checkpoint))
        {
            trainer.Resume(checkpoint);
            kit.Out.WriteLine($"  {key}: resumed from {checkpoint} after {trainer.EpochsDone} epochs");
        }
        trainer.Callbacks.Add(new EpochLog(kit.Out, key, spec.Epochs));
        var fit = trainer.Fit(trainLoader.ForEpoch, validLoader.Batches);
        kit.Out.WriteLine($"  {key}: {fit.StopReason}");
        var history = trainer.History.ToList();
        double seconds = history.Sum(e => e.Seconds);
        Npz.Save(weights, model.StateDict());
        File.WriteAllText(done, JsonSerializer.Serialize(new Saved(fingerprint, history, seconds), Json));
        var run = new VggLabRun(key, factor, level, spec, history, parameters, seconds, false);
        _models[run] = model;
        return run;
    }

    /// <summary>The epoch count after which the step strategy multiplies the rate by 0.1: ⌈2E/3⌉ (at least 1).</summary>
    public static int StepEpoch(int epochs) => Math.Max(1, (2 * epochs + 2) / 3);

    /// <summary>One pass over the test images (preprocessed as the run was) — the only place the lab reads them.</summary>
    public VggLabTested Test(VggLabRun run, string what, string? confusionFigure = null)
    {
        var (x, y) = LabKit.ToTensors(data.Test(run.Spec.Preprocessing));
        var p = Visualize.Predict(_models[run], x, y, batchSize: 250);
        double acc = 1 - p.Error;
        kit.Out.WriteLine($"  test accuracy of {what} ({run.Key}): {acc:P2} on {p.Count:N0} images");
        if (confusionFigure is not null)
            Visualize.ConfusionMatrix(kit.PathOf(confusionFigure), p, $"Test confusion matrix of {what} (accuracy {acc:P2})", data.Subsets.Data.ClassNames);
        return new VggLabTested(run, acc, CnnLabTraining.TopConfusion(p.ConfusionMatrix()));
    }

    private sealed class EpochLog(TextWriter log, string key, int epochs) : ITrainerCallback
    {
        public bool OnEpochEnd(EpochRecord r)
        {
            log.WriteLine($"  {key} epoch {r.Epoch,2}/{epochs}: train loss {r.TrainLoss:F4} acc {r.TrainAccuracy:P2}, valid loss {r.ValidationLoss:F4} " +
                          $"acc {r.ValidationAccuracy:P2}, lr₀ {r.LearningRate:G3}, {r.Seconds:F0} s ({r.SamplesPerSecond:F0} img/s)");
            return true;
        }
    }
}
