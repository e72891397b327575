using Nabla.Data;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>One row of the Workbook Q8a ensemble check: the average of the softmax outputs of <see cref="Masks"/> thinned
/// networks (independent dropout masks, the training-time rule) against the weight-scaled network (the inference rule):
/// the ensemble's accuracy, the fraction of images on which its argmax equals the scaled network's, and the mean total
/// variation ½Σ_c |p̄_c − p_c| between the two probability vectors.</summary>
public sealed record EnsembleRow(int Masks, double Accuracy, double ArgmaxAgreement, double MeanTotalVariation);

/// <summary>Workbook Q8a: the thinned-network ensemble (rows for growing K) against the scaled network's accuracy.</summary>
public sealed record EnsembleCheck(int Images, double ScaledAccuracy, IReadOnlyList<EnsembleRow> Rows);

/// <summary>Workbook Q8a: train and validation accuracy and loss (eval mode) of the same MLP trained with and without
/// dropout, same epochs, rate, batches and initial weights.</summary>
public sealed record DropoutGapRow(string Model, double TrainAccuracy, double TrainLoss, double ValidationAccuracy, double ValidationLoss)
{
    /// <summary>Train minus validation accuracy (the generalisation gap, in accuracy).</summary>
    public double AccuracyGap => TrainAccuracy - ValidationAccuracy;

    /// <summary>Validation minus train loss.</summary>
    public double LossGap => ValidationLoss - TrainLoss;
}

public sealed partial class TrainingPathologiesLab
{
    /// <summary>The K at which the ensemble is reported (those ≤ the setting, and the setting itself).</summary>
    public static readonly int[] EnsembleMarks = [1, 2, 5, 10, 20, 50, 100, 200];

    /// <summary>Workbook Q8a: for every image of <paramref name="data"/>, the mean of softmax(net with a fresh dropout mask)
    /// over K masks (every <see cref="ScaledDropout"/> sampling as in training) against softmax of the network in eval mode
    /// (the dropout layers' current eval rule). The model's dropout settings are restored afterwards.</summary>
    public static EnsembleCheck MaskEnsemble(Sequential model, IDataset data, int masks, Generator generator)
    {
        var dropouts = model.Layers.OfType<ScaledDropout>().ToList();
        var saved = dropouts.Select(d => (d.KeepOnInEval, d.Generator)).ToList();
        var marks = EnsembleMarks.Where(k => k < masks).Append(masks).ToList();
        var correct = new double[marks.Count];
        var agree = new double[marks.Count];
        var tv = new double[marks.Count];
        double scaledCorrect = 0;
        int n = 0;
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            foreach (var (x, y) in MlpTraining.EvalLoader(data).Batches())
            {
                foreach (var d in dropouts) d.KeepOnInEval = false;
                var det = model.Invoke(x).Softmax(1).ToDoubleArray();
                var labels = y.ToArray<int>();
                int b = labels.Length, c = det.Length / b;
                foreach (var d in dropouts) { d.KeepOnInEval = true; d.Generator = generator; }
                var sum = new double[det.Length];
                int next = 0;
                for (int k = 1; k <= masks; k++)
                {
                    var p = model.Invoke(x).Softmax(1).ToDoubleArray();
                    for (int i = 0; i < sum.Length; i++) sum[i] += p[i];
                    if (k != marks[next]) continue;
                    for (int r = 0; r < b; r++)
                    {
                        int ens = ArgMax(sum, r * c, c), sc = ArgMax(det, r * c, c);
                        if (ens == labels[r]) correct[next]++;
                        if (ens == sc) agree[next]++;
                        double dist = 0;
                        for (int j = 0; j < c; j++) dist += Math.Abs(sum[r * c + j] / k - det[r * c + j]);
                        tv[next] += dist / 2;
                    }
                    next++;
                }
                for (int r = 0; r < b; r++) if (ArgMax(det, r * c, c) == labels[r]) scaledCorrect++;
                n += b;
            }
        }
        finally
        {
            model.Train(wasTraining);
            for (int i = 0; i < dropouts.Count; i++) (dropouts[i].KeepOnInEval, dropouts[i].Generator) = saved[i];
        }
        return new EnsembleCheck(n, scaledCorrect / n, marks.Select((k, i) => new EnsembleRow(k, correct[i] / n, agree[i] / n, tv[i] / n)).ToList());
    }

    private static int ArgMax(double[] v, int start, int count)
    {
        int best = 0;
        for (int j = 1; j < count; j++) if (v[start + j] > v[start + best]) best = j;
        return best;
    }

    /// <summary>Workbook Q8a: what the ensemble rows show, chosen by the numbers (agreement of the K-mask average with the
    /// scaled network, and whether the distance shrinks as K grows).</summary>
    public static string EnsembleSays(EnsembleCheck e)
    {
        var one = e.Rows[0];
        var last = e.Rows[^1];
        string trend = last.MeanTotalVariation < one.MeanTotalVariation
            ? $"Averaging brings the thinned networks toward the scaled one: the mean distance TV(p̄_K, p_scaled) falls from {F(one.MeanTotalVariation)} (K = {one.Masks}) to {F(last.MeanTotalVariation)} (K = {last.Masks})"
            : $"Averaging does not bring the thinned networks closer to the scaled one (distance {F(one.MeanTotalVariation)} at K = {one.Masks}, {F(last.MeanTotalVariation)} at K = {last.Masks})";
        string agreement = last.ArgmaxAgreement >= 0.98
            ? $"and the K = {last.Masks} average predicts the same class as the scaled network on {Pct(last.ArgmaxAgreement)} of the images " +
              $"(accuracy {Pct(last.Accuracy)} against {Pct(e.ScaledAccuracy)}). The one deterministic pass is a cheap stand-in for the average of " +
              $"2^n thinned networks that share their weights: dropout trains that ensemble, and an ensemble's average varies less than its members — " +
              "that, and units that cannot rely on particular partners being present (no co-adaptation), is why it regularises."
            : $"but the K = {last.Masks} average agrees with the scaled network's class on only {Pct(last.ArgmaxAgreement)} of the images " +
              $"(accuracy {Pct(last.Accuracy)} against {Pct(e.ScaledAccuracy)}): here the weight scaling is a loose approximation of the ensemble.";
        return $"{trend}, {agreement}";
    }

    /// <summary>Workbook Q8a: the generalisation gap with and without dropout, in words.</summary>
    public static string GapSays(DropoutGapRow without, DropoutGapRow with)
    {
        string gaps = $"Train − validation accuracy: {F(100 * without.AccuracyGap)} points without dropout, {F(100 * with.AccuracyGap)} with; " +
                      $"validation − train loss: {F(without.LossGap)} without, {F(with.LossGap)} with.";
        bool smaller = with.LossGap < without.LossGap && with.AccuracyGap <= without.AccuracyGap;
        bool larger = with.LossGap > without.LossGap && with.AccuracyGap >= without.AccuracyGap;
        string verdict = smaller
            ? " Dropout narrows the gap: it fits the training images less closely relative to how it does on new ones, the regularising effect."
            : larger ? " Here dropout does not narrow the gap (this budget may be too short for the network without dropout to overfit)."
            : " The two measures of the gap disagree, so this run does not show a clear regularising effect.";
        string acc = " On validation, " + Says.Compare("the network with dropout", 100 * with.ValidationAccuracy, "the one without", 100 * without.ValidationAccuracy, 0.2, " %") + ".";
        return gaps + verdict + acc;
    }
}
