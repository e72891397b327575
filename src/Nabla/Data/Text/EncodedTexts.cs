
namespace Nabla.Data.Text;

/// <summary>
/// Labelled token-index sequences (a text classification set after tokenizing and encoding) and their batching:
/// each batch is (tokens int32 [B, T] padded with <see cref="Vocabulary.PadIndex"/> to the batch's longest sentence
/// (at least <see cref="MinLength"/>), labels int32 [B]) — the (input, target) pairs <c>Trainer.Fit</c> takes.
/// </summary>
public sealed class EncodedTexts
{
    public EncodedTexts(IReadOnlyList<int[]> sequences, IReadOnlyList<int> labels, int minLength = 1)
    {
        if (sequences.Count != labels.Count)
            throw new ArgumentException($"EncodedTexts: {sequences.Count} sequences but {labels.Count} labels");
        Sequences = sequences;
        Labels = labels;
        MinLength = minLength;
    }

    public IReadOnlyList<int[]> Sequences { get; }
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Shortest padded length of a batch (e.g. the widest kernel of a convolutional model).</summary>
    public int MinLength { get; }

    public int Count => Sequences.Count;

    /// <summary>Encodes tokenized sentences with <paramref name="vocabulary"/>.</summary>
    public static EncodedTexts Encode(IEnumerable<IReadOnlyList<string>> sentences, IEnumerable<int> labels, Vocabulary vocabulary, int minLength = 1) =>
        new(sentences.Select(vocabulary.Encode).ToList(), labels.ToList(), minLength);

    /// <summary>The examples at <paramref name="indices"/>.</summary>
    public EncodedTexts Select(IEnumerable<int> indices)
    {
        var idx = indices.ToList();
        return new EncodedTexts(idx.Select(i => Sequences[i]).ToList(), idx.Select(i => Labels[i]).ToList(), MinLength);
    }

    /// <summary>Batches in order, or shuffled by a permutation that depends only on (seed, epoch).</summary>
    public IEnumerable<(Tensor Input, Tensor Target)> Batches(int batchSize, bool shuffle = false, ulong seed = 0, int epoch = 0)
    {
        if (batchSize < 1) throw new ArgumentException($"EncodedTexts.Batches: batchSize must be positive, got {batchSize}", nameof(batchSize));
        var order = Enumerable.Range(0, Count).ToArray();
        if (shuffle) new Random(unchecked((int)(seed * 1_000_003UL + (ulong)epoch))).Shuffle(order);
        for (int start = 0; start < Count; start += batchSize)
        {
            int b = Math.Min(batchSize, Count - start);
            var seqs = new int[b][];
            var labels = new int[b];
            for (int i = 0; i < b; i++) { seqs[i] = Sequences[order[start + i]]; labels[i] = Labels[order[start + i]]; }
            yield return (PaddedBatch.Pad(seqs, Vocabulary.PadIndex, MinLength).Tokens, Tensor.FromArray(labels, b));
        }
    }
}
