
namespace Nabla.Training;

/// <summary>Classification metrics on raw outputs (not recorded by autograd).</summary>
public static class Metrics
{
    /// <summary>Number of rows of <paramref name="logits"/> [N, C] whose argmax equals the int32 label.
    /// For one output column ([N] or [N, 1], a binary logit) the prediction is logit > 0 and labels are 0/1.</summary>
    public static int CorrectCount(Tensor logits, Tensor labels)
    {
        var y = labels.ToDoubleArray();
        var z = logits.ToDoubleArray();
        int n = y.Length;
        if (n == 0) return 0;
        if (z.Length % n != 0)
            throw ShapeMismatchException.For("Accuracy", "outputs and labels disagree on the batch size", logits.Shape.ToArray(), labels.Shape.ToArray());
        int c = z.Length / n, correct = 0;
        for (int i = 0; i < n; i++)
        {
            int pred;
            if (c == 1) pred = z[i] > 0 ? 1 : 0;
            else
            {
                pred = 0;
                for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + pred]) pred = j;
            }
            if (pred == (int)y[i]) correct++;
        }
        return correct;
    }

    public static double Accuracy(Tensor logits, Tensor labels) => labels.Numel == 0 ? double.NaN : (double)CorrectCount(logits, labels) / labels.Numel;

    /// <summary>counts[true, predicted] for <paramref name="classes"/> classes.</summary>
    public static int[,] ConfusionMatrix(Tensor logits, Tensor labels, int classes)
    {
        var m = new int[classes, classes];
        var y = labels.ToArray<int>();
        var z = logits.ToDoubleArray();
        int c = z.Length / Math.Max(1, y.Length);
        for (int i = 0; i < y.Length; i++)
        {
            int pred = 0;
            for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + pred]) pred = j;
            m[y[i], pred]++;
        }
        return m;
    }
}
