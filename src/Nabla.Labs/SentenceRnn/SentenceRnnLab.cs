using Nabla.Models;
using Nabla.Tensors;

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

    public SentenceTrainSettings Lstm => new(LstmLearningRate, LstmWeightDecay, BatchSize, LstmEpochs);

    public SentenceTrainSettings Bow => new(BowLearningRate, BowWeightDecay, BatchSize, BowEpochs);
}

/// <summary>The data's numbers, the tensor-size tables (LSTM, bag of words) and the three trained runs.</summary>
public sealed record SentenceRnnResult(TrecSummary Data, IReadOnlyList<TensorSizeRow> LstmSizes, IReadOnlyList<TensorSizeRow> BowSizes,
    SentenceRun Last, SentenceRun Mean, SentenceRun Bow)
{
    /// <summary>The LSTM with the higher validation accuracy (the last-state one on a tie).</summary>
    public SentenceRun BestLstm => Mean.ValidAccuracy > Last.ValidAccuracy ? Mean : Last;
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
    };

    public override SentenceRnnSettings Full => new()
    {
        EmbeddingDim = 300, HiddenSize = 150, LstmLearningRate = 1e-3, LstmWeightDecay = 0, LstmEpochs = 10, BowLearningRate = 5e-3, BowWeightDecay = 1e-4, BowEpochs = 15,
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
        return new SentenceRnnResult(data.Summary, lstmSizes, bowSizes,
            SentenceTraining.Train(kit, "LSTM last", last, data, s.Lstm),
            SentenceTraining.Train(kit, "LSTM mean", mean, data, s.Lstm),
            SentenceTraining.Train(kit, "bag-of-words LR", bow, data, s.Bow));
    }
}
