using System.Diagnostics;
using Nabla.Models;
using Nabla.Optim;

namespace Nabla.Labs;

/// <summary>Sizes and training of the gru-vs-lstm lab: the TREC classifiers, the clipping demonstration and the
/// long-dependency sweep on the adding task.</summary>
public sealed record GruVsLstmSettings
{
    [Setting("TREC: training questions kept from the fixed shuffle, a tenth held out for validation (none = all 5,452)", Min = 10)] public int? TrainQuestions { get; init; }
    [Setting("TREC: TREC-10 test questions kept (none = all 500)", Min = 1)] public int? TestQuestions { get; init; }
    [Setting("TREC: embedding dimension D", Min = 1, Max = 4096)] public int EmbeddingDim { get; init; }
    [Setting("TREC: hidden size H of every cell", Min = 1, Max = 4096)] public int HiddenSize { get; init; }
    [Setting("TREC: sentence vector (Last = h at the last real token, Mean = masked mean of h_t)")] public SentencePooling Pooling { get; init; } = SentencePooling.Last;
    [Setting("TREC: dropout p on the sentence vector", Min = 0, Max = 0.99)] public double Dropout { get; init; } = 0.5;
    [Setting("TREC: minibatch size", Min = 1, Max = 10_000)] public int BatchSize { get; init; } = 50;
    [Setting("TREC: Adam learning rate", Min = 0)] public double LearningRate { get; init; } = 1e-3;
    [Setting("TREC: L2 weight decay", Min = 0)] public double WeightDecay { get; init; }
    [Setting("TREC: epochs run; the epoch with the best validation accuracy is kept", Min = 1, Max = 10_000)] public int Epochs { get; init; }

    [Setting("adding task: sequences per training step (every model)", Min = 1, Max = 10_000)] public int TaskBatchSize { get; init; } = 64;
    [Setting("adding task: held-out sequences the final models are scored on", Min = 10, Max = 1_000_000)] public int TaskTestSequences { get; init; }

    [Setting("clipping: nonlinearity of the plain RNN (tanh or relu)")] public string ClipNonlinearity { get; init; } = "relu";
    [Setting("clipping: sequence length T", Min = 2, Max = 10_000)] public int ClipLength { get; init; }
    [Setting("clipping: hidden size of the plain RNN", Min = 1, Max = 4096)] public int ClipHidden { get; init; }
    [Setting("clipping: plain SGD learning rate (large on purpose)", Min = 0)] public double ClipLearningRate { get; init; }
    [Setting("clipping: training steps of each run", Min = 1, Max = 1_000_000)] public int ClipSteps { get; init; }
    [Setting("clipping: threshold τ of the clipped run (g ← g·τ/‖g‖ when ‖g‖ > τ)", Min = 1e-9)] public double ClipMaxNorm { get; init; } = 1;

    [Setting("long dependencies: sequence lengths T (comma-separated)", Min = 2, Max = 10_000)] public int[] Lengths { get; init; } = [];
    [Setting("long dependencies: hidden size of every cell", Min = 1, Max = 4096)] public int LongHidden { get; init; }
    [Setting("long dependencies: Adam learning rate", Min = 0)] public double LongLearningRate { get; init; }
    [Setting("long dependencies: training steps per model and length", Min = 1, Max = 1_000_000)] public int LongSteps { get; init; }
    [Setting("long dependencies: gradient-norm clipping threshold of every run", Min = 1e-9)] public double LongMaxNorm { get; init; } = 1;
    [Setting("long dependencies: a run counts as solving the task when its test MSE is below this fraction of the target variance", Min = 0, Max = 1)] public double SolvedBelow { get; init; } = 0.1;

    public SentenceTrainSettings Trec => new(LearningRate, WeightDecay, BatchSize, Epochs);
}

/// <summary>One TREC classifier: its cell, the run, the recurrent layer's parameters and its tensor sizes.</summary>
public sealed record CellRun(RecurrentCell Cell, SentenceRun Run, long LayerParameters, IReadOnlyList<TensorSizeRow> Sizes);

