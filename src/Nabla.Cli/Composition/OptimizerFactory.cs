using Nabla.Optim;

namespace Nabla.Cli.Composition;

/// <summary>Optimizers and learning-rate schedules by name (what --optimizer and --schedule map onto).</summary>
public static class OptimizerFactory
{
    /// <summary>The optimizer names <c>--optimizer</c> accepts.</summary>
    public static readonly string[] Names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];
    /// <summary>The learning-rate schedule names <c>--schedule</c> accepts.</summary>
    public static readonly string[] Schedules = ["none", "step", "exponential", "cosine", "onecycle", "warmup"];

    /// <summary>The named optimizer over <paramref name="parameters"/> with the given learning rate, momentum and weight decay (ignored where the optimizer has none).</summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double lr, double momentum, double weightDecay) => name switch
    {
        "sgd" => new Sgd(parameters, new SgdOptions(lr, WeightDecay: weightDecay)),
        "momentum" => new Sgd(parameters, new SgdOptions(lr, Momentum: momentum, WeightDecay: weightDecay)),
        "nesterov" => new Sgd(parameters, new SgdOptions(lr, Momentum: momentum, WeightDecay: weightDecay, Nesterov: true)),
        "adagrad" => new AdaGrad(parameters, new AdaGradOptions(lr, WeightDecay: weightDecay)),
        "rmsprop" => new RmsProp(parameters, new RmsPropOptions(lr, WeightDecay: weightDecay)),
        "adam" => new Adam(parameters, new AdamOptions(lr, WeightDecay: weightDecay)),
        "adamw" => new AdamW(parameters, new AdamOptions(lr, WeightDecay: weightDecay)),
        _ => throw new ArgumentException($"unknown optimizer '{name}'; choose from {string.Join(", ", Names)}"),
    };

    /// <summary>The per-parameter state names each optimizer keeps (how a checkpoint's optimizer is recognised).</summary>
    public static IReadOnlyList<string> StateNames(string name) => name switch
    {
        "sgd" => [],
        "momentum" or "nesterov" => ["momentum_buffer"],
        "adagrad" => ["sum"],
        "rmsprop" => ["square_avg", "grad_avg", "momentum_buffer"],
        "adam" or "adamw" => ["exp_avg", "exp_avg_sq", "step"],
        _ => throw new ArgumentException($"unknown optimizer '{name}'; choose from {string.Join(", ", Names)}"),
    };

    /// <summary>The schedule and whether it steps per batch (one-cycle, warm-up) rather than per epoch. A per-batch
    /// schedule needs epochs × batches per epoch steps to fit in an int; a larger run is refused.</summary>
    public static (LRScheduler? Scheduler, bool PerBatch) Schedule(string name, Optimizer opt, int epochs, int batchesPerEpoch)
    {
        if (name is "onecycle" && (long)epochs * batchesPerEpoch > int.MaxValue)
            throw new Nabla.Cli.Commands.UsageException($"--schedule onecycle: {epochs:N0} epochs x {batchesPerEpoch:N0} batches = {(long)epochs * batchesPerEpoch:N0} steps, " +
                $"more than the schedule can count ({int.MaxValue:N0}); use fewer --epochs");
        return ScheduleCore(name, opt, epochs, batchesPerEpoch);
    }

    private static (LRScheduler? Scheduler, bool PerBatch) ScheduleCore(string name, Optimizer opt, int epochs, int batchesPerEpoch) => name switch
    {
        "none" => (null, false),
        "step" => (new StepLR(opt, Math.Max(1, epochs / 3), 0.1), false),
        "exponential" => (new ExponentialLR(opt, 0.95), false),
        "cosine" => (new CosineAnnealingLR(opt, epochs), false),
        "onecycle" => (new OneCycleLR(opt, opt.ParamGroups[0].LearningRate, epochs * batchesPerEpoch), true),
        "warmup" => (new LinearWarmupLR(opt, batchesPerEpoch), true),
        _ => throw new ArgumentException($"unknown schedule '{name}'; choose from {string.Join(", ", Schedules)}"),
    };
}
