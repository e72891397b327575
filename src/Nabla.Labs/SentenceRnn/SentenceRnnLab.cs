using Nabla.Models;

namespace Nabla.Labs;

/// <summary>Data sizes, model sizes and training of the sentence-rnn lab.</summary>
public sealed record SentenceRnnSettings
{
    [Setting("training questions kept from the fixed shuffle, a tenth of them held out for validation (none = all 5,452)", Min = 10)] public int? TrainQuestions { get; init; }
    [Setting("TREC-10 test questions kept (none = all 500)", Min = 1)] public int? TestQuestions { get; init; }
    [Setting("embedding dimension D", Min = 1, Max = 4096)] public int EmbeddingDim { get; init; }
    [Setting("LSTM hidden size H", Min = 1, Max = 4096)] public int HiddenSize { get; init; }
    [Setting("dropout p on the sentence vector", Min = 0, Max = 0.99)] public double Dropout { get; init; } = 0.5;
    [Setting("minibatch size of all three models", Min = 1, Max = 10_000)] public int BatchSize { get; init; } = 50;
    [Setting("LSTMs: Adam learning rate", Min = 0)] public double LstmLearningRate { get; init; }
    [Setting("LSTMs: L2 weight decay", Min = 0)] public double LstmWeightDecay { get; init; }
    [Setting("LSTMs: epochs", Min = 1, Max = 10_000)] public int LstmEpochs { get; init; }
    [Setting("bag-of-words baseline: Adam learning rate", Min = 0)] public double BowLearningRate { get; init; }
    [Setting("bag-of-words baseline: L2 weight decay", Min = 0)] public double BowWeightDecay { get; init; }
    [Setting("bag-of-words baseline: epochs", Min = 1, Max = 10_000)] public int BowEpochs { get; init; }

    [Setting("AMMI Q3(b)1 language model: embedding dimension", Min = 1, Max = 4096)] public int LmEmbeddingDim { get; init; }
    [Setting("AMMI Q3(b)1 language model: LSTM hidden size (= length of its sentence vector)", Min = 1, Max = 4096)] public int LmHiddenSize { get; init; }
    [Setting("AMMI Q3(b)1 language model: Adam learning rate", Min = 0)] public double LmLearningRate { get; init; } = 2e-3;
    [Setting("AMMI Q3(b)1 language model: epochs over the training questions", Min = 1, Max = 10_000)] public int LmEpochs { get; init; }
    [Setting("AMMI Q3(b)1 classifier on the frozen sentence vectors: Adam learning rate", Min = 0)] public double ProbeLearningRate { get; init; } = 1e-2;
    [Setting("AMMI Q3(b)1 classifier on the frozen sentence vectors: epochs (the best one on validation is kept)", Min = 1, Max = 10_000)] public int ProbeEpochs { get; init; }
    [Setting("AMMI Q3(b)2 design: rows of the frozen embedding table (vocabulary)", Min = 2, Max = 10_000_000)] public int DesignVocabulary { get; init; } = 50_000;
    [Setting("AMMI Q3(b)2 design: embedding dimension", Min = 1, Max = 4096)] public int DesignEmbeddingDim { get; init; } = 300;
    [Setting("AMMI Q3(b)2 design: words in the sentence", Min = 1, Max = 10_000)] public int DesignWords { get; init; } = 10;
    [Setting("AMMI Q3(b)2 design: LSTM hidden size, i.e. the length of the sentence vector", Min = 1, Max = 4096)] public int DesignHidden { get; init; } = 50;
    [Setting("AMMI Q3(b)2 design: classes", Min = 1, Max = 10_000)] public int DesignClasses { get; init; } = 4;

    public SentenceTrainSettings Lstm => new(LstmLearningRate, LstmWeightDecay, BatchSize, LstmEpochs);

    public SentenceTrainSettings Probe => new(ProbeLearningRate, 0, BatchSize, ProbeEpochs);