/// <summary>One model trained on the adding task: gradient norm (before clipping) and loss per step up to the first
/// non-finite one, the step at which the loss or gradient became non-finite (null = never), the test MSE and the test
/// targets' variance (the MSE of predicting their mean), steps whose norm exceeded the threshold, time and parameters.</summary>
public sealed record TaskRun(string Name, RecurrentCell Cell, int Length, double[] GradNorms, double[] Losses, int? DivergedAtStep,
    double TestMse, double TargetVariance, int ClippedSteps, double Seconds, long Parameters)
{
    /// <summary>Test MSE as a fraction of the target variance (1 = no better than predicting the mean; NaN when diverged).</summary>
    public double RelativeMse => TestMse / TargetVariance;
}

/// <summary>Everything the report shows.</summary>
public sealed record GruVsLstmResult(TrecSummary Data, IReadOnlyList<CellRun> Trec, TaskRun Unclipped, TaskRun Clipped, IReadOnlyList<TaskRun> Long)
{
    public CellRun Of(RecurrentCell c) => Trec.First(r => r.Cell == c);
}

/// <summary>
/// Workbook Q16b, c, e: the sentence-rnn lab's TREC classifier with a plain RNN, a GRU and an LSTM cell (parameters,
/// time per epoch, accuracy); gradient clipping on the adding task where an unclipped ReLU RNN with a large SGD step
/// blows up; and plain RNN vs GRU vs LSTM on the adding task as the sequence grows.
/// </summary>
public sealed partial class GruVsLstmLab : Lab<GruVsLstmSettings, GruVsLstmResult>
{
    public static readonly RecurrentCell[] Cells = [RecurrentCell.Rnn, RecurrentCell.Gru, RecurrentCell.Lstm];

    public override string Name => "gru-vs-lstm";
    public override string Description => "RNN vs GRU vs LSTM on TREC (parameters, time, accuracy), gradient clipping and long dependencies on the adding task";
    public override string Title => "GRU vs LSTM vs plain RNN: parameters, speed, accuracy, clipping and long dependencies";

    public override GruVsLstmSettings Quick => new()
    {
        TrainQuestions = 400, TestQuestions = 100, EmbeddingDim = 16, HiddenSize = 16, Epochs = 2,
        TaskBatchSize = 16, TaskTestSequences = 100,
        ClipLength = 10, ClipHidden = 16, ClipLearningRate = 0.3, ClipSteps = 60,
        Lengths = [5, 10], LongHidden = 8, LongLearningRate = 1e-2, LongSteps = 20,
    };

    public override GruVsLstmSettings Full => new()
    {
        EmbeddingDim = 300, HiddenSize = 150, Epochs = 10,
        TaskTestSequences = 1000,
        ClipLength = 10, ClipHidden = 32, ClipLearningRate = 0.3, ClipSteps = 2000,
        Lengths = [10, 25, 50, 100], LongHidden = 32, LongLearningRate = 1e-2, LongSteps = 3000,
    };

