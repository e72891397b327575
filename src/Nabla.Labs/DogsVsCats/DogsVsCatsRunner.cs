using System.Diagnostics;
using System.Text.Json;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// Trains one compared setting of <c>dogs-vs-cats</c> through <see cref="Trainer"/> (Adam, cosine decay, the shared
/// recipe) and measures, after every epoch: the hold-out loss and error (eval mode, the trainer's validation), the
/// fit-set loss and error re-evaluated in eval mode without augmentation, and the running mean of the epoch's
/// (augmented, train-mode) batches. With <see cref="DogsVsCatsSettings.Reuse"/> a run whose signature matches the one
/// saved in <c>runs/KEY.json</c> is read back with its model (<c>runs/KEY.npz</c>) instead of trained again.
/// </summary>
public sealed class DogsVsCatsRunner(LabKit kit, DogsVsCatsSettings settings)
{
    private sealed record Saved(string Signature, long Parameters, double[] FitLoss, double[] FitError, double[] RunningLoss, double[] RunningError,
        double[] HoldoutLoss, double[] HoldoutError, float[] HoldoutProbabilities, double Seconds);

    /// <summary>The run of <paramref name="spec"/> on <paramref name="data"/> and its trained model.</summary>
    public (DogsVsCatsRun Run, Sequential Model) Run(DogsVsCatsSpec spec, DogsVsCatsLabSplits data)
    {
        var model = DogsVsCatsCnn.Create(spec.Options, kit.Generator(11));
        string signature = spec.Signature(settings, kit.Seed);
        string json = kit.PathOf(Path.Combine("runs", spec.Key + ".json")), npz = kit.PathOf(Path.Combine("runs", spec.Key + ".npz"));
        if (settings.Reuse && File.Exists(json) && File.Exists(npz))
        {
            var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllText(json));
            if (saved is not null && saved.Signature == signature)
            {
                model.LoadStateDict(Nabla.IO.Npz.Load(npz));
                kit.Out.WriteLine($"  {spec.Key}: reused from {json} (hold-out accuracy {1 - saved.HoldoutError[^1]:P2})");
                return (new DogsVsCatsRun(spec, saved.Parameters, saved.FitLoss, saved.FitError, saved.RunningLoss, saved.RunningError,
                    saved.HoldoutLoss, saved.HoldoutError, saved.HoldoutProbabilities, saved.Seconds, true), model);
            }
            kit.Out.WriteLine($"  {spec.Key}: {json} was made with another recipe; training again");
        }

        var clock = Stopwatch.StartNew();
        var opt = new Adam(model.Parameters(), new AdamOptions(settings.LearningRate, WeightDecay: settings.WeightDecay));
        var sched = new CosineAnnealingLR(opt, settings.Epochs);
        var transform = spec.Augment ? DogsVsCatsLabData.Augmentation(data.Mean, data.Std) : Transforms.Normalize(data.Mean, data.Std);
        var loader = new DataLoader(new ImageDataset(data.Train), settings.BatchSize, shuffle: true, seed: kit.Seed + 5, transform: transform);
        var fit = data.Normalized(data.Train);
        var hold = data.Normalized(data.Holdout);
        var trainer = new Trainer(model, opt, (o, y) => o.CrossEntropy(y),
            new TrainerOptions(Epochs: settings.Epochs, Seed: kit.Seed + 5, FreeIntermediates: true), sched);
        var curves = new Curves(trainer, fit, kit.Out, spec.Key, clock);
        trainer.Callbacks.Add(curves);
        var result = trainer.Fit(loader.ForEpoch, () => Batches(hold, 200));
        if (result.Diverged) throw new NablaException($"dogs-vs-cats, setting '{spec.Key}': {result.StopReason}");
        var h = result.History;
        var probs = Visualize.Predict(model, hold.X, hold.Y, 200).Probabilities;
        var run = new DogsVsCatsRun(spec, model.ParameterCount(), curves.FitLoss.ToArray(), curves.FitError.ToArray(),
            h.Select(e => e.TrainLoss).ToArray(), h.Select(e => 1 - e.TrainAccuracy).ToArray(),
            h.Select(e => e.ValidationLoss).ToArray(), h.Select(e => 1 - e.ValidationAccuracy).ToArray(), probs, clock.Elapsed.TotalSeconds, false);
        if (settings.Reuse)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(json)!);
            Nabla.IO.Npz.Save(npz, model.StateDict());
            File.WriteAllText(json, JsonSerializer.Serialize(new Saved(signature, run.Parameters, run.FitLoss, run.FitError, run.RunningLoss,
                run.RunningError, run.HoldoutLoss, run.HoldoutError, run.HoldoutProbabilities, run.Seconds)));
        }
        return (run, model);
    }

    /// <summary>(x, y) in consecutive batches of <paramref name="size"/>.</summary>
    public static IEnumerable<(Tensor Input, Tensor Target)> Batches((Tensor X, Tensor Y) set, int size)
    {
        int n = set.X.Size(0);
        for (int s = 0; s < n; s += size)
        {
            int len = Math.Min(size, n - s);
            yield return (set.X.Narrow(0, s, len), set.Y.Narrow(0, s, len));
        }
    }

    /// <summary>After each epoch: the fit set's loss and error re-evaluated in eval mode (no augmentation), and a log line.</summary>
    private sealed class Curves(Trainer trainer, (Tensor X, Tensor Y) fit, TextWriter log, string name, Stopwatch clock) : ITrainerCallback
    {
        public List<double> FitLoss { get; } = [];
        public List<double> FitError { get; } = [];

        public bool OnEpochEnd(EpochRecord r)
        {
            var e = trainer.Evaluate(Batches(fit, 200));
            FitLoss.Add(e.Loss);
            FitError.Add(1 - e.Accuracy);
            log.WriteLine($"  {name} epoch {r.Epoch,2}: fit loss {e.Loss:F4} error {1 - e.Accuracy:P1} (running, augmented: {r.TrainLoss:F4}, " +
                          $"{1 - r.TrainAccuracy:P1}); hold-out loss {r.ValidationLoss:F4} error {1 - r.ValidationAccuracy:P1} ({clock.Elapsed.TotalSeconds:F0} s)");
            return true;
        }
    }
}