    public SentenceTrainSettings Bow => new(BowLearningRate, BowWeightDecay, BatchSize, BowEpochs);
}

/// <summary>The data's numbers, the tensor-size tables (LSTM, bag of words) and the three trained runs; the AMMI Q3(b)2
/// design; the language model and the classifiers on its sentence vectors (trained and untrained LM).</summary>
public sealed record SentenceRnnResult(TrecSummary Data, IReadOnlyList<TensorSizeRow> LstmSizes, IReadOnlyList<TensorSizeRow> BowSizes,
    SentenceRun Last, SentenceRun Mean, SentenceRun Bow, SentenceDesign Design, LanguageModelRun Lm, SentenceRun LmProbe, SentenceRun RandomProbe,
    SentenceRun LmMeanProbe, SentenceRun RandomMeanProbe)
{
    /// <summary>The LSTM with the higher validation accuracy (the last-state one on a tie).</summary>
    public SentenceRun BestLstm => Mean.ValidAccuracy > Last.ValidAccuracy ? Mean : Last;
}

/// <summary>The language model's training: parameters, mean training loss per epoch, validation perplexity before
/// training (index 0) and after each epoch, and the training time.</summary>
public sealed record LanguageModelRun(long Parameters, IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValidPerplexity, double Seconds);

/// <summary>A linear classifier on the frozen sentence vectors of a language model: logits = W·v + b, where v is the
/// LM's hidden state after the sentence's last real token (<see cref="RnnLanguageModel.SentenceVector"/>, pooling Last)
/// or the masked mean of its hidden states over the sentence's tokens (pooling Mean).</summary>
public sealed class LanguageModelProbe : NN.Module
{
    public RnnLanguageModel Lm { get; }
    public NN.Linear Fc { get; }
    public SentencePooling Pooling { get; }

    public LanguageModelProbe(RnnLanguageModel lm, int hidden, int classes, SentencePooling pooling, Generator? generator)
    {
        foreach (var p in lm.Parameters()) p.RequiresGrad_(false);        // the language model stays as it is
        Lm = RegisterModule("lm", lm);
        Fc = RegisterModule("fc", new NN.Linear(hidden, classes, generator: generator));
        Pooling = pooling;
    }

    public override Tensor Forward(Tensor tokens)
    {
        if (Pooling == SentencePooling.Last) return Fc.Invoke(Lm.SentenceVector(tokens));
        int n = tokens.Size(0), t = tokens.Size(1);
        var ids = tokens.ToArray<int>();
        var mask = new float[n * t];
        var lengths = new float[n];
        for (int i = 0; i < ids.Length; i++) if (ids[i] != 0) { mask[i] = 1; lengths[i / t]++; }
        var states = Lm.Lstm.Run(Lm.Embedding.Invoke(tokens)).Output;       // [N, T, H]
        var mean = (states * Tensor.FromArray(mask, n, t, 1)).Sum(1) / Tensor.FromArray(lengths.Select(l => Math.Max(l, 1f)).ToArray(), n, 1);
        return Fc.Invoke(mean);
    }
}

/// <summary>
/// LSTM sentence classifiers on TREC coarse: random embeddings → LSTM → the hidden state at the last real token, or
/// the masked mean of the hidden states → dropout → linear; compared with a bag-of-words logistic regression.
/// </summary>
public sealed partial class SentenceRnnLab : Lab<SentenceRnnSettings, SentenceRnnResult>
{
    public override string Name => "sentence-rnn";
    public override string Description => "LSTM sentence classifier (last state vs masked mean) on TREC coarse vs a bag-of-words baseline";
    public override string Title => "Sentence classification with an LSTM on TREC";

    public override SentenceRnnSettings Quick => new()
    {
        TrainQuestions = 600, TestQuestions = 200, EmbeddingDim = 32, HiddenSize = 32,
        LstmLearningRate = 2e-3, LstmWeightDecay = 0, LstmEpochs = 1, BowLearningRate = 1e-2, BowWeightDecay = 0, BowEpochs = 1,
        LmEmbeddingDim = 16, LmHiddenSize = 32, LmEpochs = 1, ProbeEpochs = 2,
    };

