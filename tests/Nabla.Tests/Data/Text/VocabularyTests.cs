using Nabla.Data.Text;

namespace Nabla.Tests.Data.Text;

public class VocabularyTests
{
    private static readonly string[][] Text = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]];

    [Fact]
    public void Build_orders_by_frequency_then_first_appearance_after_pad_and_unk()
    {
        var v = Vocabulary.Build(Text);
        // counts: the 2, cat 2, sat 2, dog 1, a 1 → ties keep first appearance.
        Assert.Equal(["<pad>", "<unk>", "the", "cat", "sat", "dog", "a"], v.Tokens);
        Assert.Equal(7, v.Count);
        Assert.Equal(0, v.IndexOf("<pad>"));
        Assert.Equal(1, v.IndexOf("<unk>"));
        Assert.Equal(2, v.Frequency("cat"));
        Assert.Equal(0, v.Frequency("zebra"));
    }

    [Fact]
    public void Frequency_cut_off_and_max_size_send_rare_words_to_unk()
    {
        var v = Vocabulary.Build(Text, minFrequency: 2);
        Assert.Equal(["<pad>", "<unk>", "the", "cat", "sat"], v.Tokens);
        Assert.Equal([2, 1, 1, 4], v.Encode(["the", "dog", "zebra", "sat"]));
        Assert.False(v.Contains("dog"));
        var small = Vocabulary.Build(Text, maxSize: 3);
        Assert.Equal(["<pad>", "<unk>", "the"], small.Tokens);
    }

    [Fact]
    public void Decode_inverts_encode_and_drops_padding()
    {
        var v = Vocabulary.Build(Text);
        Assert.Equal(["the", "cat", "<unk>"], v.Decode([2, 3, 1, 0, 0]));
        Assert.Equal(["a", "<pad>"], v.Decode([6, 0], skipPadding: false));
        Assert.Equal("dog", v[5]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => v[7]);
        Assert.Contains("index 7", e.Message);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Vocabulary.Build(Text, minFrequency: 0));
        Assert.Throws<ArgumentException>(() => Vocabulary.FromTokens(["a", "b", "a"]));
        Assert.Equal(["<pad>", "<unk>", "x", "y"], Vocabulary.FromTokens(["x", "y"]).Tokens);
    }
}
