namespace Nabla.Optim;

/// <summary>
/// Sets every group's learning rate from its initial one as a function of the schedule's step counter
/// (call <see cref="Step"/> once per epoch or once per batch, as the schedule is defined).
/// </summary>
public abstract class LRScheduler
{
    /// <summary>Attaches to <paramref name="optimizer"/> and applies the rate of step 0 at once.</summary>
    protected LRScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        Apply();
    }

    /// <summary>The optimizer whose group rates this sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Number of <see cref="Step"/> calls so far (PyTorch's last_epoch).</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate of group 0 now.</summary>
    public double LastLr => Optimizer.ParamGroups[0].LearningRate;

    /// <summary>Advances the counter by one and sets every group's rate for the new step.</summary>
    public void Step()
    {
        LastEpoch++;
        Apply();
    }

    /// <summary>Restores the counter (when resuming from a checkpoint) and re-applies the rate.</summary>
    public void SetEpoch(int epoch)
    {
        LastEpoch = epoch;
        Apply();
    }

    private void Apply()
    {
        foreach (var g in Optimizer.ParamGroups) g.LearningRate = LearningRate(g.InitialLearningRate, LastEpoch);
    }

    /// <summary>The rate at step <paramref name="t"/> for a group that started at <paramref name="initial"/>.</summary>
    protected abstract double LearningRate(double initial, int t);
}

/// <summary>η_t = η₀·γ^⌊t/StepSize⌋.</summary>
public sealed class StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : LRScheduler(Check(optimizer, stepSize))
{
    private static Optimizer Check(Optimizer o, int stepSize) =>
        stepSize > 0 ? o : throw new ArgumentException($"StepLR: stepSize must be positive, got {stepSize}");

    /// <inheritdoc/>
    protected override double LearningRate(double initial, int t) => initial * Math.Pow(gamma, t / stepSize);
}

/// <summary>η_t = η₀·γ^t.</summary>
public sealed class ExponentialLR(Optimizer optimizer, double gamma) : LRScheduler(optimizer)
{
    /// <inheritdoc/>
    protected override double LearningRate(double initial, int t) => initial * Math.Pow(gamma, t);
}

/// <summary>η_t = η_min + (η₀ − η_min)·(1 + cos(π·t/T_max))/2 (periodic past T_max, as PyTorch).</summary>
public sealed class CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : LRScheduler(optimizer)
{
    /// <inheritdoc/>
    protected override double LearningRate(double initial, int t) =>
        etaMin + (initial - etaMin) * (1 + Math.Cos(Math.PI * t / tMax)) / 2;
}

/// <summary>η_t = η₀·min(1, f + (1 − f)·t/W): a linear warm-up over W steps from f·η₀, then constant.</summary>
public sealed class LinearWarmupLR(Optimizer optimizer, int warmupSteps, double startFactor = 0.1) : LRScheduler(optimizer)
{
    /// <inheritdoc/>
    protected override double LearningRate(double initial, int t) =>
        warmupSteps <= 0 ? initial : initial * Math.Min(1, startFactor + (1 - startFactor) * t / (double)warmupSteps);
}

/// <summary>
/// One-cycle (Smith &amp; Topin, PyTorch's OneCycleLR with cosine annealing): from η_max/div up to η_max over the first
/// pctStart·T steps, then down to η_max/(div·finalDiv) at step T − 1. Ignores the groups' initial rates.
/// </summary>
public sealed class OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    : LRScheduler(optimizer)
{
    /// <inheritdoc/>
    protected override double LearningRate(double initial, int t)
    {
        double start = maxLr / divFactor, end = start / finalDivFactor;
        double peak = pctStart * totalSteps - 1;
        if (t <= peak) return Cos(start, maxLr, peak <= 0 ? 1 : t / peak);
        return Cos(maxLr, end, Math.Min(1, (t - peak) / (totalSteps - 1 - peak)));
    }

    private static double Cos(double from, double to, double frac) => to + (from - to) * (1 + Math.Cos(Math.PI * frac)) / 2;
}
