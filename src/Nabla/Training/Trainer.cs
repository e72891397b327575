using System.Diagnostics;
using Nabla.Autograd;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

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

    /// <summary>Trains from <see cref="EpochsDone"/> up to <see cref="TrainerOptions.Epochs"/>.</summary>
    public FitResult Fit(Func<int, IEnumerable<(Tensor Input, Tensor Target)>> train, Func<IEnumerable<(Tensor Input, Tensor Target)>>? validation = null)
    {
        double bestVal = double.PositiveInfinity;
        int sinceBest = 0;
        for (int epoch = EpochsDone; epoch < Options.Epochs; epoch++)
        {
            Generator.ManualSeed(EpochSeed(epoch));
            var (record, diverged) = RunEpoch(epoch, train(epoch), validation);
            if (diverged)
                return new FitResult(_history, $"stopped in epoch {epoch + 1}: the loss became {record.TrainLoss} (NaN/Inf); " +
                    (Options.CheckpointPath is null ? "no checkpoint was configured" : $"checkpoints are written only after good epochs, so {Options.CheckpointPath} is left as it was ({EpochsDone} epochs done in this run)"), true);
            _history.Add(record);
            if (!Options.SchedulerStepPerBatch) _scheduler?.Step();
            if (Options.CheckpointPath is not null) SaveCheckpoint(Options.CheckpointPath);
            bool go = true;
            foreach (var c in Callbacks) go &= c.OnEpochEnd(record);
            if (!go) return new FitResult(_history, $"stopped by a callback after epoch {epoch + 1}", false);
            if (Options.EarlyStoppingPatience is int patience && !double.IsNaN(record.ValidationLoss))
            {
                if (record.ValidationLoss < bestVal) { bestVal = record.ValidationLoss; sinceBest = 0; }
                else if (++sinceBest >= patience)
                    return new FitResult(_history, $"early stopping after epoch {epoch + 1}: validation loss did not improve for {patience} epochs", false);
            }
        }
        return new FitResult(_history, $"completed {Options.Epochs} epochs", false);
    }

    private ulong EpochSeed(int epoch) => Options.Seed * 1_000_003UL + (ulong)epoch + 1;

    private (EpochRecord Record, bool Diverged) RunEpoch(int epoch, IEnumerable<(Tensor Input, Tensor Target)> batches, Func<IEnumerable<(Tensor Input, Tensor Target)>>? validation)
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
            if (!double.IsFinite(l))
                return (new EpochRecord(epoch + 1, l, double.NaN, double.NaN, double.NaN, lr, clock.Elapsed.TotalSeconds, 0), true);
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
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var val = validation is null ? null : Evaluate(validation());
        return (new EpochRecord(epoch + 1, lossSum / Math.Max(samples, 1), classification ? (double)correct / Math.Max(samples, 1) : double.NaN,
            val?.Loss ?? double.NaN, val?.Accuracy ?? double.NaN, lr, seconds, samples / Math.Max(seconds, 1e-9)), false);
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
