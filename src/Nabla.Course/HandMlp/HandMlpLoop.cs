using System.Diagnostics;

namespace Nabla.Course;

/// <summary>The training loop both homework MLPs share: for each epoch, the batches of <see cref="HandMlpBatches"/>,
/// one explicit forward/backward/update per batch, then the end-of-epoch evaluations.</summary>
internal static class HandMlpLoop
{
    /// <param name="step">runs forward, backward and update on the batch rows; returns the batch loss before the update</param>
    /// <param name="evaluate">loss and accuracy of a whole set</param>
    public static HandMlpHistory Run(Tensor x, int[] labels, HandMlpTrainOptions options, Tensor? validX, Tensor? validY,
        Func<Tensor, int[], double> step, Func<Tensor, Tensor, (double Loss, double Accuracy)> evaluate, Action<HandMlpEpoch>? onEpoch)
    {
        options.Validate();
        if ((validX is null) != (validY is null)) throw new ArgumentException("HandMlp training: give both validation inputs and labels, or neither");
        int n = x.Size(0);
        var yAll = Tensor.FromArray(labels, n);
        var steps = new List<double>();
        var epochs = new List<HandMlpEpoch>();
        for (int e = 0; e < options.Epochs; e++)
        {
            var clock = Stopwatch.StartNew();
            double sum = 0;
            int count = 0;
            foreach (var idx in HandMlpBatches.Epoch(n, options.BatchSize, options.Seed, e))
            {
                var yb = new int[idx.Length];
                for (int i = 0; i < idx.Length; i++) yb[i] = labels[idx[i]];
                double loss = step(HandMath.Rows(x, idx), yb);
                steps.Add(loss);
                sum += loss;
                count++;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            var (trL, trA) = options.EvaluateTrainingSet ? evaluate(x, yAll) : (double.NaN, double.NaN);
            var (vaL, vaA) = validX is not null ? evaluate(validX, validY!) : (double.NaN, double.NaN);
            var epoch = new HandMlpEpoch(e + 1, sum / count, trL, trA, vaL, vaA, seconds);
            epochs.Add(epoch);
            onEpoch?.Invoke(epoch);
        }
        return new HandMlpHistory(steps, epochs);
    }

    /// <summary>Mean loss and accuracy of a set, in consecutive batches of <paramref name="batchSize"/> rows.</summary>
    public static (double Loss, double Accuracy) Evaluate(Tensor x, int[] labels, int batchSize, Func<Tensor, Tensor> logits)
    {
        int n = x.Size(0);
        if (n == 0) return (double.NaN, double.NaN);
        double loss = 0;
        int right = 0;
        for (int s = 0; s < n; s += batchSize)
        {
            int len = Math.Min(batchSize, n - s);
            var z = logits(x.Narrow(0, s, len));
            var yb = labels.AsSpan(s, len).ToArray();
            loss += HandMath.CrossEntropy(z, yb) * len;
            var pred = HandMath.ArgMaxRows(z);
            for (int i = 0; i < len; i++) if (pred[i] == yb[i]) right++;
        }
        return (loss / n, (double)right / n);
    }
}
