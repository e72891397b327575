namespace Nabla.Training;

/// <summary>
/// How <see cref="Trainer"/> runs. <see cref="Seed"/> makes runs reproducible: every epoch reseeds the default
/// generator (dropout masks, sampled noise) from (Seed, epoch), so a run resumed from a checkpoint at an epoch boundary
/// ends with the same weights as an uninterrupted one. <see cref="FreeIntermediates"/> (on by default) passes
/// <c>freeIntermediates: true</c> to each step's backward, so activations are recycled for the next step: a VGG11 step
/// at batch 64 allocates 3 MiB instead of 119 MiB and the run peaks at 507 MiB instead of 832 MiB (measured in
/// src/Nabla/Autograd/README.md). Recycling cannot corrupt anything: a model or loss that keeps an activation (or a Detach() of
/// one) past its step gets a <see cref="FreedTensorException"/> naming the op on its next read; such a model
/// sets it to false (or clones what it keeps).
/// <para>
/// <b>The good-epoch rule</b> (what <see cref="Trainer.Fit"/> checks before an epoch enters the history and the
/// checkpoint): every batch loss is finite; the validation loss, when validation data is given, is finite; the
/// epoch's mean training loss and its validation loss are at most <see cref="DivergenceFactor"/> (default 10⁶) times the
/// loss of the run's first batch (a finite explosion, e.g. 2.3 → 1e22, counts as divergence; after resuming from a
/// checkpoint without that number, the first epoch's training loss stands in); and every parameter is finite after the epoch's last step (a single step can
/// blow the weights up after the loss of its batch was measured). An epoch that breaks the rule stops training with
/// <see cref="FitStop.Diverged"/> and is never checkpointed.
/// </para>
/// </summary>
public sealed record TrainerOptions(
    int Epochs = 10,
    ulong Seed = 0,
    double? ClipGradNorm = null,
    double? ClipGradValue = null,
    int? EarlyStoppingPatience = null,
    string? CheckpointPath = null,
    bool SchedulerStepPerBatch = false,
    bool FreeIntermediates = true,
    double DivergenceFactor = 1e6)
{
    /// <summary>Checks every field (non-finite numbers included); returns this.</summary>
    public TrainerOptions Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"TrainerOptions: Epochs must be non-negative, got {Epochs}");
        if (ClipGradNorm is double n && !(n > 0 && double.IsFinite(n))) throw new ArgumentException($"TrainerOptions: ClipGradNorm must be positive and finite, got {n}");
        if (ClipGradValue is double v && !(v > 0 && double.IsFinite(v))) throw new ArgumentException($"TrainerOptions: ClipGradValue must be positive and finite, got {v}");
        if (EarlyStoppingPatience is < 1) throw new ArgumentException($"TrainerOptions: EarlyStoppingPatience must be at least 1, got {EarlyStoppingPatience}");
        if (!(DivergenceFactor > 1)) throw new ArgumentException($"TrainerOptions: DivergenceFactor must be greater than 1 (or +Infinity to turn the explosion check off), got {DivergenceFactor}");
        return this;
    }
}

/// <summary>Hooks between steps (never inside one), for progress displays, logs and early stops; the CLI's progress
/// line and its metrics.jsonl writer are such callbacks. Return false from <see cref="OnEpochEnd"/> to stop training.</summary>
public interface ITrainerCallback
{
    /// <summary>Before epoch <paramref name="epoch"/> (0-based); <paramref name="batches"/> is -1 when unknown.</summary>
    void OnEpochStart(int epoch, int batches) { }

    /// <summary>After each optimizer step: the batch's loss and the epoch's throughput so far.</summary>
    void OnBatchEnd(int epoch, int batch, double loss, double samplesPerSecond) { }

    /// <summary>After a good epoch is recorded (and checkpointed, when a path is set).</summary>
    bool OnEpochEnd(EpochRecord record) => true;

    /// <summary>Once, when <see cref="Trainer.Fit"/> returns (whatever the reason, divergence and interruption included).</summary>
    void OnFitEnd(FitResult result) { }
}
