namespace Nabla.Course;

/// <summary>
/// The keyword arguments of the homework's <c>Solver</c> (solver.py's names and defaults, in PascalCase).
/// </summary>
/// <param name="UpdateRule">"sgd", "sgd_momentum", "rmsprop" or "adam" (see <see cref="UpdateRules"/>).</param>
/// <param name="OptimConfig">Hyper-parameters handed to the rule, by optim.py's names: "learning_rate" and the rule's
/// own ("momentum"; "decay_rate", "epsilon"; "beta1", "beta2", "epsilon"). Missing ones take optim.py's defaults
/// (learning rate 1e-2, Adam 1e-3; momentum 0.9, decay_rate 0.99, epsilon 1e-8, beta1 0.9, beta2 0.999).</param>
/// <param name="LrDecay">After each epoch every parameter's learning rate is multiplied by this.</param>
/// <param name="BatchSize">Minibatch size of each step (sampled with replacement).</param>
/// <param name="NumEpochs">Epochs to train; an epoch is max(N_train / BatchSize, 1) iterations.</param>
/// <param name="NumTrainSamples">Training points (sampled with replacement) used for the per-epoch training accuracy;
/// null for all of them.</param>
/// <param name="NumValSamples">Validation points used for the per-epoch validation accuracy; null (default) for all.</param>
/// <param name="PrintEvery">Print the loss every this many iterations (when <paramref name="Verbose"/> is set).</param>
/// <param name="Verbose">Where the "(Iteration i / n) loss: …" and "(Epoch e / n) train acc: …; val_acc: …" lines
/// go; null (default) prints nothing. solver.py's default verbose=True corresponds to <c>Console.Out</c>.</param>
/// <param name="Seed">Seed of the generator that draws the minibatches and the accuracy subsamples.</param>
public sealed record SolverOptions(
    string UpdateRule = "sgd",
    IReadOnlyDictionary<string, double>? OptimConfig = null,
    double LrDecay = 1.0,
    int BatchSize = 100,
    int NumEpochs = 10,
    int? NumTrainSamples = 1000,
    int? NumValSamples = null,
    int PrintEvery = 10,
    TextWriter? Verbose = null,
    ulong Seed = 0)
{
    /// <summary>Checks every option once; returns this.</summary>
    /// <exception cref="ArgumentException">An unknown update rule (the message lists the valid ones) or a
    /// hyper-parameter the rule does not read.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range: a non-finite or negative learning rate,
    /// LrDecay not finite and &gt; 0, BatchSize, NumEpochs, PrintEvery or a sample count &lt; 1, …</exception>
    public SolverOptions Validate()
    {
        UpdateRules.CheckHyperParameters(UpdateRule, OptimConfig ?? new Dictionary<string, double>());
        if (!double.IsFinite(LrDecay) || LrDecay <= 0)
            throw new ArgumentOutOfRangeException(nameof(LrDecay), LrDecay, $"Solver: lr_decay must be finite and > 0, got {LrDecay}");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"Solver: batch_size must be >= 1, got {BatchSize}");
        if (NumEpochs < 1) throw new ArgumentOutOfRangeException(nameof(NumEpochs), NumEpochs, $"Solver: num_epochs must be >= 1, got {NumEpochs}");
        if (NumTrainSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(NumTrainSamples), NumTrainSamples, $"Solver: num_train_samples must be >= 1 or null, got {NumTrainSamples}");
        if (NumValSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(NumValSamples), NumValSamples, $"Solver: num_val_samples must be >= 1 or null, got {NumValSamples}");
        if (PrintEvery < 1) throw new ArgumentOutOfRangeException(nameof(PrintEvery), PrintEvery, $"Solver: print_every must be >= 1, got {PrintEvery}");
        return this;
    }
}
