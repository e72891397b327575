namespace Nabla.Labs;

/// <summary>The rules that choose the worked-exercises report's interpretive sentences from its numbers.</summary>
public static class WorkedExercisesSays
{
    private static string F(double v) => LabReport.Format(v);

    /// <summary>Whether the library and the hand arithmetic agree on every checked answer.</summary>
    public static string Agreement(Exercise e, double tol)
    {
        var checkedAnswers = e.Answers.Where(a => a.Note.Length == 0 || !a.Note.StartsWith("not", StringComparison.Ordinal)).ToList();
        var bad = checkedAnswers.Where(a => !(a.MaxRelativeDifference <= tol)).ToList();
        double worst = checkedAnswers.Count == 0 ? 0 : checkedAnswers.Max(a => a.MaxDifference);
        return bad.Count == 0
            ? $"The library and the hand arithmetic agree on {(checkedAnswers.Count == 1 ? "the answer" : $"all {checkedAnswers.Count} answers")} (largest |difference| {F(worst)}, within {F(tol)} relative)."
            : $"The library and the hand arithmetic disagree on {bad.Count} of {checkedAnswers.Count} answers: {string.Join("; ", bad.Select(a => $"{a.Name} (by {F(a.MaxDifference)})"))}.";
    }

    /// <summary>How a total loss changed.</summary>
    public static string LossChange(string what, double before, double after)
    {
        if (after < before) return $"{what}: the total loss falls from {F(before)} to {F(after)} ({F(100 * (before - after) / before)} % lower)";
        if (after > before) return $"{what}: the total loss rises from {F(before)} to {F(after)} ({F(after / before)} times higher): the steps overshoot";
        return $"{what}: the total loss stays at {F(before)}";
    }

    /// <summary>Whether AdaGrad ends with a lower total loss than SGD after the seed's epochs and after all of them.</summary>
    public static string AdaGradHelps(IReadOnlyList<double> sgd, IReadOnlyList<double> ada, int seedEpochs)
    {
        int k = Math.Min(seedEpochs, Math.Min(sgd.Count, ada.Count)) - 1;
        string at(int i) => Says.Compare("AdaGrad", ada[i], "SGD", sgd[i], 1e-12 * Math.Max(1, sgd[i]), higherIsBetter: false);
        string first = $"After epoch {k + 1}: {at(k)}";
        if (sgd.Count <= seedEpochs || ada.Count <= seedEpochs) return first + ".";
        return first + $"; after epoch {sgd.Count}: {at(sgd.Count - 1)}.";
    }

    /// <summary>Whether flipping the kernel changes a result.</summary>
    public static string FlipMatters(string what, Answer correlation, Answer convolution)
    {
        double d = correlation.Library.Zip(convolution.Library).Max(p => Math.Abs(p.First - p.Second));
        return d == 0
            ? $"{what}: cross-correlation and convolution give the same result — the kernel is unchanged by a 180° rotation, so the flip convention does not matter here."
            : $"{what}: cross-correlation and convolution differ (by up to {F(d)}) — the kernel changes under a 180° rotation, so the convention matters.";
    }

    /// <summary>The predicted class from P(y = 1), with the tie at exactly ½ named.</summary>
    public static string PredictedClass(string what, double p)
    {
        if (p == 0.5) return $"{what}: P(y = 1) = σ(0) = 0.5 exactly — the input sits on the decision boundary; with the rule P ≥ 0.5 → 1 the predicted class is 1, with P > 0.5 → 1 it would be 0.";
        return p > 0.5 ? $"{what}: P(y = 1) = {F(p)} > 0.5, predicted class 1." : $"{what}: P(y = 1) = {F(p)} < 0.5, predicted class 0.";
    }

