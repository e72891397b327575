using System.Globalization;
using System.Text;

namespace Nabla.Data.Text;

/// <summary>
/// Word vectors in the GloVe / word2vec text format: one word per line followed by its D floats, separated by
/// spaces; word2vec files may start with a header line "count dimension". Every line must have the same D; a
/// malformed line raises <see cref="DataFormatException"/> naming the file and the line number, as do a value that is
/// not a finite float32 (nan, inf, 1e39), bytes that are not UTF-8 and a line longer than
/// <see cref="ReadLimits.MaxLineLength"/>. A first line of two integers is a word2vec header when the next line has
/// that many values, else the vector of a word that is a number. The first occurrence of a word wins.
/// </summary>
public sealed class PretrainedVectors
{
    private readonly Dictionary<string, int> _index;
    private readonly float[] _data;

    private PretrainedVectors(List<string> words, float[] data, int dim)
    {
        Words = words;
        _data = data;
        Dimension = dim;
        _index = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++) _index.TryAdd(words[i], i);
    }

    public IReadOnlyList<string> Words { get; }
    public int Dimension { get; }
    public int Count => Words.Count;

    /// <summary>The vector of <paramref name="word"/>, or false when the file does not have it.</summary>
    public bool TryGet(string word, out ReadOnlySpan<float> vector)
    {
        if (_index.TryGetValue(word, out int i)) { vector = _data.AsSpan(i * Dimension, Dimension); return true; }
        vector = default;
        return false;
    }

    /// <summary>Reads a GloVe or word2vec text file (UTF-8).</summary>
    public static PretrainedVectors Read(string path, ReadLimits? limits = null)
    {
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        // invalid bytes decode to U+FFFF (a noncharacter no vector file holds), found per line to name the line
        var utf8 = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(InvalidMark.ToString()));
        using var reader = new StreamReader(path, utf8, detectEncodingFromByteOrderMarks: false);
        return Read(reader, path, limits);
    }

    /// <summary>Reads vectors from <paramref name="reader"/>; <paramref name="name"/> appears in error messages.
    /// A line holding U+FFFF (what <see cref="Read(string, ReadLimits?)"/> decodes invalid UTF-8 bytes to) is refused.</summary>
    public static PretrainedVectors Read(TextReader reader, string name = "<vectors>", ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        limits ??= ReadLimits.Default;
        var lines = new BoundedLineReader(reader, limits.MaxLineLength, name);
        var words = new List<string>();
        var data = new List<float>();
        int dim = -1;
        long declaredCount = -1;
        (string Word, float Value, long Line)? candidate = null;   // a first line "n d": header or a 1-d vector
        string? line;
        while ((line = lines.ReadLine()) is not null)
        {
            long lineNo = lines.LineNumber;
            if (line.Contains(InvalidMark))
                throw DataFormatException.AtLine(name, lineNo, "bytes that are not valid UTF-8; word vector files are UTF-8 text");
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;   // blank lines (e.g. a trailing one) are allowed
            // word2vec header: exactly two integers on the first non-blank line.
            if (words.Count == 0 && dim < 0 && parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out long c)
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int d) && c >= 0 && d > 0)
            {
                declaredCount = c;
                dim = d;
                candidate = (parts[0], d, lineNo);
                continue;
            }
            if (parts.Length < 2) throw DataFormatException.AtLine(name, lineNo, $"expected a word followed by its vector, got '{Shorten(line)}'");
            int lineDim = parts.Length - 1;
            if (candidate is { } h && words.Count == 0 && lineDim == 1 && dim != 1)
            {
                // "1 5" followed by one-value lines: the first line was the word "1" with the value 5, not a header
                words.Add(h.Word);
                data.Add(h.Value);
                dim = 1;
                declaredCount = -1;
            }
            candidate = null;
            if (dim < 0) dim = lineDim;
            else if (lineDim != dim)
                throw DataFormatException.AtLine(name, lineNo, $"word '{parts[0]}' has {lineDim} values, expected {dim}" +
                    (declaredCount >= 0 ? " (from the header)" : " (from the first vector)"));
            for (int k = 1; k < parts.Length; k++)
            {
                if (!float.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw DataFormatException.AtLine(name, lineNo, $"value {k} of word '{parts[0]}' is not a number: '{Shorten(parts[k])}'");
                if (!float.IsFinite(v))
                    throw DataFormatException.AtLine(name, lineNo, $"value {k} of word '{parts[0]}' is not a finite float32: '{Shorten(parts[k])}'" +
                        (float.IsNaN(v) || parts[k].Contains("inf", StringComparison.OrdinalIgnoreCase) || parts[k].Contains('∞') ? "" : " overflows"));
                data.Add(v);
            }
            words.Add(parts[0]);
        }
        if (words.Count == 0) throw DataFormatException.For(name, declaredCount >= 0 ? $"the header announces {declaredCount} vectors but the file holds none" : "no word vectors found");
        if (declaredCount >= 0 && declaredCount != words.Count)
            throw DataFormatException.For(name, $"the header announces {declaredCount} vectors but the file holds {words.Count}");
        return new PretrainedVectors(words, data.ToArray(), dim);
    }

    /// <summary>
    /// An embedding table [V, D] for <paramref name="vocabulary"/> whose rows are the pretrained vectors of the words
    /// the file has; the other words get random vectors U(−a, a) with a chosen so that their variance equals the
    /// per-component variance of the pretrained vectors found (Kim 2014; a = 0.25 when fewer than two are found);
    /// the &lt;pad&gt; row is zero. <see cref="Nabla.NN.Embedding.FromPretrained"/> turns it into a layer.
    /// </summary>
    public (Tensor Weights, int Found) ToWeights(Vocabulary vocabulary, Generator? generator = null)
    {
        int v = vocabulary.Count, d = Dimension;
        var table = new float[v * d];
        var found = new bool[v];
        int hits = 0;
        for (int i = 0; i < v; i++)
            if (i != Vocabulary.PadIndex && TryGet(vocabulary[i], out var vec)) { vec.CopyTo(table.AsSpan(i * d, d)); found[i] = true; hits++; }
        // Variance of the found vectors' components (pooled over all components): U(−a, a) has variance a²/3.
        double a = 0.25;
        if (hits >= 2)
        {
            double sum = 0, sq = 0;
            long n = 0;
            for (int i = 0; i < v; i++)
                if (found[i])
                    foreach (float x in table.AsSpan(i * d, d)) { sum += x; sq += (double)x * x; n++; }
            double mean = sum / n, variance = Math.Max(sq / n - mean * mean, 0);
            if (variance > 0) a = Math.Sqrt(3 * variance);
        }
        var random = Tensor.Rand([v, d], -a, a, DType.Float32, generator).ToArray<float>();
        for (int i = 0; i < v; i++)
            if (!found[i] && i != Vocabulary.PadIndex) random.AsSpan(i * d, d).CopyTo(table.AsSpan(i * d, d));
        return (Tensor.FromArray(table, v, d), hits);
    }

    private const char InvalidMark = '\uFFFF';

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
