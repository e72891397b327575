using System.Globalization;
using Nabla.Autograd;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Plots;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>
/// Weight initialisation of a 784-512-512-10 ReLU MLP on MNIST: zeros, N(0, 1) and Glorot/Xavier uniform, each
/// trained 10 epochs with the same plain SGD; per-epoch average training loss, curves and accuracies.
/// </summary>
public sealed class MlpInitLab : ILab
{
    public string Name => "mlp-init";

    public string Description => "MLP 784-512-512-10 on MNIST: zero vs N(0,1) vs Glorot init, 10 epochs of SGD";

    public static readonly int[] Hidden = [512, 512];
    public const double LearningRate = 0.01;
    public const int BatchSize = 64, FullEpochs = 10, QuickEpochs = 2;

    /// <summary>(label, Init.Apply_ scheme name, results.json key) of the three schemes, in report order.</summary>
    public static readonly (string Label, string Scheme, string Key)[] Schemes =
        [("Zero", "zeros", "zeros"), ("N(0,1)", "normal", "normal"), ("Glorot", "xavier_uniform", "glorot")];

    /// <summary>Pre-activation std per Linear layer, fraction of hidden units that are 0 on every probe image (per
    /// hidden layer) and mean loss, on the first 1000 validation images.</summary>
    private sealed record Probe(double[] PreStd, double[] Dead, double Loss);

    public LabResult Run(LabContext ctx)
    {
        int epochs = ctx.Quick ? QuickEpochs : FullEpochs;
        var data = MnistMlpKit.Load(ctx);
        long count = MnistMlpKit.DenseParameterCount([784, .. Hidden, 10]);
        var report = new LabReport(Name, "Weight initialisation of an MLP on MNIST");
        report.Paragraph($"""
            **Model.** MLP 784-{string.Join("-", Hidden)}-10 with ReLU after each hidden layer and a softmax
            cross-entropy loss: {count:N0} parameters (784·512 + 512 + 512·512 + 512 + 512·10 + 10).
            **Data.** MNIST standardised with mean 0.1307 and std 0.3081; {data.Train.Count:N0} training,
            {data.Validation.Count:N0} validation and {data.Test.Count:N0} test images{(ctx.Quick ? " (quick mode: small prefixes of the 50k/10k/10k split)" : " (the standard 50k/10k/10k split)")}.
            **Training.** Plain mini-batch SGD (no momentum, no weight decay), learning rate {LearningRate}, batch
            {BatchSize}, {epochs} epochs, the same shuffling seed for every scheme. Biases start at zero in every scheme.
            **Initialisations.** Zero: W = 0. N(0, 1): W_ij ~ N(0, 1). Glorot/Xavier uniform: W_ij ~ U(−d, d) with
            d = √(6 / (fan_in + fan_out)) (d = {Math.Sqrt(6.0 / (784 + 512)):0.####} for the first layer,
            {Math.Sqrt(6.0 / (512 + 512)):0.####} for the second, {Math.Sqrt(6.0 / (512 + 10)):0.####} for the output layer).
            """);

        var losses = new Dictionary<string, double[]>();
        var valAcc = new Dictionary<string, double[]>();
        var before = new Dictionary<string, Probe>();
        var after = new Dictionary<string, Probe>();
        var rows = new List<IReadOnlyList<object>>();
        string zeroNote = "";
        foreach (var (label, scheme, key) in Schemes)
        {
            ctx.Out.WriteLine($"init {label}");
            var model = Mlp.Create(new MlpOptions(Hidden: Hidden, Init: scheme), new Generator(ctx.Seed + 17));
            before[label] = Measure(model, data.Validation);
            var (trainer, fit) = MnistMlpKit.TrainSgd(model, data, epochs, LearningRate, BatchSize, ctx.Seed + 1, ctx.Out, label);
            after[label] = Measure(model, data.Validation);
            losses[label] = MnistMlpKit.TrainLosses(fit, epochs);
            valAcc[label] = Enumerable.Range(0, epochs).Select(e => e < fit.History.Count ? fit.History[e].ValidationAccuracy : double.NaN).ToArray();
            var val = MnistMlpKit.Evaluate(trainer, data.Validation);
            var test = MnistMlpKit.Evaluate(trainer, data.Test);
            rows.Add([label, before[label].Loss, losses[label][0], losses[label][^1], Pct(val.Accuracy), Pct(test.Accuracy),
                string.Join(" / ", after[label].Dead.Select(Pct)), fit.Diverged ? fit.StopReason : "completed"]);
            report.Metric($"{key}_final_train_loss", losses[label][^1]).Metric($"{key}_val_accuracy", val.Accuracy).Metric($"{key}_test_accuracy", test.Accuracy);
            for (int e = 0; e < epochs; e++) report.Metric($"{key}_train_loss_epoch{e + 1}", losses[label][e]);
            if (scheme == "zeros") zeroNote = ZeroInitNote(model);
        }

        report.Heading("Average training loss per epoch");
        report.Paragraph("Mean of the mini-batch losses over each epoch (the loss the optimiser saw while training).");
        report.Table(["epoch", .. Schemes.Select(s => s.Label)],
            Enumerable.Range(0, epochs).Select(e => (IReadOnlyList<object>)[e + 1, .. Schemes.Select(s => (object)losses[s.Label][e])]));
        var chart = new LineChart { Title = "MLP on MNIST: training loss by initialisation", XLabel = "epoch", YLabel = "average training loss (log scale)", LogY = true, IntegerXTicks = true };
        foreach (var (label, _, _) in Schemes) chart.Add(label, losses[label]);
        chart.SavePng(ctx.PathOf("init_loss.png"));
        report.Figure("init_loss.png", "Average training loss per epoch for the three initialisations (log-scale y axis).");

        report.Heading("Accuracy");
        report.Table(["init", "val loss before training", "train loss epoch 1", $"train loss epoch {epochs}", "validation accuracy", "test accuracy",
            "dead ReLUs after training (layer 1 / 2)", "run"], rows);
        report.Paragraph("Validation accuracy after each epoch:");
        report.Table(["epoch", .. Schemes.Select(s => s.Label)],
            Enumerable.Range(0, epochs).Select(e => (IReadOnlyList<object>)[e + 1, .. Schemes.Select(s => (object)Pct(valAcc[s.Label][e]))]));

        report.Heading("Pre-activation scale at initialisation");
        report.Paragraph($"Standard deviation of each layer's pre-activation z = W·h + b over the first {Math.Min(1000, data.Validation.Count)} validation images, before any training step.");
        report.Table(["init", "layer 1", "layer 2", "output (logits)"], Schemes.Select(s => (IReadOnlyList<object>)[s.Label, .. before[s.Label].PreStd.Select(v => (object)v)]));

        report.Heading("Discussion");
        report.Paragraph(Discussion(losses, valAcc, rows, before, after, zeroNote));
        return report.Save(ctx);
    }