    /// <summary>What the Q15 outputs say.</summary>
    public static string RnnOutputs(IReadOnlyList<double> y, IReadOnlyList<double[]> x)
    {
        int hi = Enumerable.Range(0, y.Count).MaxBy(t => y[t]), lo = Enumerable.Range(0, y.Count).MinBy(t => y[t]);
        int hiX = Enumerable.Range(0, x.Count).MaxBy(t => x[t].Sum()), loX = Enumerable.Range(0, x.Count).MinBy(t => x[t].Sum());
        string level = y.All(v => v > 0.5) ? "Every step's output is above 0.5: the network always predicts a backpropagation question"
            : y.All(v => v < 0.5) ? "Every step's output is below 0.5: the network never predicts a backpropagation question"
            : "The outputs cross 0.5";
        string follow = hi == hiX && lo == loX
            ? $"; the highest chance is at t = {hi + 1}, the step with the newest and hardest topics, and the lowest at t = {lo + 1}, where novelty + difficulty is smallest — all weights are positive, so the output follows the inputs (and, through W, the previous state)"
            : $"; the highest chance is at t = {hi + 1} and the lowest at t = {lo + 1}, while novelty + difficulty peaks at t = {hiX + 1} and is lowest at t = {loX + 1}: the recurrent state shifts the response";
        return level + follow + ".";
    }

    /// <summary>Q17: whether the output at t = 1 equals the one at t = 3.</summary>
    public static string SameOutput(double o1, double o3, double x1, double x3, double tol = 1e-12)
    {
        if (Math.Abs(o1 - o3) <= tol)
            return $"The outputs at t = 1 and t = 3 are equal ({F(o1)}).";
        string why = x1 == x3 ? $"although x⁽¹⁾ = x⁽³⁾ = {F(x1)}: at t = 3 the cell starts from s⁽²⁾ and h⁽²⁾, not from 0, so the gates and the cell state differ" : "the inputs differ too";
        return $"No: the output at t = 1 is {F(o1)} and at t = 3 it is {F(o3)}, {why}.";
    }

    /// <summary>Q6c: which gradients the L1 term changed, and the weights with no data gradient that it still moves.</summary>
    public static string L1Effect(Answer plain, Answer regularised, double lambda)
    {
        int changed = plain.Library.Zip(regularised.Library).Count(p => p.First != p.Second);
        int onlyPenalty = plain.Library.Zip(regularised.Library).Count(p => p.First == 0 && p.Second != 0);
        string a = $"The L1 term changes {changed} of the {plain.Library.Length} gradients by ±λ = ±{F(lambda)}";
        string b = onlyPenalty > 0
            ? $"; {onlyPenalty} of them had a data gradient of exactly 0 (a hidden unit whose ReLU is off for this x), so without regularisation those weights would not move, while with L1 they are pulled towards 0 — the sparsity L1 is known for"
            : "; every weight already had a non-zero data gradient, so L1 only shifts each towards 0 by a constant amount";
        return a + b + ".";
    }

    /// <summary>Q8b: textbook versus library (rescaled) prediction.</summary>
    public static string DropoutScaling(double textbook, double library, double p)
    {
        if (textbook == library) return $"With these masks the textbook prediction and the library's inverted-dropout prediction (p = {F(p)}) coincide ({F(textbook)}).";
        return $"The textbook prediction ({F(textbook)}) and the library's inverted-dropout prediction with p = {F(p)} ({F(library)}) differ: the library multiplies kept units by 1/(1 − p) = {F(1 / (1 - p))} so that nothing needs rescaling at test time; its Dropout(mask, p: 0) reproduces the textbook.";
    }

    /// <summary>24789 P4b: whether any stride keeps the size.</summary>
    public static string SameSizePossible(int strideCount, IReadOnlyList<double> sizes)
        => strideCount == 0
            ? $"No stride keeps the 4×4 size with the 2×2 Filter2 and p = 1: the output is {string.Join(", ", sizes.Select((s, i) => $"{F(s)} at s = {i + 1}"))} — a 2×2 kernel with symmetric padding 1 adds one row (5 × 5 at s = 1), and any larger stride at least halves it."
            : $"{strideCount} stride(s) keep the size.";

    /// <summary>IFT6135 Q8: whether reading d literally changes the answer.</summary>
    public static string DilationReading(Answer seedReading, Answer literal)
        => seedReading.Library.SequenceEqual(literal.Library)
            ? $"Here reading d literally gives the same answer ({LabSettings.Show(seedReading.Library)})."
            : $"Reading the seed's d as the library's dilation changes the answer: [{string.Join(", ", seedReading.Library.Select(F))}] with the seed's convention vs [{string.Join(", ", literal.Library.Select(F))}] literally.";
}
