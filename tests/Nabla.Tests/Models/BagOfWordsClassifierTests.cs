using Nabla.Models;

namespace Nabla.Tests.Models;

public class BagOfWordsClassifierTests
{
    private static readonly Tensor Batch = Tensor.FromArray([2, 3, 2, 0, 4, 0, 0, 0], 2, 4);   // "a b a", "c"

    [Theory]
    [InlineData(BagOfWordsWeighting.Counts, new float[] { 0, 0, 2, 1, 0, 0, 0, 0, 0, 1 })]
    [InlineData(BagOfWordsWeighting.Binary, new float[] { 0, 0, 1, 1, 0, 0, 0, 0, 0, 1 })]
    [InlineData(BagOfWordsWeighting.TermFrequency, new float[] { 0, 0, 2f / 3, 1f / 3, 0, 0, 0, 0, 0, 1 })]
    public void Features_count_words_by_hand(BagOfWordsWeighting weighting, float[] expected)
    {
        var m = new BagOfWordsClassifier(5, 2, weighting);
        Assert.Equal(expected, m.Features(Batch).ToArray<float>());
    }

    [Fact]
    public void Logits_are_the_linear_map_of_the_counts_and_sizes_are_listed()
    {
        var m = new BagOfWordsClassifier(5, 2, generator: new Generator(1));
        var w = m.Fc.Weight.ToArray<float>();
        var b = m.Fc.Bias!.ToArray<float>();
        var logits = m.Forward(Batch).ToArray<float>();
        Assert.Equal(b[0] + 2 * w[2] + w[3], logits[0], 5);          // row 0, class 0
        Assert.Equal(b[1] + w[5 + 4], logits[3], 5);                 // row 1, class 1
        Assert.Equal([2, 5], m.TensorSizes(2, 4).Single(r => r.Name.StartsWith("bag vector")).Shape);
        Assert.Equal(12, m.ParameterCount());
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Forward(Tensor.FromArray([7], 1, 1)));
    }
}
