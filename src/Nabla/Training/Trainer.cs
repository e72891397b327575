using System.Diagnostics;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Training;

/// <summary>
/// The training loop (the course's "Solver"): for each epoch, for each batch — schedule → zero grad → forward → loss →
/// backward → clip → step → record — then evaluate, call back, checkpoint. History is kept as plain numbers.
/// Batches come from <c>epoch → IEnumerable&lt;(input, target)&gt;</c> so that shuffling is a function of the epoch.
/// </summary>
public sealed partial class Trainer
{
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly LRScheduler? _scheduler;
    private readonly List<EpochRecord> _history = [];

    /// <summary>The loss of the run's first batch: the scale the good-epoch rule's explosion check compares with.</summary>
    private double _referenceLoss = double.NaN;

    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, TrainerOptions? options = null, LRScheduler? scheduler = null)
    {
        _model = model;
        _optimizer = optimizer;
        _loss = loss;
        _scheduler = scheduler;
        Options = (options ?? new TrainerOptions()).Validate();
    }

    public TrainerOptions Options { get; }

    public List<ITrainerCallback> Callbacks { get; } = [];

    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>Epochs completed so far (after <see cref="Resume"/>, the checkpoint's).</summary>
    public int EpochsDone => _history.Count;

    /// <summary>Trains from <see cref="EpochsDone"/> up to <see cref="TrainerOptions.Epochs"/>. Each epoch must pass the
    /// good-epoch rule (see <see cref="TrainerOptions"/>) to enter the history and the checkpoint; the first one that does
    /// not stops training with <see cref="FitStop.Diverged"/>. <paramref name="cancellationToken"/> stops after the
    /// current batch (<see cref="FitStop.Interrupted"/>; the unfinished epoch is discarded).</summary>
    public FitResult Fit(Func<int, IEnumerable<(Tensor Input, Tensor Target)>> train, Func<IEnumerable<(Tensor Input, Tensor Target)>>? validation = null,
        CancellationToken cancellationToken = default)
    {
        var result = FitCore(train, validation, cancellationToken);
        foreach (var c in Callbacks) c.OnFitEnd(result);
        return result;
    }

    private FitResult FitCore(Func<int, IEnumerable<(Tensor Input, Tensor Target)>> train, Func<IEnumerable<(Tensor Input, Tensor Target)>>? validation,
        CancellationToken cancellationToken)
    {
        double bestVal = double.PositiveInfinity;
        int sinceBest = 0;
        for (int epoch = EpochsDone; epoch < Options.Epochs; epoch++)
        {
            if (cancellationToken.IsCancellationRequested) return Interrupted(epoch);
            Generator.ManualSeed(EpochSeed(epoch));
            var (record, problem) = RunEpoch(epoch, train(epoch), validation, cancellationToken);
            if (record is null) return Interrupted(epoch);
            problem ??= CheckGoodEpoch(record, validation is not null);
            if (problem is not null)
                return new FitResult(_history, $"diverged in epoch {epoch + 1}: {problem}; " + LastGood() +
                    (Options.CheckpointPath is null ? "" : $" (checkpoints are written only after good epochs, so {Options.CheckpointPath} holds epoch {EpochsDone})"),
                    true, FitStop.Diverged);
            _history.Add(record);
            if (!Options.SchedulerStepPerBatch) _scheduler?.Step();
            if (Options.CheckpointPath is not null) SaveCheckpoint(Options.CheckpointPath);
            bool go = true;
            foreach (var c in Callbacks) go &= c.OnEpochEnd(record);
            if (!go) return new FitResult(_history, $"stopped by a callback after epoch {epoch + 1}", false, FitStop.Callback);
            if (Options.EarlyStoppingPatience is int patience && !double.IsNaN(record.ValidationLoss))
            {
                if (record.ValidationLoss < bestVal) { bestVal = record.ValidationLoss; sinceBest = 0; }
                else if (++sinceBest >= patience)
                    return new FitResult(_history, $"early stopping after epoch {epoch + 1}: validation loss did not improve for {patience} epochs", false, FitStop.EarlyStopping);
            }
        }
        return new FitResult(_history, $"completed {Options.Epochs} epochs", false, FitStop.Completed);
    }

    private FitResult Interrupted(int epoch) =>
        new(_history, $"interrupted in epoch {epoch + 1} (the unfinished epoch is discarded); " + LastGood(), false, FitStop.Interrupted);

    private string LastGood() => EpochsDone == 0 ? "no epoch finished" : $"the last good epoch is {EpochsDone}";

    /// <summary>The good-epoch rule after the epoch's steps (batch losses were checked as they came): null when good.</summary>
    private string? CheckGoodEpoch(EpochRecord r, bool validated)
    {
        if (!double.IsFinite(r.TrainLoss)) return $"the training loss is {r.TrainLoss}";
        if (validated && !double.IsFinite(r.ValidationLoss)) return $"the validation loss is {r.ValidationLoss}";
        double reference = double.IsFinite(_referenceLoss) ? _referenceLoss : _history.Count > 0 ? _history[0].TrainLoss : double.NaN;
        if (reference > 0)
        {
            double limit = Options.DivergenceFactor * reference;
            if (r.TrainLoss > limit) return $"the training loss {r.TrainLoss:G4} is more than {Options.DivergenceFactor:G3} times the run's first batch loss {reference:G4}";
            if (validated && r.ValidationLoss > limit) return $"the validation loss {r.ValidationLoss:G4} is more than {Options.DivergenceFactor:G3} times the run's first batch loss {reference:G4}";
        }
        foreach (var (name, p) in _model.NamedParameters())
            if (!AllFinite(p)) return $"parameter '{name}' holds NaN or infinite values after the epoch's last step";
        return null;
    }

    /// <summary>NaN and ±∞ propagate through a sum (∞ − ∞ = NaN), so one reduction per parameter finds them.</summary>
    private static bool AllFinite(Tensor t)
    {
        using var _ = GradMode.NoGrad();
        return double.IsFinite(t.Sum().Item());
    }

    private ulong EpochSeed(int epoch) => Options.Seed * 1_000_003UL + (ulong)epoch + 1;

    /// <summary>One epoch's steps and validation: (null, null) when cancelled, a problem when a batch loss is not finite.</summary>
    private (EpochRecord? Record, string? Problem) RunEpoch(int epoch, IEnumerable<(Tensor Input, Tensor Target)> batches,
        Func<IEnumerable<(Tensor Input, Tensor Target)>>? validation, CancellationToken cancellationToken)
    {
        _model.Train();
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long samples = 0, correct = 0;
        bool classification = false;
        int batch = 0;
        double lr = _optimizer.ParamGroups[0].LearningRate;
        foreach (var c in Callbacks) c.OnEpochStart(epoch, -1);
        foreach (var (x, y) in batches)
        {
            _optimizer.ZeroGrad();
            var output = _model.Invoke(x);
            var loss = _loss(output, y);
            double l = loss.Item();
            if (epoch == 0 && batch == 0 && double.IsNaN(_referenceLoss)) _referenceLoss = l;
            if (!double.IsFinite(l))
                return (new EpochRecord(epoch + 1, l, double.NaN, double.NaN, double.NaN, lr, clock.Elapsed.TotalSeconds, 0), $"the loss of batch {batch + 1} became {l}");
            // Accuracy first: with FreeIntermediates the backward pass recycles the output's storage.
            int n = x.Size(0);
            if (IsClassification(y)) { classification = true; correct += Metrics.CorrectCount(output, y); }
            loss.Backward(freeIntermediates: Options.FreeIntermediates);
            if (Options.ClipGradValue is double cv) GradClip.ClipGradValue_(_model.Parameters(), cv);
            if (Options.ClipGradNorm is double cn) GradClip.ClipGradNorm_(_model.Parameters(), cn);
            _optimizer.Step();
            if (Options.SchedulerStepPerBatch) _scheduler?.Step();
            lossSum += l * n;
            samples += n;
            batch++;
            foreach (var c in Callbacks) c.OnBatchEnd(epoch, batch, l, samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
            if (cancellationToken.IsCancellationRequested) return (null, null);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var val = validation is null ? null : Evaluate(validation());
        return (new EpochRecord(epoch + 1, lossSum / Math.Max(samples, 1), classification ? (double)correct / Math.Max(samples, 1) : double.NaN,
            val?.Loss ?? double.NaN, val?.Accuracy ?? double.NaN, lr, seconds, samples / Math.Max(seconds, 1e-9)), null);
    }

    /// <summary>Accuracy is measured when targets are int32 class labels [N].</summary>
    private static bool IsClassification(Tensor target) => target.DType == DType.Int32 && target.Rank == 1;

    /// <summary>Mean loss and accuracy over <paramref name="data"/> in eval mode without recording.</summary>
    public EvalResult Evaluate(IEnumerable<(Tensor Input, Tensor Target)> data)
    {
        bool wasTraining = _model.Training;
        _model.Eval();
        using var _ = GradMode.NoGrad();
        double lossSum = 0;
        long n = 0, correct = 0;
        bool classification = false;
        foreach (var (x, y) in data)
        {
            var output = _model.Invoke(x);
            int b = x.Size(0);
            lossSum += _loss(output, y).Item() * b;
            n += b;
            if (IsClassification(y)) { classification = true; correct += Metrics.CorrectCount(output, y); }
        }
        _model.Train(wasTraining);
        return new EvalResult(n == 0 ? double.NaN : lossSum / n, classification && n > 0 ? (double)correct / n : double.NaN, (int)n);
    }
}
