using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// Kim's (2014) CNN for sentence classification: tokens [N, T] → embedding [N, T, D] → transpose [N, D, T] → for
/// each filter size k (3, 4, 5): Conv1d(D → F, k) [N, F, T−k+1] → ReLU → max over time [N, F]; concatenate
/// [N, F·K] → dropout → Linear → logits [N, Classes]. Token 0 is &lt;pad&gt; (a zero embedding row); batches shorter
/// than the widest kernel are padded up to it.
/// </summary>
public sealed class SentenceCnn : Module, ITensorSizes
{
    public int VocabularySize { get; }
    public int EmbeddingDim { get; }
    public int Classes { get; }
    public int[] FilterSizes { get; }
    public int Filters { get; }
    public double DropoutP { get; }

    public Embedding Embedding { get; }
    public IReadOnlyList<Conv1d> Convolutions { get; }
    public Dropout Dropout { get; }
    public Linear Fc { get; }

    /// <param name="embedding">a ready table (e.g. <c>Embedding.FromPretrained(vectors.ToWeights(vocabulary).Weights, freeze, paddingIdx: 0)</c>); null = random
    /// U(−0.25, 0.25) rows (Kim's CNN-rand), pad row 0</param>
    public SentenceCnn(int vocabularySize, int classes, int embeddingDim = 300, int[]? filterSizes = null, int filters = 100,
        double dropout = 0.5, Embedding? embedding = null, Generator? generator = null)
    {
        FilterSizes = filterSizes ?? [3, 4, 5];
        if (vocabularySize < 2 || classes < 1 || embeddingDim < 1 || filters < 1 || FilterSizes.Length == 0 || FilterSizes.Any(k => k < 1))
            throw new ArgumentException($"SentenceCnn: sizes must be positive (vocabulary {vocabularySize}, classes {classes}, embedding {embeddingDim}, " +
                $"filters {filters}, filter sizes [{string.Join(", ", FilterSizes)}])");
        if (embedding is not null && (embedding.NumEmbeddings != vocabularySize || embedding.EmbeddingDim != embeddingDim))
            throw new ArgumentException($"SentenceCnn: the embedding is [{embedding.NumEmbeddings}, {embedding.EmbeddingDim}], expected [{vocabularySize}, {embeddingDim}]");
        (VocabularySize, Classes, EmbeddingDim, Filters, DropoutP) = (vocabularySize, classes, embeddingDim, filters, dropout);
        Embedding = RegisterModule("embedding", embedding ?? RandomEmbedding(vocabularySize, embeddingDim, generator));
        Convolutions = FilterSizes.Select((k, i) => RegisterModule($"conv{i}", new Conv1d(embeddingDim, filters, k, generator: generator))).ToList();
        Dropout = RegisterModule("dropout", new Dropout(dropout));
        Fc = RegisterModule("fc", new Linear(filters * FilterSizes.Length, classes, generator: generator));
    }

    /// <summary>Kim's random initialisation: rows U(−0.25, 0.25), the &lt;pad&gt; row zero.</summary>
    internal static Embedding RandomEmbedding(int vocabularySize, int dim, Generator? generator)
    {
        var e = new Embedding(vocabularySize, dim, TokenMask.PadIndex, generator: generator);
        Init.Uniform_(e.Weight, -0.25, 0.25, generator);
        e.Weight.AsStrided([dim], [1], e.Weight.Offset + TokenMask.PadIndex * dim).Fill_(0);
        return e;
    }

    /// <summary>int32 tokens [N, T] → logits [N, Classes].</summary>
    public override Tensor Forward(Tensor tokens)
    {
        tokens = PadToWidestKernel(tokens);
        var x = Embedding.Invoke(tokens).Transpose(1, 2);                  // [N, D, T]: channels = embedding components
        var pooled = new Tensor[Convolutions.Count];
        for (int i = 0; i < pooled.Length; i++)
            pooled[i] = Convolutions[i].Invoke(x).Relu().Max(2).Values;    // max over time: [N, F]
        var features = pooled.Length == 1 ? pooled[0] : Tensor.Cat(pooled, 1);
        return Fc.Invoke(Dropout.Invoke(features));
    }

    private Tensor PadToWidestKernel(Tensor tokens)
    {
        if (tokens.DType != DType.Int32 || tokens.Rank != 2)
            throw new ArgumentException($"SentenceCnn: expected int32 tokens [N, T], got {tokens.DType} [{string.Join(", ", tokens.Shape.ToArray())}]");
        int k = FilterSizes.Max(), n = tokens.Size(0), t = tokens.Size(1);
        if (t >= k) return tokens;
        var src = tokens.ToArray<int>();
        var ids = new int[n * k];
        Array.Fill(ids, TokenMask.PadIndex);
        for (int i = 0; i < n; i++) src.AsSpan(i * t, t).CopyTo(ids.AsSpan(i * k));
        return Tensor.FromArray(ids, n, k);
    }

    public IReadOnlyList<TensorSizeRow> TensorSizes(int batch, int length)
    {
        int t = Math.Max(length, FilterSizes.Max());
        var rows = new List<TensorSizeRow>
        {
            new("input (token ids)", [batch, t], $"N × T, int32; T = longest sentence of the batch{(t > length ? $" padded up to the widest kernel {t}" : "")}"),
            new("embedding table", [VocabularySize, EmbeddingDim], "V × D"),
            new("embedded input", [batch, t, EmbeddingDim], "N × T × D"),
            new("conv input (transposed)", [batch, EmbeddingDim, t], "N × D × T: the D embedding components are the channels"),
        };
        foreach (var (conv, k) in Convolutions.Zip(FilterSizes))
        {
            rows.Add(new($"kernel k={k}", [Filters, EmbeddingDim, k], $"F × D × {k} (+ bias [{Filters}])"));
            rows.Add(new($"feature map k={k}", [batch, Filters, t - k + 1], $"N × F × (T − {k} + 1), after ReLU"));
            rows.Add(new($"max over time k={k}", [batch, Filters], "N × F"));
        }
        int f = Filters * FilterSizes.Length;
        rows.Add(new("concatenated features", [batch, f], $"N × {FilterSizes.Length}F, dropout p = {DropoutP}"));
        rows.Add(new("fc weight", [Classes, f], "C × 3F"));
        rows.Add(new("output (logits)", [batch, Classes], "N × C"));
        return rows;
    }

    protected override string ExtraRepr() => $"filter_sizes=[{string.Join(", ", FilterSizes)}], filters={Filters}";
}
