namespace Nabla.Labs;

/// <summary>The tested rules of <c>cifar10-vgg11</c>: the per-factor choice on validation accuracy, and the sentences
/// that interpret the ablation, the final choice, its test score and the wide row.</summary>
public static class Cifar10Vgg11Says
{
    /// <summary>The words for a level in tables and prose.</summary>
    public static string LevelName(string level) => level switch
    {
        nameof(VggLabOptimizer.Adam) => "Adam",
        nameof(VggLabOptimizer.SgdMomentum) => "SGD + momentum",
        nameof(VggLabPreprocessing.None) => "none ([0, 1] pixels)",
        nameof(VggLabPreprocessing.Standardize) => "standardisation",
        nameof(VggLabPreprocessing.Augment) => "standardisation + crop/flip augmentation",
        nameof(VggLabSchedule.Constant) => "constant rate",
        nameof(VggLabSchedule.Step) => "step (×0.1 after 2/3)",
        nameof(VggLabSchedule.OneCycle) => "one-cycle",
        _ => level,
    };

    /// <summary>The factor's name in prose.</summary>
    public static string FactorName(VggLabFactor f) => f switch
    {
        VggLabFactor.Optimizer => "optimiser",
        VggLabFactor.Activation => "activation",
        VggLabFactor.Preprocessing => "preprocessing",
        VggLabFactor.Schedule => "learning-rate strategy",
        _ => f.ToString(),
    };

    /// <summary>"Adam, ReLU, standardisation, constant rate": the four levels of a spec.</summary>
    public static string Describe(VggLabRunSpec spec) =>
        string.Join(", ", Enum.GetValues<VggLabFactor>().Select(f => LevelName(spec.Level(f))));

    /// <summary>The runs that compete on <paramref name="factor"/>: the baseline run first, then the runs that changed it.</summary>
    public static IReadOnlyList<VggLabRun> Candidates(VggLabFactor factor, IReadOnlyList<VggLabRun> runs) =>
        runs.Where(r => r.Factor is null).Take(1).Concat(runs.Where(r => r.Factor == factor)).ToList();

    /// <summary>The winner among <paramref name="candidates"/>: the highest validation accuracy; on a tie the earlier
    /// one (the baseline is listed first, so a tie keeps it); a run with no accuracy (NaN) never wins over one with.</summary>
    public static VggLabRun Winner(IReadOnlyList<VggLabRun> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("Cifar10Vgg11Says.Winner: no candidate runs");
        var best = candidates[0];
        foreach (var r in candidates.Skip(1))
            if (!double.IsNaN(r.ValidAccuracy) && (double.IsNaN(best.ValidAccuracy) || r.ValidAccuracy > best.ValidAccuracy)) best = r;
        return best;
    }

    /// <summary>The final choice: the baseline with every factor set to its winner's level (chosen on validation only).</summary>
    public static VggLabRunSpec Choose(VggLabRunSpec baseline, IReadOnlyList<VggLabRun> runs, Cifar10Vgg11Settings s)
    {
        var spec = baseline;
        foreach (var f in Enum.GetValues<VggLabFactor>())
        {
            var w = Winner(Candidates(f, runs));
            if (w.Factor == f) spec = spec.With(f, w.Level!, s);
        }
        return spec;
    }

    /// <summary>One factor's verdict: the winner, and whether its lead over the runner-up exceeds two standard errors
    /// of the difference on <paramref name="nValid"/> validation images.</summary>
    public static string FactorSentence(VggLabFactor factor, IReadOnlyList<VggLabRun> candidates, VggLabRunSpec baseline, int nValid)
    {
        string name = FactorName(factor);
        if (candidates.Count < 2) return $"Only one {name} was run.";
        var w = Winner(candidates);
        string wName = LevelName(w.Spec.Level(factor));
        var second = candidates.Where(r => !ReferenceEquals(r, w)).MaxBy(r => double.IsNaN(r.ValidAccuracy) ? double.NegativeInfinity : r.ValidAccuracy)!;
        string sName = LevelName(second.Spec.Level(factor));
        double gap = w.ValidAccuracy - second.ValidAccuracy;
        double se = Math.Sqrt(Math.Pow(CnnLabTraining.StandardError(w.ValidAccuracy, nValid), 2) + Math.Pow(CnnLabTraining.StandardError(second.ValidAccuracy, nValid), 2));
        bool kept = w.Spec.Level(factor) == baseline.Level(factor);
        string head = kept
            ? $"**{char.ToUpperInvariant(name[0])}{name[1..]}:** the baseline's {wName} stays ({Pct(w.ValidAccuracy)} validation)"
            : $"**{char.ToUpperInvariant(name[0])}{name[1..]}:** {wName} replaces the baseline's {LevelName(baseline.Level(factor))} ({Pct(w.ValidAccuracy)} validation)";
        string tail = CnnLabTraining.ClearlyDifferent(w.ValidAccuracy, nValid, second.ValidAccuracy, nValid)
            ? $"; it leads the next best, {sName} ({Pct(second.ValidAccuracy)}), by {100 * gap:F1} points, more than two standard errors of the difference (2 s.e. = {200 * se:F1} points)."
            : $"; the next best, {sName} ({Pct(second.ValidAccuracy)}), is within two standard errors of the difference (2 s.e. = {200 * se:F1} points), so this choice is not reliable at this budget.";
        return head + tail;
    }

