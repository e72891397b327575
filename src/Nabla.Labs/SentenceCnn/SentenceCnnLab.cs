using Nabla.Models;

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

    [Setting("filter-width sweep (AMMI Q3(a)3): single widths, each a CNN with `filters` filters trained like the main one; the main CNN's combination is compared too", Min = 1, Max = 64)]
    public int[] SweepWidths { get; init; } = [1, 2, 3, 5, 7];
    [Setting("AMMI Q3(a) design: rows of the frozen embedding table (vocabulary)", Min = 2, Max = 10_000_000)] public int DesignVocabulary { get; init; } = 50_000;
    [Setting("AMMI Q3(a) design: embedding dimension", Min = 1, Max = 4096)] public int DesignEmbeddingDim { get; init; } = 300;
    [Setting("AMMI Q3(a) design: words in the sentence", Min = 1, Max = 10_000)] public int DesignWords { get; init; } = 10;
    [Setting("AMMI Q3(a) design: filters, i.e. the length of the sentence vector", Min = 1, Max = 4096)] public int DesignFilters { get; init; } = 5;
    [Setting("AMMI Q3(a) design: filter width", Min = 1, Max = 64)] public int DesignFilterSize { get; init; } = 3;
    [Setting("AMMI Q3(a) design: classes", Min = 1, Max = 10_000)] public int DesignClasses { get; init; } = 3;

    public SentenceTrainSettings Cnn => new(CnnLearningRate, CnnWeightDecay, BatchSize, CnnEpochs);

    public SentenceTrainSettings Bow => new(BowLearningRate, BowWeightDecay, BatchSize, BowEpochs);
}

/// <summary>The data's numbers, both models' tensor-size tables and their trained runs (CNN first); the AMMI Q3(a)
/// design; the filter-width sweep.</summary>
public sealed record SentenceCnnResult(TrecSummary Data, IReadOnlyList<TensorSizeRow> CnnSizes, IReadOnlyList<TensorSizeRow> BowSizes,
    SentenceRun Cnn, SentenceRun Bow, SentenceDesign Design, WidthSweep Sweep);

/// <summary>The filter-width sweep: one run per single width (test NaN unless chosen), the main CNN's combination, and
/// the run chosen on validation accuracy, scored once on the test set.</summary>
public sealed record WidthSweep(IReadOnlyList<int> Widths, IReadOnlyList<SentenceRun> Singles, SentenceRun Combination, SentenceRun Chosen);

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
        var design = Design(s, kit);
        var sweep = Sweep(s, kit, data, cnnRun, cnn);
        return new SentenceCnnResult(data.Summary, cnnSizes, bowSizes, cnnRun, bowRun, design, sweep);
    }

    /// <summary>AMMI Q3(a)1–2: a sentence of W words over a frozen V × D table → Conv1d(D → F, k) → ReLU → max over time →
    /// the F-long sentence vector → Linear(F → C) → softmax, run on one random sentence.</summary>
    public static SentenceDesign Design(SentenceCnnSettings s, LabKit kit)
    {
        var table = SentenceTraining.FrozenRandomTable(s.DesignVocabulary, s.DesignEmbeddingDim, new Generator(kit.Seed * 1000 + 13));
        var model = new SentenceCnn(s.DesignVocabulary, s.DesignClasses, s.DesignEmbeddingDim, [s.DesignFilterSize], s.DesignFilters, s.Dropout, table,
            new Generator(kit.Seed * 1000 + 14));
        model.Eval();
        var sentence = SentenceTraining.RandomSentence(s.DesignVocabulary, s.DesignWords, (int)(kit.Seed % 100_000) + 15);
        double[] vector, probs;
        using (GradMode.NoGrad())
        {
            vector = model.Convolutions[0].Invoke(model.Embedding.Invoke(sentence).Transpose(1, 2)).Relu().Max(2).Values.ToDoubleArray();
            probs = model.Invoke(sentence).Softmax(1).ToDoubleArray();
        }
        int t = Math.Max(s.DesignWords, s.DesignFilterSize);
        var sizes = model.TensorSizes(1, s.DesignWords).Select(r => r.Name switch
        {
            "fc weight" => r with { Note = $"C × F (+ bias [{s.DesignClasses}])" },
            "concatenated features" => r with { Name = "sentence vector (= the pooled features)", Note = $"N × F, F = {s.DesignFilters} filters of one width; dropout p = {LabReport.Format(s.Dropout)} in training" },
            _ => r,
        }).Append(new TensorSizeRow("softmax probabilities", [1, s.DesignClasses], "N × C, each row sums to 1")).ToList();
        kit.Out.WriteLine($"AMMI Q3(a) design (1 sentence of {s.DesignWords} words, T = {t}):");
        kit.Out.WriteLine(TensorSizeTable.Format(sizes));
        return new SentenceDesign(sizes, SentenceTraining.ParameterRows(model), vector, probs);
    }

    /// <summary>AMMI Q3(a)3: a CNN per single width (scored on validation only), the main CNN's combination, and the
    /// validation-best of them scored once on the test set (the main CNN already was).</summary>
    public WidthSweep Sweep(SentenceCnnSettings s, LabKit kit, TrecCoarseData data, SentenceRun combination, SentenceCnn combinationModel)
    {
        if (s.SweepWidths.Length == 0) throw new ArgumentException($"lab '{Name}': sweep-widths must list at least one width");
        var runs = new List<(SentenceRun Run, SentenceCnn Model)>();
        foreach (int w in s.SweepWidths)
        {
            var m = new SentenceCnn(data.Vocabulary.Count, 6, s.EmbeddingDim, [w], s.Filters, s.Dropout, generator: new Generator(kit.Seed * 1000 + 100 + (ulong)w));
            runs.Add((SentenceTraining.Train(kit, $"CNN width {w}", m, data, s.Cnn, scoreTest: false), m));
        }
        var best = runs.MaxBy(r => r.Run.ValidAccuracy);
        if (!(best.Run.ValidAccuracy > combination.ValidAccuracy))
            return new WidthSweep(s.SweepWidths, runs.Select(r => r.Run).ToList(), combination, combination);
        var chosen = SentenceTraining.Score(kit, best.Run, best.Model, data);
        return new WidthSweep(s.SweepWidths, runs.Select(r => r.Run == best.Run ? chosen : r.Run).ToList(), combination, chosen);
    }
}
