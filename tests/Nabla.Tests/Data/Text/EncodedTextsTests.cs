using Nabla.Data.Text;

namespace Nabla.Tests.Data.Text;

public class EncodedTextsTests
{
    [Fact]
    public void Batches_pad_each_batch_to_its_own_longest_sentence()
    {
        var v = Vocabulary.FromTokens(["a", "b", "c"]);      // a=2, b=3, c=4
        var texts = EncodedTexts.Encode([["a"], ["b", "c", "a"], ["c", "zzz"]], [0, 1, 2], v, minLength: 2);
        var batches = texts.Batches(2).ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal([2, 3], batches[0].Input.Shape.ToArray());
        Assert.Equal([2, 0, 0, 3, 4, 2], batches[0].Input.ToArray<int>());
        Assert.Equal([0, 1], batches[0].Target.ToArray<int>());
        Assert.Equal([1, 2], batches[1].Input.Shape.ToArray());   // min length 2
        Assert.Equal([4, 1], batches[1].Input.ToArray<int>());    // "zzz" → <unk>
        Assert.Equal([2], batches[1].Target.ToArray<int>());
    }

    [Fact]
    public void Shuffled_batches_are_a_permutation_that_depends_on_seed_and_epoch()
    {
        var texts = new EncodedTexts(Enumerable.Range(0, 20).Select(i => new[] { i + 2 }).ToList(), Enumerable.Range(0, 20).ToList());
        int[] Order(int epoch) => texts.Batches(7, shuffle: true, seed: 3, epoch: epoch).SelectMany(b => b.Target.ToArray<int>()).ToArray();
        Assert.Equal(Enumerable.Range(0, 20), Order(0).Order());
        Assert.Equal(Order(1), Order(1));
        Assert.NotEqual(Order(0), Order(1));
        Assert.Throws<ArgumentException>(() => new EncodedTexts([[1]], [0, 1]));
    }
}
