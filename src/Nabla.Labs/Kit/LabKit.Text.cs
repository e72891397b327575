using Nabla.Data.Text;

namespace Nabla.Labs;

/// <summary>TREC coarse (6 classes) tokenized and encoded for the sentence labs: the kept training questions minus a
/// held-out validation tenth, the kept TREC-10 test questions, and the vocabulary of the training part.</summary>
public sealed record TrecCoarseData(Vocabulary Vocabulary, EncodedTexts Train, EncodedTexts Validation, EncodedTexts Test,
    int TrainLines, int TestLines, int LongestSentence, double MeanLength, double TestUnknownRate)
{
    /// <summary>The numbers a report quotes about the data (no tensors).</summary>
    public TrecSummary Summary => new(TrainLines, TestLines, Train.Count, Validation.Count, Test.Count, Vocabulary.Count, LongestSentence, MeanLength, TestUnknownRate);
}

/// <summary>Sizes of the TREC files and of the parts a lab kept: lines in the two files, questions used for training,
/// validation and test, vocabulary entries, longest and mean training sentence (tokens), unknown test-token rate.</summary>
public sealed record TrecSummary(int TrainLines, int TestLines, int Train, int Validation, int Test, int Vocabulary, int LongestSentence,
    double MeanLength, double TestUnknownRate);

public sealed partial class LabKit
{
    /// <summary>TREC coarse from the run's data root: a fixed shuffle of the training file (seed 12345, independent of
    /// the run's seed) of which the first <paramref name="trainQuestions"/> are kept (null = all), the last tenth of
    /// those held out for validation; the first <paramref name="testQuestions"/> of TREC-10 (null = all 500). Sequences
    /// shorter than <paramref name="minLength"/> are padded to it (a CNN needs at least its widest filter).</summary>
    public TrecCoarseData Trec(int? trainQuestions, int? testQuestions, int minLength)
    {
        if (trainQuestions is < 10) throw new ArgumentException($"lab '{LabName}': at least 10 training questions are needed (a tenth is held out), got {trainQuestions}");
        if (testQuestions is < 1) throw new ArgumentException($"lab '{LabName}': at least 1 test question is needed, got {testQuestions}");
        var splits = Data.Text.Trec.Load(DataRoot);
        var tok = Tokenizer.Default;
        var shuffled = splits.Train.ToArray();
        new Random(12345).Shuffle(shuffled);
        var train = shuffled.Take(trainQuestions ?? int.MaxValue).ToList();
        var test = splits.Test.Take(testQuestions ?? int.MaxValue).ToList();
        int nValid = train.Count / 10;
        var fit = train.Take(train.Count - nValid).ToList();
        var valid = train.Skip(train.Count - nValid).ToList();
        var fitTokens = fit.Select(q => (IReadOnlyList<string>)tok.Tokenize(q.Text)).ToList();
        var vocab = Vocabulary.Build(fitTokens, minFrequency: 1);
        EncodedTexts Enc(List<TrecQuestion> qs) =>
            EncodedTexts.Encode(qs.Select(q => (IReadOnlyList<string>)tok.Tokenize(q.Text)), qs.Select(Data.Text.Trec.CoarseLabel), vocab, minLength);
        var testEnc = Enc(test);
        long unk = testEnc.Sequences.Sum(s => (long)s.Count(i => i == Vocabulary.UnkIndex)), all = testEnc.Sequences.Sum(s => (long)s.Length);
        var data = new TrecCoarseData(vocab, EncodedTexts.Encode(fitTokens, fit.Select(Data.Text.Trec.CoarseLabel), vocab, minLength), Enc(valid), testEnc,
            splits.Train.Count, splits.Test.Count, fitTokens.Max(t => t.Count), fitTokens.Average(t => t.Count), (double)unk / Math.Max(all, 1));
        Out.WriteLine($"TREC: {data.Train.Count} train, {data.Validation.Count} valid, {data.Test.Count} test, vocabulary {data.Vocabulary.Count}");
        return data;
    }
}