    public override SentenceRnnSettings Full => new()
    {
        EmbeddingDim = 300, HiddenSize = 150, LstmLearningRate = 1e-3, LstmWeightDecay = 0, LstmEpochs = 10, BowLearningRate = 5e-3, BowWeightDecay = 1e-4, BowEpochs = 15,
        LmEmbeddingDim = 64, LmHiddenSize = 128, LmEpochs = 3, ProbeEpochs = 20,
    };

    public override SentenceRnnResult Experiment(SentenceRnnSettings s, LabKit kit)
    {
        var data = kit.Trec(s.TrainQuestions, s.TestQuestions, minLength: 1);
        int v = data.Vocabulary.Count;
        var last = new SentenceLstm(v, 6, s.EmbeddingDim, s.HiddenSize, 1, SentencePooling.Last, s.Dropout, generator: new Generator(kit.Seed * 1000 + 21));
        var mean = new SentenceLstm(v, 6, s.EmbeddingDim, s.HiddenSize, 1, SentencePooling.Mean, s.Dropout, generator: new Generator(kit.Seed * 1000 + 22));
        var bow = new BagOfWordsClassifier(v, 6, BagOfWordsWeighting.Counts, new Generator(kit.Seed * 1000 + 12));
        var lstmSizes = SentenceTraining.Sizes(kit, "LSTM classifier", last, s.BatchSize, data.LongestSentence);
        var bowSizes = SentenceTraining.Sizes(kit, "Bag-of-words baseline", bow, s.BatchSize, data.LongestSentence);
        var lastRun = SentenceTraining.Train(kit, "LSTM last", last, data, s.Lstm);
        var meanRun = SentenceTraining.Train(kit, "LSTM mean", mean, data, s.Lstm);
        var bowRun = SentenceTraining.Train(kit, "bag-of-words LR", bow, data, s.Bow);
        var design = Design(s, kit);

        // AMMI Q3(b)1: a language model trained on the training questions (labels unused); the same network untrained
        // (same initial weights) is the random baseline. Each gives frozen sentence vectors to a linear classifier.
        var lm = new RnnLanguageModel(v, s.LmEmbeddingDim, s.LmHiddenSize, generator: new Generator(kit.Seed * 1000 + 31));
        var untrained = new RnnLanguageModel(v, s.LmEmbeddingDim, s.LmHiddenSize, generator: new Generator(kit.Seed * 1000 + 31));
        var lmRun = TrainLanguageModel(kit, lm, data, s);
        SentenceRun Probe(string name, RnnLanguageModel m, SentencePooling pool) => SentenceTraining.Train(kit, name,
            new LanguageModelProbe(m, s.LmHiddenSize, 6, pool, new Generator(kit.Seed * 1000 + 32)), data, s.Probe, restoreBestValidation: true);
        return new SentenceRnnResult(data.Summary, lstmSizes, bowSizes, lastRun, meanRun, bowRun, design, lmRun,
            Probe("trained LM, last state", lm, SentencePooling.Last), Probe("untrained LM, last state", untrained, SentencePooling.Last),
            Probe("trained LM, mean of states", lm, SentencePooling.Mean), Probe("untrained LM, mean of states", untrained, SentencePooling.Mean));
    }

