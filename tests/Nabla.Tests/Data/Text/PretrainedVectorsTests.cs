using Nabla.Data;
using Nabla.Data.Text;

namespace Nabla.Tests.Data.Text;

public class PretrainedVectorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-vectors-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void Reads_GloVe_format_without_header()
    {
        var v = PretrainedVectors.Read(Write("glove.txt", "the 0.1 -0.2 3e-1\ncat 1 2 3\n\n"));
        Assert.Equal(3, v.Dimension);
        Assert.Equal(["the", "cat"], v.Words);
        Assert.True(v.TryGet("the", out var the));
        Assert.Equal([0.1f, -0.2f, 0.3f], the.ToArray());
        Assert.False(v.TryGet("dog", out _));
    }

    [Fact]
    public void Reads_word2vec_text_format_with_header()
    {
        var v = PretrainedVectors.Read(Write("w2v.txt", "2 2\nhello 0.5 0.25\nworld -1 1\n"));
        Assert.Equal(2, v.Count);
        Assert.True(v.TryGet("world", out var w));
        Assert.Equal([-1f, 1f], w.ToArray());
    }

    [Theory]
    [InlineData("a 1 2\nb 1 2 3\n", "line 2", "3 values, expected 2")]
    [InlineData("a 1 2\nb 1 x\n", "line 2", "not a number: 'x'")]
    [InlineData("3 2\na 1 2\nb 1 2\n", "header announces 3", "holds 2")]
    [InlineData("a 1 2\n\nlonely\n", "line 3", "word followed by its vector")]
    [InlineData("\n\n", "no word vectors", "")]
    public void Malformed_files_name_the_file_and_line(string text, string where, string what)
    {
        string p = Write("bad.txt", text);
        var e = Assert.Throws<DataFormatException>(() => PretrainedVectors.Read(p));
        Assert.Contains(p, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void ToWeights_copies_known_words_and_randomises_the_others()
    {
        // Vectors (1, −1), (−1, 1), (1, 1), (−1, −1): components have mean 0 and variance 1 → a = √3.
        var vectors = PretrainedVectors.Read(Write("v.txt", "cat 1 -1\ndog -1 1\nsat 1 1\nmat -1 -1\n"));
        var vocab = Vocabulary.FromTokens(["cat", "dog", "bird", "sat", "mat"]);
        var (weights, found) = vectors.ToWeights(vocab, new Generator(5));
        Assert.Equal(4, found);
        Assert.Equal([7, 2], weights.Shape.ToArray());
        var w = weights.ToArray<float>();
        Assert.Equal([0f, 0f], w[0..2]);                     // <pad>
        Assert.Equal([1f, -1f], w[4..6]);                    // cat (index 2)
        Assert.Equal([-1f, 1f], w[6..8]);                    // dog
        Assert.Equal([-1f, -1f], w[12..14]);                 // mat
        foreach (int row in new[] { 1, 4 })                   // <unk> and bird: random in (−√3, √3), not zero
            for (int k = 0; k < 2; k++)
            {
                Assert.InRange(w[row * 2 + k], -Math.Sqrt(3), Math.Sqrt(3));
                Assert.NotEqual(0f, w[row * 2 + k]);
            }
    }
}
