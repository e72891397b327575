using System.Globalization;

namespace Nabla.Labs;

/// <summary>
/// The rules that pick what the dogs-vs-cats report says about its numbers: the choice among the settings, each
/// setting against the base, the mistakes' direction, confidence and brightness, the 50/50 cases, flip averaging and
/// the ensemble. Each returns text chosen from the values (two binomial standard errors as the noise threshold).
/// </summary>
public static class DogsVsCatsSays
{
    private static string Pct(double v) => CnnLabTraining.Pct(v);

    private static string F1(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>The index of the run with the highest hold-out accuracy; ties go to the lower hold-out loss, then to the
    /// earlier run.</summary>
    public static int Choose(IReadOnlyList<DogsVsCatsRun> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("DogsVsCatsSays.Choose: no run to choose from");
        int best = 0;
        for (int i = 1; i < runs.Count; i++)
        {
            double a = runs[i].HoldoutAccuracy, b = runs[best].HoldoutAccuracy;
            if (a > b || (a == b && runs[i].HoldoutLoss[^1] < runs[best].HoldoutLoss[^1])) best = i;
        }
        return best;
    }

    /// <summary>Whether the chosen setting's lead over the runner-up is beyond the hold-out's noise.</summary>
    public static string Lead(string chosen, double accuracy, string? runnerUp, double runnerUpAccuracy, int n)
    {
        if (runnerUp is null) return $"Only one setting was run, so '{chosen}' ({Pct(accuracy)} on the hold-out) is the choice by default.";
        string numbers = $"'{chosen}' has the highest hold-out accuracy ({Pct(accuracy)}; runner-up '{runnerUp}' {Pct(runnerUpAccuracy)})";
        return CnnLabTraining.ClearlyDifferent(accuracy, n, runnerUpAccuracy, n)
            ? numbers + ": a lead of more than two standard errors on these " + n + " photos."
            : numbers + $": the lead is within two standard errors (±{F1(200 * CnnLabTraining.StandardError(accuracy, n))} points on {n} photos), " +
                        "so the hold-out cannot really tell these two apart; the choice follows the rule, not a measured superiority.";
    }

    /// <summary>A setting's hold-out accuracy against the base's: clearly higher, clearly lower, or within noise.</summary>
    public static string VersusBase(string key, string change, double accuracy, double baseAccuracy, int n)
    {
        string numbers = $"{change} ('{key}'): {Pct(accuracy)} against the base's {Pct(baseAccuracy)}";
        if (!CnnLabTraining.ClearlyDifferent(accuracy, n, baseAccuracy, n)) return numbers + " — within two standard errors, no measurable effect at this budget.";
        return accuracy > baseAccuracy ? numbers + " — clearly better than the base." : numbers + " — clearly worse than the base.";
    }

    /// <summary>Whether a run still underfits at the budget: fit-set accuracy (eval mode, plain photos) within noise of
    /// (or below) the hold-out's means the network has not yet learned the training photos better than new ones.</summary>
    public static string Fitting(string key, double fitAccuracy, int nFit, double holdoutAccuracy, int nHoldout)
    {
        string numbers = $"'{key}' reaches {Pct(fitAccuracy)} on its own fit photos and {Pct(holdoutAccuracy)} on the hold-out";
        if (fitAccuracy > holdoutAccuracy && CnnLabTraining.ClearlyDifferent(fitAccuracy, nFit, holdoutAccuracy, nHoldout))
            return numbers + ": it fits the training photos clearly better than new ones.";
        return numbers + ": no better on the photos it trained on than on new ones, so at this budget it still underfits — " +
                         "longer training is the first thing to try before judging its regularisation.";
    }

    /// <summary>The generalisation gap (fit accuracy − hold-out accuracy) with and without augmentation.</summary>
    public static string AugmentationGap(double gapWith, double gapWithout, int n)
    {
        string numbers = $"The gap between fit-set and hold-out accuracy is {F1(100 * gapWith)} points with augmentation and {F1(100 * gapWithout)} without";
        double noise = 2 * Math.Sqrt(2) * 0.5 / Math.Sqrt(Math.Max(1, n)); // two s.e. of a difference of two rates near 50 %, the widest case
        if (Math.Abs(gapWithout - gapWith) <= noise) return numbers + ": the difference is within the hold-out's noise.";
        return gapWithout > gapWith
            ? numbers + ": augmentation narrows the gap — without it the network fits the training photos more closely than it generalises."
            : numbers + ": here augmentation did not narrow the gap.";
    }

    /// <summary>Fit accuracy (eval mode, no augmentation) against test accuracy: clearly above, clearly below, or within noise.</summary>
    public static string Gap(double fitAccuracy, int nFit, double testAccuracy, int nTest)
    {
        string numbers = $"Fit-set accuracy is {Pct(fitAccuracy)} against {Pct(testAccuracy)} on the test split";
        if (!CnnLabTraining.ClearlyDifferent(fitAccuracy, nFit, testAccuracy, nTest))
            return numbers + ": the two are within two binomial standard errors, so this run shows no measurable gap between the training photos and new ones.";
        return fitAccuracy > testAccuracy
            ? numbers + $": a gap of {F1(100 * (fitAccuracy - testAccuracy))} points, more than two standard errors, so part of what the network learned is specific to the training photos."
            : numbers + ": the test split is clearly easier than the fit set, which is unusual (a small or unrepresentative fit set).";
    }

    /// <summary>Hold-out against test accuracy of the chosen model (the assignment's "validation vs test" question).</summary>
    public static string HoldoutVersusTest(double holdout, int nHoldout, double test, int nTest)
    {
        string numbers = $"The chosen setting scored {Pct(holdout)} on the hold-out it was chosen on and {Pct(test)} on the test split";
        if (!CnnLabTraining.ClearlyDifferent(holdout, nHoldout, test, nTest))
            return numbers + ": within two standard errors — the hold-out predicted the test figure as well as its size allows.";
        return holdout > test
            ? numbers + ": the test figure is clearly lower, as expected of a figure that was maximised over settings (selection makes the hold-out optimistic)."
            : numbers + ": the test figure is clearly higher than the hold-out's; the hold-out was pessimistic for this setting.";
    }

    /// <summary>The last epoch's running training loss (train mode, augmented batches, weights moving) against the
    /// fit-set loss re-evaluated at the epoch's end (eval mode, plain photos).</summary>
    public static string RunningVersusFit(double running, double fit, bool augment, bool dropout)
    {
        string why = augment || dropout
            ? $"measured on {(augment ? "augmented photos" : "plain photos")}{(dropout ? " with dropout active" : "")} while the weights still move"
            : "measured while the weights still move";
        string numbers = $"In the last epoch the running training loss ({running:F3}, {why}) is";
        double tol = 0.02 * Math.Max(Math.Abs(fit), 1e-12);
        if (Math.Abs(running - fit) <= tol) return numbers + $" within 2 % of the re-evaluated fit-set loss ({fit:F3}).";
        return running > fit
            ? numbers + $" above the re-evaluated fit-set loss ({fit:F3}): the running figure overstates the loss of the epoch's final weights on the plain photos."
            : numbers + $" below the re-evaluated fit-set loss ({fit:F3}): the eval-mode network (batch-norm running statistics) does worse on the plain photos than the batches suggested.";
    }

    /// <summary>How the mistakes split between the two directions (a binomial check against an even split).</summary>
    public static string MistakeDirection(string a, string b, int aAsB, int bAsA)
    {
        int n = aAsB + bAsA;
        if (n == 0) return "No test photo was misclassified.";
        string numbers = $"Of the {n} mistakes, {aAsB} are {a} called {b} and {bAsA} are {b} called {a}";
        // Under an even split x ~ Binomial(n, ½), so x − (n − x) has standard deviation √n: within 2√n is noise.
        if (Math.Abs(aAsB - bAsA) <= 2 * Math.Sqrt(n))
            return numbers + ": an even split within binomial noise, so the network does not lean toward either class.";
        return aAsB > bAsA
            ? numbers + $": more than binomial noise allows, so the network leans toward '{b}'."
            : numbers + $": more than binomial noise allows, so the network leans toward '{a}'.";
    }

    /// <summary>Mean confidence (the top probability) against accuracy: overconfident, underconfident or calibrated within noise.</summary>
    public static string Calibration(double meanConfidence, double accuracy, int n)
    {
        string numbers = $"Its mean confidence on the test photos is {Pct(meanConfidence)} for an accuracy of {Pct(accuracy)}";
        double noise = 2 * Math.Max(CnnLabTraining.StandardError(accuracy, n), 1.0 / Math.Max(1, n));
        if (Math.Abs(meanConfidence - accuracy) <= noise) return numbers + ": calibrated within noise on average.";
        return meanConfidence > accuracy
            ? numbers + ": overconfident — on average its probabilities promise more than it delivers."
            : numbers + ": underconfident — it is right more often than its probabilities say.";
    }

    /// <summary>How many of the mistakes are confident (top probability ≥ 0.9).</summary>
    public static string ConfidentMistakes(int confident, int mistakes)
    {
        if (mistakes == 0) return "There are no mistakes to show.";
        if (confident == 0) return $"None of the {mistakes} mistakes has a probability of 0.9 or more: every error is a hesitant one.";
        return confident * 2 > mistakes
            ? $"{confident} of the {mistakes} mistakes have a probability of 0.9 or more: most errors are confident ones, not near-ties."
            : $"{confident} of the {mistakes} mistakes have a probability of 0.9 or more: most errors are hesitant, a minority confident.";
    }

    /// <summary>Accuracy on the photos closest to 50/50 against chance (½).</summary>
    public static string Unsure(int correct, int count, int belowSixty, int total)
    {
        if (count == 0) return "There is no test photo to show.";
        string numbers = $"Of the {count} photos closest to a 50/50 call, {correct} are classified correctly ({belowSixty} of the {total} test photos have a top probability below 0.6)";
        double p = (double)correct / count;
        return Math.Abs(p - 0.5) <= 2 * 0.5 / Math.Sqrt(count)
            ? numbers + ": about chance, as probabilities near ½ say they should be."
            : p > 0.5
                ? numbers + ": better than chance — even its near-ties lean the right way more often than not."
                : numbers + ": worse than chance.";
    }

    /// <summary>A property (brightness, contrast) of the misclassified photos against the correct ones (Welch's t, |t| &gt; 2).</summary>
    public static string Property(string what, string higher, string lower, IReadOnlyList<double> mistakes, IReadOnlyList<double> correct)
    {
        if (mistakes.Count < 2 || correct.Count < 2) return $"Too few photos to compare the {what} of mistakes and correct calls.";
        double m1 = mistakes.Average(), m2 = correct.Average();
        double v1 = mistakes.Sum(x => (x - m1) * (x - m1)) / (mistakes.Count - 1), v2 = correct.Sum(x => (x - m2) * (x - m2)) / (correct.Count - 1);
        double se = Math.Sqrt(v1 / mistakes.Count + v2 / correct.Count);
        double t = se > 0 ? (m1 - m2) / se : 0;
        string numbers = $"The misclassified photos' mean {what} is {m1:F3} against {m2:F3} for the correct ones (Welch t = {t:F1})";
        if (Math.Abs(t) <= 2) return numbers + $": no measurable difference, so {what} does not explain the mistakes.";
        return t > 0 ? numbers + $": the mistakes are measurably {higher}." : numbers + $": the mistakes are measurably {lower}.";
    }

    /// <summary>A technique measured beside the choice (flip averaging on the test split, the ensemble on the hold-out).</summary>
    public static string Beside(string technique, double with, double without, int n, string where)
    {
        string numbers = $"{technique}: {Pct(with)} against {Pct(without)} on the {where}";
        if (!CnnLabTraining.ClearlyDifferent(with, n, without, n)) return numbers + " — within two standard errors, no measurable gain here.";
        return with > without ? numbers + " — a clear gain." : numbers + " — clearly worse.";
    }

    /// <summary>Accuracy of the mean of several models' class probabilities (row-major [N, classes] each) against <paramref name="labels"/>.</summary>
    public static double EnsembleAccuracy(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, int classes)
    {
        if (probabilities.Count == 0 || labels.Count == 0) return double.NaN;
        foreach (var p in probabilities)
            if (p.Length != labels.Count * classes)
                throw new ArgumentException($"DogsVsCatsSays.EnsembleAccuracy: {p.Length} probabilities for {labels.Count} labels × {classes} classes");
        int correct = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            int best = 0;
            double bestP = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double m = probabilities.Average(p => p[i * classes + c]);
                if (m > bestP) { bestP = m; best = c; }
            }
            if (best == labels[i]) correct++;
        }
        return (double)correct / labels.Count;
    }

    /// <summary>Per photo of [N, C, H, W] pixels in [0, 1]: mean (brightness) and standard deviation (contrast) over all its values.</summary>
    public static (double[] Brightness, double[] Contrast) BrightnessContrast(Tensor raw)
    {
        if (raw.Rank != 4) throw new ArgumentException($"DogsVsCatsSays.BrightnessContrast: expected [N, C, H, W], got rank {raw.Rank}");
        int n = raw.Size(0), per = raw.Size(1) * raw.Size(2) * raw.Size(3);
        var all = raw.ToDoubleArray();
        var b = new double[n];
        var c = new double[n];
        for (int i = 0; i < n; i++)
        {
            var span = all.AsSpan(i * per, per);
            double mean = 0;
            foreach (double v in span) mean += v;
            mean /= per;
            double ss = 0;
            foreach (double v in span) ss += (v - mean) * (v - mean);
            b[i] = mean;
            c[i] = Math.Sqrt(ss / per);
        }
        return (b, c);
    }
}