    /// <summary>What combining the winners gave: the homework's network itself, or a combination measured against the
    /// best single change from the baseline.</summary>
    public static string CombinationSentence(VggLabRunSpec baseline, VggLabRun final, IReadOnlyList<VggLabRun> runs, int nValid)
    {
        if (final.Spec == baseline)
            return "Every factor's best level is the baseline's, so the final choice is the homework's network itself.";
        var changes = runs.Where(r => r.Factor is not null).ToList();
        var bestSingle = changes.MaxBy(r => double.IsNaN(r.ValidAccuracy) ? double.NegativeInfinity : r.ValidAccuracy)!;
        if (ReferenceEquals(final, bestSingle) || final.Spec == bestSingle.Spec)
            return $"Only one factor changed, so the final choice is the ablation's run {bestSingle.Key} ({Pct(final.ValidAccuracy)} validation), not retrained.";
        string cmp = $"the combination ({Pct(final.ValidAccuracy)} validation) against the best single change, {bestSingle.Key} ({Pct(bestSingle.ValidAccuracy)})";
        if (!CnnLabTraining.ClearlyDifferent(final.ValidAccuracy, nValid, bestSingle.ValidAccuracy, nValid))
            return $"The winners were combined and trained once more at the same budget: {cmp} is within two standard errors — the gains do not clearly add up.";
        return final.ValidAccuracy > bestSingle.ValidAccuracy
            ? $"The winners were combined and trained once more at the same budget: {cmp} is more than two standard errors better — the gains add up."
            : $"The winners were combined and trained once more at the same budget: {cmp} is more than two standard errors worse — the changes interfere, and the one-at-a-time choice misses that.";
    }

    /// <summary>The final choice's single test score against its validation accuracy (two standard errors of the
    /// difference on <paramref name="nValid"/> and <paramref name="nTest"/> images).</summary>
    public static string TestVsValidSentence(double valid, int nValid, double test, int nTest) =>
        CnnLabTraining.ClearlyDifferent(valid, nValid, test, nTest)
            ? $"Its test accuracy ({Pct(test)}) differs from its validation accuracy ({Pct(valid)}) by more than two standard errors: validation was {(valid > test ? "optimistic" : "pessimistic")} for this model."
            : $"Its test accuracy ({Pct(test)}) agrees with its validation accuracy ({Pct(valid)}) within two standard errors: choosing on validation did not measurably flatter it.";

    /// <summary>Whether a run overfits after its last epoch: training accuracy above validation by more than two
    /// binomial standard errors of the validation figure.</summary>
    public static string OverfitSentence(string what, VggLabRun run, int nValid)
    {
        double tr = run.TrainAccuracy, va = run.ValidAccuracy;
        if (double.IsNaN(tr) || double.IsNaN(va)) return $"{what}: no epoch was trained.";
        return tr - va > 2 * CnnLabTraining.StandardError(va, nValid)
            ? $"{what} ends at {Pct(tr)} training vs {Pct(va)} validation accuracy: it fits its training images better than new ones (more than two standard errors)."
            : $"{what} ends at {Pct(tr)} training vs {Pct(va)} validation accuracy: no sign of overfitting at this budget.";
    }

    /// <summary>The narrow final choice against the wide VGG11-BN row, both on the test set.</summary>
    public static string NarrowVsWideSentence(double narrowTest, long narrowParams, double wideTest, long wideParams, int nTest)
    {
        string size = $"{(double)wideParams / narrowParams:F0}× the parameters";
        if (!CnnLabTraining.ClearlyDifferent(narrowTest, nTest, wideTest, nTest))
            return $"The wide VGG11-BN ({Pct(wideTest)} test, {size}) and the narrow final choice ({Pct(narrowTest)}) are within two standard errors of each other.";
        return wideTest > narrowTest
            ? $"The wide VGG11-BN with its own recipe ({Pct(wideTest)} test, {size}) beats the narrow final choice ({Pct(narrowTest)}) by {100 * (wideTest - narrowTest):F1} points: width and batch normalisation buy accuracy the narrow net's ablation does not reach."
            : $"The narrow final choice ({Pct(narrowTest)} test) beats the wide VGG11-BN ({Pct(wideTest)}, {size}) by {100 * (narrowTest - wideTest):F1} points at these budgets.";
    }

    private static string Pct(double v) => CnnLabTraining.Pct(v);
}
