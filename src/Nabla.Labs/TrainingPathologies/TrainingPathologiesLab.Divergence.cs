using Nabla.Data;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>One run of part (c). <see cref="Curve"/>: the mean training loss of each window of batches (the last window
/// of an epoch may be shorter; windows never straddle a divergence), ending after <see cref="CurveSteps"/> batches. <see cref="Diverged"/> and
/// <see cref="DivergedEpoch"/> come from the Trainer's NaN guard (0 when the run completed); <see cref="MinLoss"/> and
/// <see cref="MinPoint"/> (1-based index into <see cref="Curve"/>) locate the lowest windowed loss; <see cref="EpochLoss"/>
/// and <see cref="ValidationAccuracy"/> are per epoch (NaN after a divergence); <see cref="TestAccuracy"/> is NaN for a
/// diverged run (its weights are not a model).</summary>
public sealed record DivergenceRun(string Label, string Key, string Change, double LearningRate, double[] Curve, int[] CurveSteps, double[] EpochLoss,
    double[] ValidationAccuracy, double MinLoss, int MinPoint, bool Diverged, int DivergedEpoch, double FinalLoss,
    double FinalValidationAccuracy, double TestAccuracy, string StopReason);

/// <summary>Part (c): the diverging configuration and its fixes (same data order and, but for batch norm, same initial weights).</summary>
public sealed record DivergenceStudy(int[] Hidden, int Epochs, double Momentum, int BatchesPerEpoch, int Window, IReadOnlyList<DivergenceRun> Runs)
{
    public DivergenceRun this[string key] => Runs.Single(r => r.Key == key);
}

public sealed partial class TrainingPathologiesLab
{
    /// <summary>Results keys of part (c), in report order.</summary>
    public static readonly string[] DivergenceKeys = ["high", "lower", "decay", "batchnorm", "clip"];

    private static DivergenceStudy RunDivergenceStudy(TrainingPathologiesSettings s, LabMnist data, LabKit kit)
    {
        double high = s.HighLearningRate;
        var plans = new (string Label, string Key, string Change, double Lr, bool BatchNorm, double? Clip, bool Decay)[]
        {
            ("too large a rate", "high", $"η = {high}", high, false, null, false),
            ("lower rate", "lower", $"η = {high * s.LowerFactor:0.####}", high * s.LowerFactor, false, null, false),
            ("rate decay", "decay", $"η = {high}·{s.DecayGamma}^(epochs done), per batch", high, false, null, true),
            ("batch norm", "batchnorm", $"η = {high}, BatchNorm1d after each hidden Linear", high, true, null, false),
            ("gradient clipping", "clip", $"η = {high}, global ‖g‖ clipped to {s.ClipNorm}", high, false, s.ClipNorm, false),
        };
        var loader = new DataLoader(data.Train, s.BatchSize, shuffle: true, seed: kit.Seed + 302);
        var runs = new List<DivergenceRun>();
        foreach (var plan in plans)
        {
            kit.Out.WriteLine($"(c) {plan.Label}: {plan.Change}");
            var model = Mlp.Create(new MlpOptions(Hidden: s.DivergeHidden, BatchNorm: plan.BatchNorm), kit.Generator(301));
            var optimizer = new Sgd(model.Parameters(), new SgdOptions(plan.Lr, Momentum: s.Momentum));
            // Decay per batch by γ^(1/B), so the rate falls by γ over each epoch without a step at the epoch boundary.
            LRScheduler? scheduler = plan.Decay ? new ExponentialLR(optimizer, Math.Pow(s.DecayGamma, 1.0 / loader.BatchCount)) : null;
            var trainer = new Trainer(model, optimizer, (logits, labels) => logits.CrossEntropy(labels),
                new TrainerOptions(s.DivergeEpochs, kit.Seed + 303, ClipGradNorm: plan.Clip, SchedulerStepPerBatch: plan.Decay), scheduler);
            var curve = new WindowedLoss(s.CurveWindow);
            trainer.Callbacks.Add(curve);
            trainer.Callbacks.Add(new MlpTraining.EpochLog(kit.Out, plan.Key, s.DivergeEpochs));
            var fit = trainer.Fit(loader.ForEpoch, () => MlpTraining.EvalLoader(data.Validation).Batches());
            if (fit.Diverged) kit.Out.WriteLine($"  [{plan.Key}] {fit.StopReason}");
            curve.Flush();   // the batches of a diverged epoch before the guard fired
            var points = curve.Points.ToArray();
            int min = points.Length == 0 ? 0 : Array.IndexOf(points, points.Min()) + 1;
            var epochLoss = MlpTraining.Series(fit, s.DivergeEpochs, e => e.TrainLoss);
            var valAcc = MlpTraining.Series(fit, s.DivergeEpochs, e => e.ValidationAccuracy);
            runs.Add(new DivergenceRun(plan.Label, plan.Key, plan.Change, plan.Lr, points, curve.Steps.ToArray(), epochLoss, valAcc,
                points.Length == 0 ? double.NaN : points[min - 1], min, fit.Diverged, fit.Diverged ? fit.History.Count + 1 : 0,
                fit.Diverged ? double.NaN : epochLoss[^1], fit.Diverged ? double.NaN : valAcc[^1],
                fit.Diverged ? double.NaN : MlpTraining.Evaluate(trainer, data.Test).Accuracy, fit.StopReason));
        }
        return new DivergenceStudy(s.DivergeHidden, s.DivergeEpochs, s.Momentum, loader.BatchCount, s.CurveWindow, runs);
    }

    /// <summary>Averages the batch losses the Trainer reports over windows of <paramref name="window"/> batches (the
    /// window is flushed at the end of every epoch). A batch whose loss is not finite never reaches it: the Trainer's
    /// guard stops first.</summary>
    public sealed class WindowedLoss(int window) : ITrainerCallback
    {
        private double _sum;
        private int _count, _batches;

        /// <summary>Mean loss of each window.</summary>
        public List<double> Points { get; } = [];

        /// <summary>Batches done (over all epochs) at the end of each window.</summary>
        public List<int> Steps { get; } = [];

        public void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond)
        {
            _sum += loss;
            _batches++;
            if (++_count == window) Flush();
        }

        public bool OnEpochEnd(EpochRecord record)
        {
            Flush();
            return true;
        }

        /// <summary>Closes the current (partial) window.</summary>
        public void Flush()
        {
            if (_count > 0)
            {
                Points.Add(_sum / _count);
                Steps.Add(_batches);
            }
            _sum = 0;
            _count = 0;
        }
    }
}