    private static string Pct(double a) => double.IsNaN(a) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100 * a:F2}%");

    /// <summary>Runs the first 1000 images of <paramref name="data"/> through the layers one by one (no recording).</summary>
    private static Probe Measure(Sequential model, IDataset data)
    {
        using var _ = GradMode.NoGrad();
        var (x, y) = MnistMlpKit.EvalLoader(data).Batches().First();
        var stds = new List<double>();
        var dead = new List<double>();
        foreach (var layer in model.Layers)
        {
            x = layer.Invoke(x);
            if (layer is Linear) stds.Add(Std(x.ToDoubleArray()));
            else if (layer is ReLU) dead.Add(DeadFraction(x.ToDoubleArray(), x.Size(0)));
        }
        return new Probe(stds.ToArray(), dead.ToArray(), x.CrossEntropy(y).Item());
    }

    private static double Std(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / v.Length);
    }

    /// <summary>Fraction of columns of h [n, units] that are zero in every row (units that never fire).</summary>
    private static double DeadFraction(double[] h, int n)
    {
        int units = h.Length / n, dead = 0;
        for (int j = 0; j < units; j++)
        {
            bool fires = false;
            for (int i = 0; i < n && !fires; i++) fires = h[i * units + j] > 0;
            if (!fires) dead++;
        }
        return (double)dead / units;
    }

    /// <summary>What zero initialisation left after training: the weights and the output bias.</summary>
    private static string ZeroInitNote(Sequential model)
    {
        var linears = model.Layers.OfType<Linear>().ToList();
        double maxW = linears.Max(l => l.Weight.ToDoubleArray().Max(Math.Abs));
        double maxHiddenBias = linears.Take(linears.Count - 1).Max(l => l.Bias!.ToDoubleArray().Max(Math.Abs));
        var outBias = linears[^1].Bias!.ToDoubleArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"After training, the zero-initialised net still has max |W| = {maxW:G3} in every layer and max |b| = {maxHiddenBias:G3} in the hidden layers; " +
            $"only the output bias moved, to b₃ = [{string.Join(", ", outBias.Select(b => b.ToString("0.###", CultureInfo.InvariantCulture)))}], largest for class {Array.IndexOf(outBias, outBias.Max())}.");
    }

    private static string Discussion(Dictionary<string, double[]> losses, Dictionary<string, double[]> valAcc, List<IReadOnlyList<object>> rows,
        Dictionary<string, Probe> before, Dictionary<string, Probe> after, string zeroNote)
    {
        string F(object v) => LabReport.Format(v);
        var n = before["N(0,1)"];
        var g = before["Glorot"];
        var nAcc = valAcc["N(0,1)"];
        int nBest = Array.IndexOf(nAcc, nAcc.Max());
        return $"""
            **Zero.** Every hidden unit computes the same function and receives the same gradient, so the units would
            stay identical to each other forever (the symmetry is never broken). Worse, with ReLU the hidden
            pre-activations are exactly 0, ReLU'(0) = 0 and h = 0, so ∂L/∂W = 0 in every layer and for the hidden
            biases: only the output bias learns. The network outputs the same logits for every image, the best of
            which are the log class frequencies, so the training loss can only fall to the entropy of the label
            distribution (≈ 2.30 = ln 10 for nearly balanced classes): {F(losses["Zero"][0])} → {F(losses["Zero"][^1])}.
            It predicts one class for every image, hence a test accuracy of {rows[0][5]}, the share of that class in the
            test set. {zeroNote}

            **N(0, 1).** With unit-variance weights each layer multiplies the pre-activation variance by about
            fan_in·E[h²] (784 standardised inputs, then 512 ReLUs of which about half are active): standard
            deviations of {F(n.PreStd[0])}, {F(n.PreStd[1])} and {F(n.PreStd[2])} in layer 1, layer 2 and the logits, against
            {F(g.PreStd[0])}, {F(g.PreStd[1])} and {F(g.PreStd[2])} with Glorot. Logits thousands apart saturate the softmax (one
            class gets probability ≈ 1), so every mistake costs a loss of the order of the logit gap: {F(n.Loss)} on
            validation images before training (Glorot: {F(g.Loss)}). The gradients are equally huge, so the first SGD
            steps are violent; the first epoch averages a loss of {F(losses["N(0,1)"][0])}, and although the loss keeps
            falling ({F(losses["N(0,1)"][^1])} after epoch {losses["N(0,1)"].Length}) it stays about
            {losses["N(0,1)"][^1] / losses["Glorot"][^1]:F0}× the Glorot loss. The huge random weights do act as random
            features that are already fairly discriminative (validation accuracy {Pct(nAcc[0])} after one epoch), but
            {(nBest == 0 ? "training does not improve on them: validation accuracy is best after epoch 1" : $"training improves on them only slowly: the best epoch is epoch {nBest + 1} ({Pct(nAcc[nBest])})")}
            and the final test accuracy is {rows[1][5]}, against {rows[2][5]} for Glorot. Dead ReLUs after training (no
            activation on any of 1000 validation images): {rows[1][6]} for N(0, 1), {rows[2][6]} for
            Glorot{(after["N(0,1)"].Dead.Max() > 0.05 ? " — units that the huge early updates pushed into the flat half of the ReLU for good, where they get no gradient" : "")}.

            **Glorot.** d = √(6/(fan_in + fan_out)) keeps the variance of the activations and of the back-propagated
            gradients roughly constant from layer to layer (pre-activation std ≈ 1 everywhere, initial
            validation loss {F(g.Loss)}, near the ln 10 ≈ 2.30 of a uniform guess), so SGD starts in a well-conditioned regime: {F(losses["Glorot"][0])} after the first
            epoch, {F(losses["Glorot"][^1])} after the last, and {rows[2][4]} validation / {rows[2][5]} test accuracy with
            nothing more than plain SGD at a small learning rate (the curve is still falling: more epochs or a larger
            rate would gain more).
            """;
    }
}
