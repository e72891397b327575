using Nabla.Data.Text;

namespace Nabla.Tests.Data.Text;

public class TokenizerTests
{
    // Expected token lists come from Kim's clean_str (Python re, run by hand), minus its stray backslashes before ( ) ?.
    [Theory]
    [InlineData("Isn't it (really) O.K.?", "is n't it ( really ) o k ?")]
    [InlineData("John's dog, they'd've said: WOW!", "john 's dog , they 'd 've said wow !")]
    [InlineData("What's the sister\u00f0city of L.A. ?", "what 's the sister city of l a ?")]
    [InlineData("  ", "")]
    public void Tokenize_follows_Kims_clean_str(string text, string expected) =>
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), Tokenizer.Default.Tokenize(text));

    [Fact]
    public void Without_lowercasing_the_case_is_kept()
    {
        Assert.Equal(["Who", "was", "Galileo", "?"], new Tokenizer(lowercase: false).Tokenize("Who was Galileo?"));
        Assert.Equal("who was galileo ?", Tokenizer.Default.Clean("Who was Galileo?"));
    }

    [Fact]
    public void Backquotes_and_apostrophes_stay_inside_tokens() =>
        Assert.Equal(["``", "the", "raven", "''"], Tokenizer.Default.Tokenize("`` The Raven ''"));
}
