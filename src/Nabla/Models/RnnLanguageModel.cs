using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// A word- (or character-) level LSTM language model: tokens [N, T] → embedding [N, T, D] → LSTM → hidden states
/// [N, T, H] → Linear → next-token logits [N, T, V]. Trained with <see cref="Loss"/>, the cross-entropy of predicting
/// token t + 1 from tokens ≤ t (padding, id 0, ignored). The hidden state after a sentence's last real token is a
/// sentence vector (<see cref="SentenceVector"/>).
/// </summary>
public sealed class RnnLanguageModel : Module
{
    public int VocabularySize { get; }
    public Embedding Embedding { get; }
    public LSTM Lstm { get; }
    public Linear Decoder { get; }

    public RnnLanguageModel(int vocabularySize, int embeddingDim = 64, int hiddenSize = 128, int numLayers = 1, Generator? generator = null)
    {
        if (vocabularySize < 2 || embeddingDim < 1 || hiddenSize < 1 || numLayers < 1)
            throw new ArgumentException($"RnnLanguageModel: sizes must be positive (vocabulary {vocabularySize}, embedding {embeddingDim}, hidden {hiddenSize}, layers {numLayers})");
        VocabularySize = vocabularySize;
        Embedding = RegisterModule("embedding", SentenceCnn.RandomEmbedding(vocabularySize, embeddingDim, generator));
        Lstm = RegisterModule("lstm", new LSTM(embeddingDim, hiddenSize, numLayers, generator: generator));
        Decoder = RegisterModule("decoder", new Linear(hiddenSize, vocabularySize, generator: generator));
    }

    /// <summary>int32 tokens [N, T] → next-token logits [N, T, V].</summary>
    public override Tensor Forward(Tensor tokens) => Decoder.Invoke(Lstm.Run(Embedding.Invoke(tokens)).Output);

    /// <summary>Mean cross-entropy of predicting tokens[:, 1:] from the logits at positions 0..T−2; padding (0)
    /// targets are ignored. Perplexity = exp(loss).</summary>
    public Tensor Loss(Tensor tokens)
    {
        if (tokens.Rank != 2 || tokens.Size(1) < 2)
            throw ShapeMismatchException.For("RnnLanguageModel.Loss", "expects int32 tokens [N, T] with T ≥ 2", tokens.Shape.ToArray());
        int t = tokens.Size(1);
        var logits = Forward(tokens).Slice(1, 0, t - 1).Permute(0, 2, 1).Contiguous();   // [N, V, T−1]
        var targets = tokens.Slice(1, 1, t).Contiguous();                       // [N, T−1]
        return logits.CrossEntropy(targets, ignoreIndex: 0);
    }

    /// <summary>The hidden state after each sentence's last real token: sentence vectors [N, H].</summary>
    public Tensor SentenceVector(Tensor tokens)
    {
        var (_, lengths) = TokenMask.Of(tokens);
        return TokenMask.AtLastToken(Lstm.Run(Embedding.Invoke(tokens)).Output, lengths);
    }

    /// <summary>The most likely next token after each prefix (argmax of the last position's logits).</summary>
    public int[] PredictNext(Tensor tokens)
    {
        var logits = Forward(tokens);                                           // [N, T, V]
        return logits.Select(1, tokens.Size(1) - 1).ArgMax(1).ToArray<int>();
    }
}
