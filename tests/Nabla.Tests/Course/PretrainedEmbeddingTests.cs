using Nabla.Course;
using Nabla.Data.Text;

namespace Nabla.Tests.Course;

public class PretrainedEmbeddingTests
{
    [Fact]
    public void Frozen_or_fine_tuned_embedding_from_a_small_vector_file()
    {
        var vectors = PretrainedVectors.Read(new StringReader("4 3\nthe 1 2 3\ncat 4 5 6\nsat 7 8 9\non 0 1 0\n"));
        var vocab = Vocabulary.FromTokens(["cat", "the", "mat"]);
        var (frozen, found) = PretrainedEmbedding.Create(vectors, vocab, freeze: true, generator: new Generator(1));
        Assert.Equal(2, found);
        Assert.False(frozen.Weight.RequiresGrad);
        Assert.Equal(0, frozen.PaddingIdx);
        // Looking up "the cat" gives the file's rows.
        Assert.Equal([1f, 2, 3, 4, 5, 6], frozen.Forward(Tensor.FromArray(vocab.Encode(["the", "cat"]), 2)).ToArray<float>());

        var (tuned, _) = PretrainedEmbedding.Create(vectors, vocab, freeze: false, generator: new Generator(1));
        Assert.True(tuned.Weight.RequiresGrad);
        tuned.Forward(Tensor.FromArray([2, 0], 2)).Sum().Backward();
        var g = tuned.Weight.Grad!.ToArray<float>();
        Assert.Equal([0f, 0f, 0f], g[0..3]);                 // <pad> gets no gradient
        Assert.Equal([1f, 1f, 1f], g[6..9]);                 // cat
    }
}
