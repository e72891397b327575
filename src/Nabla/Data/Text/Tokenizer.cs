using System.Text;

namespace Nabla.Data.Text;

/// <summary>
/// The sentence-classification preprocessing of Kim (2014, "Convolutional Neural Networks for Sentence
/// Classification", <c>clean_str</c>): every character outside [A-Za-z0-9(),!?'`] becomes a space; the clitics
/// 's 've n't 're 'd 'll are split off; , ! ( ) ? become tokens of their own; runs of spaces collapse; and (unless
/// <see cref="Lowercase"/> is false) the text is lower-cased: "Isn't it (really) O.K.?" → is n't it ( really ) o k ?
/// (Kim's regular expressions leave a stray backslash before ( ) ?; that quirk is not reproduced).
/// </summary>
public sealed class Tokenizer(bool lowercase = true)
{
    /// <summary>Whether text is lower-cased before splitting (default true, as Kim's preprocessing).</summary>
    public bool Lowercase { get; } = lowercase;

    /// <summary>The default tokenizer (lower-casing).</summary>
    public static Tokenizer Default { get; } = new();

    private static readonly string[] Clitics = ["'s", "'ve", "n't", "'re", "'d", "'ll"];

    /// <summary>The tokens of <paramref name="text"/> (never empty strings).</summary>
    public string[] Tokenize(string text) => Clean(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Kim's clean_str: the cleaned text with single spaces between tokens.</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '(' or ')' or ',' or '!' or '?' or '\'' or '`' ? c : ' ');
        string s = sb.ToString();
        // Clitics first (the order of clean_str): "don't" → "do n't", "John's" → "John 's".
        foreach (var clitic in Clitics) s = s.Replace(clitic, " " + clitic, StringComparison.Ordinal);
        sb.Clear();
        foreach (char c in s)
        {
            if (c is ',' or '!' or '(' or ')' or '?') sb.Append(' ').Append(c).Append(' ');
            else sb.Append(c);
        }
        s = string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return Lowercase ? s.ToLowerInvariant() : s;
    }
}
