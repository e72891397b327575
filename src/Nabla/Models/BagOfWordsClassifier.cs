using Nabla.NN;

namespace Nabla.Models;

/// <summary>What a <see cref="BagOfWordsClassifier"/> feature holds for word w in a sentence.</summary>
public enum BagOfWordsWeighting
{
    /// <summary>count of w.</summary>
    Counts,
    /// <summary>1[w occurs].</summary>
    Binary,
    /// <summary>term frequency count(w) / sentence length.</summary>
    TermFrequency,
}

/// <summary>
/// Bag-of-words multinomial logistic regression: tokens [N, T] → bag vector x [N, V] (counts, presence or term
/// frequency; &lt;pad&gt; ignored) → logits = x·Wᵀ + b [N, Classes]. The bag vector is a constant of the input
/// (no gradient); softmax is in the loss.
/// </summary>
public sealed class BagOfWordsClassifier : Module, ITensorSizes
{
    public int VocabularySize { get; }
    public int Classes { get; }
    public BagOfWordsWeighting Weighting { get; }
    public Linear Fc { get; }

    public BagOfWordsClassifier(int vocabularySize, int classes, BagOfWordsWeighting weighting = BagOfWordsWeighting.Counts, Generator? generator = null)
    {
        if (vocabularySize < 2 || classes < 1)
            throw new ArgumentException($"BagOfWordsClassifier: sizes must be positive (vocabulary {vocabularySize}, classes {classes})");
        (VocabularySize, Classes, Weighting) = (vocabularySize, classes, weighting);
        Fc = RegisterModule("fc", new Linear(vocabularySize, classes, generator: generator));
    }

    public override Tensor Forward(Tensor tokens) => Fc.Invoke(Features(tokens));

    /// <summary>The bag vectors [N, V] of int32 tokens [N, T].</summary>
    public Tensor Features(Tensor tokens)
    {
        if (tokens.DType != DType.Int32 || tokens.Rank != 2)
            throw new ArgumentException($"BagOfWordsClassifier: expected int32 tokens [N, T], got {tokens.DType} [{string.Join(", ", tokens.Shape.ToArray())}]");
        int n = tokens.Size(0), t = tokens.Size(1), v = VocabularySize;
        var ids = tokens.ToArray<int>();
        var x = new float[n * v];
        for (int i = 0; i < n; i++)
        {
            int length = 0;
            for (int j = 0; j < t; j++)
            {
                int id = ids[i * t + j];
                if (id == TokenMask.PadIndex) continue;
                if ((uint)id >= (uint)v) throw new ArgumentOutOfRangeException(nameof(tokens), $"BagOfWordsClassifier: token {id} is outside the vocabulary [0, {v})");
                length++;
                x[i * v + id] = Weighting == BagOfWordsWeighting.Binary ? 1 : x[i * v + id] + 1;
            }
            if (Weighting == BagOfWordsWeighting.TermFrequency && length > 0)
                for (int k = 0; k < v; k++) x[i * v + k] /= length;
        }
        var bag = Tensor.FromArray(x, n, v);
        return Fc.Weight.DType == DType.Float32 ? bag : bag.To(Fc.Weight.DType);   // a model built for float64
    }

    public IReadOnlyList<TensorSizeRow> TensorSizes(int batch, int length) =>
    [
        new("input (token ids)", [batch, length], "N × T, int32"),
        new($"bag vector ({Weighting})", [batch, VocabularySize], "N × V"),
        new("weight", [Classes, VocabularySize], "C × V (+ bias [C])"),
        new("output (logits)", [batch, Classes], "N × C"),
    ];

    protected override string ExtraRepr() => $"{VocabularySize} → {Classes}, {Weighting}";
}