    /// <summary>AMMI Q3(b)2–3: a sentence of W words over a frozen V × D table → LSTM (H) → h at the last word (the
    /// H-long sentence vector) → Linear(H → C) → softmax, run on one random sentence.</summary>
    public static SentenceDesign Design(SentenceRnnSettings s, LabKit kit)
    {
        var table = SentenceTraining.FrozenRandomTable(s.DesignVocabulary, s.DesignEmbeddingDim, new Generator(kit.Seed * 1000 + 23));
        var model = new SentenceLstm(s.DesignVocabulary, s.DesignClasses, s.DesignEmbeddingDim, s.DesignHidden, 1, SentencePooling.Last, s.Dropout, table,
            new Generator(kit.Seed * 1000 + 24));
        model.Eval();
        var sentence = SentenceTraining.RandomSentence(s.DesignVocabulary, s.DesignWords, (int)(kit.Seed % 100_000) + 25);
        double[] vector, probs;
        using (GradMode.NoGrad())
        {
            vector = model.Encode(sentence).ToDoubleArray();
            probs = model.Invoke(sentence).Softmax(1).ToDoubleArray();
        }
        var sizes = model.TensorSizes(1, s.DesignWords).Select(r => r.Name switch
        {
            "W_hh" => r with { Name = "W_hh (layer 0)" },
            "fc weight" => r with { Note = $"C × H (+ bias [{s.DesignClasses}])" },
            _ => r,
        }).Append(new TensorSizeRow("softmax probabilities", [1, s.DesignClasses], "N × C, each row sums to 1")).ToList();
        kit.Out.WriteLine($"AMMI Q3(b) design (1 sentence of {s.DesignWords} words):");
        kit.Out.WriteLine(TensorSizeTable.Format(sizes));
        return new SentenceDesign(sizes, SentenceTraining.ParameterRows(model), vector, probs);
    }

    /// <summary>Trains the language model on the training questions (next-token cross-entropy, padding ignored) with
    /// Adam; validation perplexity = exp(mean cross-entropy per predicted token) before training and after each epoch.</summary>
    public static LanguageModelRun TrainLanguageModel(LabKit kit, RnnLanguageModel lm, TrecCoarseData data, SentenceRnnSettings s)
    {
        kit.Out.WriteLine($"training the language model ({lm.ParameterCount():N0} parameters)");
        var opt = new Optim.Adam(lm.Parameters(), new Optim.AdamOptions(s.LmLearningRate));
        var trainLoss = new List<double>();
        var perplexity = new List<double> { Perplexity(lm, data.Validation) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int epoch = 0; epoch < s.LmEpochs; epoch++)
        {
            double sum = 0;
            int batches = 0;
            foreach (var (x, _) in data.Train.Batches(s.BatchSize, shuffle: true, seed: kit.Seed + 9, epoch: epoch))
            {
                if (x.Size(1) < 2) continue;
                opt.ZeroGrad();
                var loss = lm.Loss(x);
                sum += loss.Item();
                batches++;
                loss.Backward();
                opt.Step();
            }
            trainLoss.Add(sum / Math.Max(batches, 1));
            perplexity.Add(Perplexity(lm, data.Validation));
            kit.Out.WriteLine($"  LM epoch {epoch + 1,2}: train loss {trainLoss[^1]:F4} | valid perplexity {perplexity[^1]:F1} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        return new LanguageModelRun(lm.ParameterCount(), trainLoss, perplexity, clock.Elapsed.TotalSeconds);
    }

    /// <summary>exp of the mean next-token cross-entropy over every predicted (non-padding) token of <paramref name="texts"/>.</summary>
    public static double Perplexity(RnnLanguageModel lm, Data.Text.EncodedTexts texts)
    {
        double sum = 0;
        long count = 0;
        using var _ = GradMode.NoGrad();
        foreach (var (x, _) in texts.Batches(256))
        {
            if (x.Size(1) < 2) continue;
            var ids = x.ToArray<int>();
            int n = x.Size(0), t = x.Size(1);
            long targets = 0;
            for (int i = 0; i < n; i++) for (int j = 1; j < t; j++) if (ids[i * t + j] != 0) targets++;
            if (targets == 0) continue;
            sum += lm.Loss(x).Item() * targets;
            count += targets;
        }
        return Math.Exp(sum / Math.Max(count, 1));
    }
}