    public override GruVsLstmResult Experiment(GruVsLstmSettings s, LabKit kit)
    {
        if (s.Lengths.Length == 0) throw new ArgumentException($"lab '{Name}': lengths must list at least one sequence length");
        if (s.ClipNonlinearity is not ("tanh" or "relu")) throw new ArgumentException($"lab '{Name}': clip-nonlinearity must be tanh or relu, got '{s.ClipNonlinearity}'");

        var data = kit.Trec(s.TrainQuestions, s.TestQuestions, minLength: 1);
        var trec = new List<CellRun>();
        foreach (var cell in Cells)
        {
            var model = new RecurrentSentenceClassifier(cell, data.Vocabulary.Count, 6, s.EmbeddingDim, s.HiddenSize, s.Pooling, s.Dropout,
                new Generator(kit.Seed * 1000 + 40 + (ulong)cell));
            var sizes = SentenceTraining.Sizes(kit, RecurrentCells.Label(cell) + " classifier", model, s.BatchSize, data.LongestSentence);
            var run = SentenceTraining.Train(kit, RecurrentCells.Label(cell), model, data, s.Trec, restoreBestValidation: true);
            trec.Add(new CellRun(cell, run, model.Recurrent.ParameterCount(), sizes));
        }

        kit.Out.WriteLine($"gradient clipping: plain {s.ClipNonlinearity} RNN, T = {s.ClipLength}, SGD η = {s.ClipLearningRate}");
        var clipTest = AddingTask.Batch(s.TaskTestSequences, s.ClipLength, new Random(TestSeed(kit, s.ClipLength)));
        TaskRun Clip(string name, double? maxNorm)
        {
            var m = new SequenceRegressor(RecurrentCell.Rnn, s.ClipHidden, new Generator(kit.Seed * 1000 + 60), s.ClipNonlinearity);
            return TrainTask(kit, name, m, new Sgd(m.Parameters(), new SgdOptions(s.ClipLearningRate)), s.ClipLength, s.ClipSteps, s.TaskBatchSize,
                maxNorm, DataSeed(kit, s.ClipLength), clipTest);
        }
        var unclipped = Clip("unclipped", null);
        var clipped = Clip($"clipped at τ = {LabReport.Format(s.ClipMaxNorm)}", s.ClipMaxNorm);

        var longRuns = new List<TaskRun>();
        foreach (int length in s.Lengths)
        {
            var test = AddingTask.Batch(s.TaskTestSequences, length, new Random(TestSeed(kit, length)));
            foreach (var cell in Cells)
            {
                var m = new SequenceRegressor(cell, s.LongHidden, new Generator(kit.Seed * 1000 + 70 + (ulong)cell));
                longRuns.Add(TrainTask(kit, $"{RecurrentCells.Label(cell)} T = {length}", m, new Adam(m.Parameters(), new AdamOptions(s.LongLearningRate)),
                    length, s.LongSteps, s.TaskBatchSize, s.LongMaxNorm, DataSeed(kit, length), test));
            }
        }
        return new GruVsLstmResult(data.Summary, trec, unclipped, clipped, longRuns);
    }

    private static int DataSeed(LabKit kit, int length) => (int)(kit.Seed % 100_000) * 10_000 + length;

    private static int TestSeed(LabKit kit, int length) => DataSeed(kit, length) + 5_000;

    /// <summary>Trains a regressor on fresh adding-task batches (MSE), recording the total gradient norm before
    /// clipping; with <paramref name="maxNorm"/> the gradients are rescaled to norm τ when larger. Stops at the first
    /// non-finite loss or gradient norm (divergence). Scores the final model once on <paramref name="test"/>.</summary>
    public static TaskRun TrainTask(LabKit kit, string name, SequenceRegressor model, Optimizer optimizer, int length, int steps, int batch,
        double? maxNorm, int dataSeed, (Tensor X, Tensor Y) test)
    {
        var rng = new Random(dataSeed);
        var norms = new List<double>();
        var losses = new List<double>();
        int? diverged = null;
        int clippedSteps = 0;
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= steps; step++)
        {
            var (x, y) = AddingTask.Batch(batch, length, rng);
            optimizer.ZeroGrad();
            var loss = model.Invoke(x).MseLoss(y);
            double l = loss.Item();
            if (!double.IsFinite(l)) { diverged = step; break; }
            loss.Backward();
            double norm = GradClip.ClipGradNorm_(model.Parameters(), maxNorm ?? double.PositiveInfinity);
            if (!double.IsFinite(norm)) { diverged = step; break; }
            if (maxNorm is double tau && norm > tau) clippedSteps++;
            norms.Add(norm);
            losses.Add(l);
            optimizer.Step();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double mse;
        using (GradMode.NoGrad()) mse = model.Invoke(test.X).MseLoss(test.Y).Item();
        if (diverged is not null || !double.IsFinite(mse)) mse = double.NaN;
        double variance = AddingTask.Variance(test.Y);
        kit.Out.WriteLine($"  {name}: {norms.Count} steps{(diverged is int d ? $", diverged at step {d}" : "")}, test MSE {mse:F4} " +
                          $"({mse / variance:F3} of the variance), largest gradient norm {(norms.Count > 0 ? norms.Max() : double.NaN):G3} ({seconds:F1} s)");
        return new TaskRun(name, model.Recurrent switch { NN.GRU => RecurrentCell.Gru, NN.LSTM => RecurrentCell.Lstm, _ => RecurrentCell.Rnn },
            length, [.. norms], [.. losses], diverged, mse, variance, clippedSteps, seconds, model.ParameterCount());
    }
}
