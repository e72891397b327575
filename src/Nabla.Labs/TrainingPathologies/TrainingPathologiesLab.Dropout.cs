using Nabla.NN;
using Nabla.Training;

namespace Nabla.Labs;

/// <summary>One (trained model, inference rule) pair of part (b). <see cref="ExpectedRatio"/> = EvalScale/(TrainScale·(1 − p))
/// per dropout layer, the factor by which the rule scales a dropout layer's output relative to its training-time mean (1 when
/// the rule matches training; "left on" is 1 in expectation); <see cref="MeasuredRatio"/> = mean input of the output layer
/// under the rule ÷ its mean in training mode (averaged over masks), on the validation images, where the factors of all
/// dropout layers have compounded.</summary>
public sealed record DropoutRow(string Training, string AtTest, string Key, bool Matches, double ExpectedRatio, double MeasuredRatio,
    double ValidationAccuracy, double ValidationLoss, double TestAccuracy, double TestLoss);

/// <summary>Part (b): two dropout MLPs (inverted and textbook) and the inference rules tried on each; Workbook Q8a's
/// thinned-network ensemble (on the inverted model) and the train/validation gap with and without dropout.</summary>
public sealed record DropoutStudy(double P, int[] Hidden, int DropoutLayers, int Epochs, double LearningRate,
    double[] InvertedTrainLoss, double[] TextbookTrainLoss, IReadOnlyList<DropoutRow> Rows, EnsembleCheck Ensemble,
    IReadOnlyList<DropoutGapRow> Gap);

public sealed partial class TrainingPathologiesLab
{
    private static DropoutStudy RunDropoutStudy(TrainingPathologiesSettings s, LabMnist data, LabKit kit)
    {
        double p = s.DropP;
        var rows = new List<DropoutRow>();
        var losses = new List<double[]>();
        // (training label, key, training scale, rules: (at-test label, key, eval scale, keep on))
        var plans = new (string Training, string Key, double TrainScale, (string AtTest, string Key, double EvalScale, bool KeepOn)[] Rules)[]
        {
            ($"inverted: y = x ⊙ m/(1 − p)", "inverted", 1 / (1 - p),
                [("y = x (the library's eval mode)", "identity", 1, false), ("y = (1 − p)·x (textbook rule, wrong here)", "scaled", 1 - p, false),
                 ("dropout left on (one random mask)", "on", 1, true)]),
            ($"textbook: y = x ⊙ m", "textbook", 1,
                [("y = (1 − p)·x (textbook rule)", "scaled", 1 - p, false), ("y = x (no rescaling at all)", "identity", 1, false)]),
        };
        EnsembleCheck? ensemble = null;
        var gap = new List<DropoutGapRow>();
        foreach (var plan in plans)
        {
            kit.Out.WriteLine($"(b) dropout p = {p}, {plan.Training}");
            var model = DropoutMlp(s.DropoutHidden, p, plan.TrainScale, kit.Generator(201));
            var (trainer, fit) = MlpTraining.TrainSgd(model, data, s.DropoutEpochs, s.DropoutLearningRate, s.BatchSize, kit.Seed + 202, kit.Out, plan.Key);
            if (plan.Key == "inverted")
            {
                ensemble = MaskEnsemble(model, data.Validation, s.EnsembleMasks, kit.Generator(206));
                kit.Out.WriteLine($"    Q8a: {s.EnsembleMasks} thinned nets averaged: val acc {100 * ensemble.Rows[^1].Accuracy:F2}% vs scaled net {100 * ensemble.ScaledAccuracy:F2}%, same class on {100 * ensemble.Rows[^1].ArgmaxAgreement:F2}%");
                gap.Add(GapRow($"dropout p = {p} (inverted)", trainer, data));
            }
            losses.Add(MlpTraining.Series(fit, s.DropoutEpochs, e => e.TrainLoss));
            var dropouts = model.Layers.OfType<ScaledDropout>().ToList();
            double trainMean = OutputInputMean(model, data.Validation, training: true, kit.Generator(203));
            foreach (var (atTest, ruleKey, evalScale, keepOn) in plan.Rules)
            {
                var masks = keepOn ? kit.Generator(204) : null;   // one stream shared by the layers
                foreach (var d in dropouts)
                {
                    d.EvalScale = evalScale;
                    d.KeepOnInEval = keepOn;
                    d.Generator = masks;
                }
                double measured = OutputInputMean(model, data.Validation, training: false, kit.Generator(205)) / trainMean;
                var val = MlpTraining.Evaluate(trainer, data.Validation);
                var test = MlpTraining.Evaluate(trainer, data.Test);
                double expected = keepOn ? 1 : evalScale / dropouts[0].ExpectedTrainFactor;
                rows.Add(new DropoutRow(plan.Training, atTest, $"{plan.Key}_{ruleKey}", Math.Abs(expected - 1) < 1e-12, expected, measured,
                    val.Accuracy, val.Loss, test.Accuracy, test.Loss));
                kit.Out.WriteLine($"    at test {atTest}: scale ratio {measured:F3}, val acc {100 * val.Accuracy:F2}%, val loss {val.Loss:F3}");
            }
            foreach (var d in dropouts) { d.EvalScale = 1; d.KeepOnInEval = false; d.Generator = null; }
        }
        kit.Out.WriteLine("(b) Q8a: the same MLP without dropout");
        var plain = DropoutMlp(s.DropoutHidden, 0, 1, kit.Generator(201));
        var (plainTrainer, _) = MlpTraining.TrainSgd(plain, data, s.DropoutEpochs, s.DropoutLearningRate, s.BatchSize, kit.Seed + 202, kit.Out, "no-dropout");
        gap.Insert(0, GapRow("no dropout", plainTrainer, data));
        return new DropoutStudy(p, s.DropoutHidden, s.DropoutHidden.Length, s.DropoutEpochs, s.DropoutLearningRate, losses[0], losses[1], rows,
            ensemble!, gap);
    }

