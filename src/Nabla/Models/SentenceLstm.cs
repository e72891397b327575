using Nabla.NN;

namespace Nabla.Models;

/// <summary>How <see cref="SentenceLstm"/> turns the per-step hidden states into one sentence vector.</summary>
public enum SentencePooling
{
    /// <summary>h at the last real token, t = length − 1 (padding after it is ignored).</summary>
    Last,
    /// <summary>Masked mean Σ_t mask_t·h_t / length over the real tokens.</summary>
    Mean,
}

/// <summary>
/// LSTM sentence classifier: tokens [N, T] → embedding [N, T, D] → LSTM (batch-first) → hidden states [N, T, H] →
/// sentence vector [N, H] (the state at each sentence's last real token, or the masked mean over its tokens) →
/// dropout → Linear → logits [N, Classes]. Sentences are padded on the right with token 0, so the state at
/// t = length − 1 has not seen any padding.
/// </summary>
public sealed class SentenceLstm : Module, ITensorSizes
{
    public int VocabularySize { get; }
    public int EmbeddingDim { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public int Classes { get; }
    public SentencePooling Pooling { get; }

    public Embedding Embedding { get; }
    public LSTM Lstm { get; }
    public Dropout Dropout { get; }
    public Linear Fc { get; }

    public SentenceLstm(int vocabularySize, int classes, int embeddingDim = 100, int hiddenSize = 100, int numLayers = 1,
        SentencePooling pooling = SentencePooling.Last, double dropout = 0.5, Embedding? embedding = null, Generator? generator = null)
    {
        if (vocabularySize < 2 || classes < 1 || embeddingDim < 1 || hiddenSize < 1 || numLayers < 1)
            throw new ArgumentException($"SentenceLstm: sizes must be positive (vocabulary {vocabularySize}, classes {classes}, embedding {embeddingDim}, hidden {hiddenSize}, layers {numLayers})");
        if (embedding is not null && (embedding.NumEmbeddings != vocabularySize || embedding.EmbeddingDim != embeddingDim))
            throw new ArgumentException($"SentenceLstm: the embedding is [{embedding.NumEmbeddings}, {embedding.EmbeddingDim}], expected [{vocabularySize}, {embeddingDim}]");
        (VocabularySize, Classes, EmbeddingDim, HiddenSize, NumLayers, Pooling) = (vocabularySize, classes, embeddingDim, hiddenSize, numLayers, pooling);
        Embedding = RegisterModule("embedding", embedding ?? SentenceCnn.RandomEmbedding(vocabularySize, embeddingDim, generator));
        Lstm = RegisterModule("lstm", new LSTM(embeddingDim, hiddenSize, numLayers, generator: generator));
        Dropout = RegisterModule("dropout", new Dropout(dropout));
        Fc = RegisterModule("fc", new Linear(hiddenSize, classes, generator: generator));
    }

    /// <summary>int32 tokens [N, T] → logits [N, Classes].</summary>
    public override Tensor Forward(Tensor tokens) => Fc.Invoke(Dropout.Invoke(Encode(tokens)));

    /// <summary>The sentence vectors [N, H].</summary>
    public Tensor Encode(Tensor tokens)
    {
        var (mask, lengths) = TokenMask.Of(tokens);
        var output = Lstm.Run(Embedding.Invoke(tokens)).Output;               // [N, T, H]
        int n = tokens.Size(0);
        if (Pooling == SentencePooling.Mean)
        {
            var len = Tensor.FromArray(lengths.Select(l => (float)Math.Max(l, 1)).ToArray(), n, 1);
            if (output.DType != DType.Float32) (mask, len) = (mask.To(output.DType), len.To(output.DType));   // a float64 model
            return (output * mask.Unsqueeze(2)).Sum(1) / len;
        }
        return TokenMask.AtLastToken(output, lengths);                       // h at t = length − 1
    }

    public IReadOnlyList<TensorSizeRow> TensorSizes(int batch, int length)
    {
        int h = HiddenSize, d = EmbeddingDim;
        return
        [
            new("input (token ids)", [batch, length], "N × T, int32, padded with 0 after each sentence"),
            new("embedding table", [VocabularySize, d], "V × D"),
            new("embedded input", [batch, length, d], "N × T × D"),
            new("W_ih (layer 0)", [4 * h, d], "4H × D: gates i, f, g, o stacked"),
            new("W_hh", [4 * h, h], "4H × H (+ biases b_ih, b_hh [4H])"),
            new("gates at one step", [batch, 4 * h], "N × 4H"),
            new("hidden state h_t", [batch, h], "N × H"),
            new("cell state c_t", [batch, h], "N × H"),
            new("LSTM output (all h_t)", [batch, length, h], "N × T × H"),
            new("h_n, c_n", [NumLayers, batch, h], "L × N × H"),
            new($"sentence vector ({(Pooling == SentencePooling.Last ? "h at last real token" : "masked mean")})", [batch, h], "N × H"),
            new("fc weight", [Classes, h], "C × H"),
            new("output (logits)", [batch, Classes], "N × C"),
        ];
    }

    protected override string ExtraRepr() => $"pooling={Pooling}";
}
