using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Labs;

/// <summary>Data sizes, model sizes and training of the sentence-cnn lab.</summary>
public sealed record SentenceCnnSettings
{
    [Setting("training questions kept from the fixed shuffle, a tenth of them held out for validation (none = all 5,452)", Min = 10)] public int? TrainQuestions { get; init; }
    [Setting("TREC-10 test questions kept (none = all 500)", Min = 1)] public int? TestQuestions { get; init; }
    [Setting("embedding dimension D", Min = 1, Max = 4096)] public int EmbeddingDim { get; init; }
    [Setting("filters per width", Min = 1, Max = 4096)] public int Filters { get; init; }
    [Setting("filter widths (comma-separated)", Min = 1, Max = 64)] public int[] FilterSizes { get; init; } = [3, 4, 5];
    [Setting("dropout p before the output layer", Min = 0, Max = 0.99)] public double Dropout { get; init; } = 0.5;
    [Setting("minibatch size of both models", Min = 1, Max = 10_000)] public int BatchSize { get; init; } = 50;
    [Setting("CNN: Adam learning rate", Min = 0)] public double CnnLearningRate { get; init; } = 1e-3;
    [Setting("CNN: L2 weight decay", Min = 0)] public double CnnWeightDecay { get; init; }
    [Setting("CNN: epochs", Min = 1, Max = 10_000)] public int CnnEpochs { get; init; }
    [Setting("bag-of-words baseline: Adam learning rate", Min = 0)] public double BowLearningRate { get; init; }
    [Setting("bag-of-words baseline: L2 weight decay", Min = 0)] public double BowWeightDecay { get; init; }
    [Setting("bag-of-words baseline: epochs", Min = 1, Max = 10_000)] public int BowEpochs { get; init; }

    public SentenceTrainSettings Cnn => new(CnnLearningRate, CnnWeightDecay, BatchSize, CnnEpochs);

    public SentenceTrainSettings Bow => new(BowLearningRate, BowWeightDecay, BatchSize, BowEpochs);
}

/// <summary>The data's numbers, both models' tensor-size tables and their trained runs (CNN first).</summary>
public sealed record SentenceCnnResult(TrecSummary Data, IReadOnlyList<TensorSizeRow> CnnSizes, IReadOnlyList<TensorSizeRow> BowSizes,
    SentenceRun Cnn, SentenceRun Bow);

/// <summary>
/// Kim's (2014) CNN-rand on TREC coarse: random embeddings, filters of widths 3, 4, 5, max-over-time pooling,
/// dropout, softmax; compared with a bag-of-words logistic regression trained the same way.
/// </summary>
public sealed partial class SentenceCnnLab : Lab<SentenceCnnSettings, SentenceCnnResult>
{
    public override string Name => "sentence-cnn";
    public override string Description => "Kim's sentence CNN (random embeddings, filters 3/4/5) on TREC coarse vs a bag-of-words baseline";
    public override string Title => "Sentence classification with a CNN (Kim 2014) on TREC";

    public override SentenceCnnSettings Quick => new()
    {
        TrainQuestions = 600, TestQuestions = 200, EmbeddingDim = 32, Filters = 16,
        CnnWeightDecay = 0, CnnEpochs = 1, BowLearningRate = 1e-2, BowWeightDecay = 0, BowEpochs = 1,
    };

    public override SentenceCnnSettings Full => new()
    {
        EmbeddingDim = 300, Filters = 100, CnnWeightDecay = 1e-4, CnnEpochs = 10, BowLearningRate = 5e-3, BowWeightDecay = 1e-4, BowEpochs = 15,
    };

    public override SentenceCnnResult Experiment(SentenceCnnSettings s, LabKit kit)
    {
        if (s.FilterSizes.Length == 0) throw new ArgumentException($"lab '{Name}': filter-sizes must list at least one width");
        var data = kit.Trec(s.TrainQuestions, s.TestQuestions, minLength: s.FilterSizes.Max());
        var cnn = new SentenceCnn(data.Vocabulary.Count, 6, s.EmbeddingDim, s.FilterSizes, s.Filters, s.Dropout, generator: new Generator(kit.Seed * 1000 + 11));
        var bow = new BagOfWordsClassifier(data.Vocabulary.Count, 6, BagOfWordsWeighting.Counts, new Generator(kit.Seed * 1000 + 12));
        var cnnSizes = SentenceTraining.Sizes(kit, "Sentence CNN", cnn, s.BatchSize, data.LongestSentence);
        var bowSizes = SentenceTraining.Sizes(kit, "Bag-of-words baseline", bow, s.BatchSize, data.LongestSentence);
        var cnnRun = SentenceTraining.Train(kit, "CNN-rand", cnn, data, s.Cnn);
        var bowRun = SentenceTraining.Train(kit, "bag-of-words LR", bow, data, s.Bow);
        return new SentenceCnnResult(data.Summary, cnnSizes, bowSizes, cnnRun, bowRun);
    }
}