    private static DropoutGapRow GapRow(string name, Trainer trainer, LabMnist data)
    {
        var tr = MlpTraining.Evaluate(trainer, data.Train);
        var va = MlpTraining.Evaluate(trainer, data.Validation);
        return new DropoutGapRow(name, tr.Accuracy, tr.Loss, va.Accuracy, va.Loss);
    }

    /// <summary>Flatten → [Linear → ReLU → ScaledDropout] per hidden width → Linear: dropout acts on the input of every
    /// Linear after the first, as in the question's y = W(x ⊙ m).</summary>
    public static Sequential DropoutMlp(int[] hidden, double p, double trainScale, Generator generator)
    {
        var net = new Sequential(new Flatten());
        int width = 784;
        foreach (int h in hidden)
        {
            net.Add(new Linear(width, h, generator: generator)).Add(new ReLU()).Add(new ScaledDropout(p, trainScale));
            width = h;
        }
        return net.Add(new Linear(width, 10, generator: generator));
    }

    /// <summary>Mean of the output layer's input over the first 1000 images of <paramref name="data"/>, in training mode
    /// (random masks; mean of 4 passes) or in eval mode (the dropout layers' current rule).</summary>
    private static double OutputInputMean(Sequential model, Data.IDataset data, bool training, Generator generator)
    {
        var (x, _) = MlpTraining.EvalLoader(data).Batches().First();
        var output = model.Layers.OfType<Linear>().Last();
        double sum = 0;
        int passes = training ? 4 : 1;
        using var hook = output.RegisterForwardHook((_, input, _) => sum += input.ToDoubleArray().Average());
        var dropouts = model.Layers.OfType<ScaledDropout>().ToList();
        var saved = dropouts.Select(d => d.Generator).ToList();
        bool wasTraining = model.Training;
        model.Train(training);
        try
        {
            if (training) foreach (var d in dropouts) d.Generator = generator;
            using var _ = GradMode.NoGrad();
            for (int i = 0; i < passes; i++) model.Invoke(x);
        }
        finally
        {
            model.Train(wasTraining);
            for (int i = 0; i < dropouts.Count; i++) dropouts[i].Generator = saved[i];
        }
        return sum / passes;
    }
}
