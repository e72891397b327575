using Nabla.Data.Text;
using Nabla.NN;

namespace Nabla.Course;

/// <summary>Builds an <see cref="Embedding"/> from pretrained word vectors (GloVe / word2vec text files), the "trained
/// 50k×300 table" of the course's sentence-classifier designs. Course-only: the library keeps the genuinely reusable
/// parts, <see cref="PretrainedVectors.ToWeights"/> (the table) and <see cref="Embedding.FromPretrained"/> (the layer).</summary>
public static class PretrainedEmbedding
{
    /// <summary>An embedding for <paramref name="vocabulary"/> initialised from <paramref name="vectors"/> (words missing
    /// from the file get random vectors, &lt;pad&gt; is zero and receives no gradient; see
    /// <see cref="PretrainedVectors.ToWeights"/>); <paramref name="freeze"/> keeps the table fixed, else it is fine-tuned.</summary>
    public static (Embedding Embedding, int Found) Create(PretrainedVectors vectors, Vocabulary vocabulary, bool freeze = false, Generator? generator = null)
    {
        var (weights, found) = vectors.ToWeights(vocabulary, generator);
        return (Embedding.FromPretrained(weights, freeze, Vocabulary.PadIndex), found);
    }
}
