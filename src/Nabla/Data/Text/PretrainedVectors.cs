using System.Globalization;
using System.Text;
using Nabla.Tensors;

namespace Nabla.Data.Text;

/// <summary>
/// Word vectors in the GloVe / word2vec text format: one word per line followed by its D floats, separated by
/// spaces; word2vec files may start with a header line "count dimension". Every line must have the same D; a
/// malformed line raises <see cref="DataFormatException"/> naming the file and the line number. The first occurrence
/// of a word wins.
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
    public static PretrainedVectors Read(string path)
    {
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    /// <summary>Reads vectors from <paramref name="reader"/>; <paramref name="name"/> appears in error messages.</summary>
    public static PretrainedVectors Read(TextReader reader, string name = "<vectors>")
    {
        var words = new List<string>();
        var data = new List<float>();
        int dim = -1;
        long declaredCount = -1, lineNo = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;   // blank lines (e.g. a trailing one) are allowed
            // word2vec header: exactly two integers on the first non-blank line.
            if (words.Count == 0 && dim < 0 && parts.Length == 2 && long.TryParse(parts[0], out long c) && int.TryParse(parts[1], out int d) && c >= 0 && d > 0)
            {
                declaredCount = c;
                dim = d;
                continue;
            }
            if (parts.Length < 2) throw DataFormatException.AtLine(name, lineNo, $"expected a word followed by its vector, got '{Shorten(line)}'");
            int lineDim = parts.Length - 1;
            if (dim < 0) dim = lineDim;
            else if (lineDim != dim)
                throw DataFormatException.AtLine(name, lineNo, $"word '{parts[0]}' has {lineDim} values, expected {dim}" +
                    (declaredCount >= 0 ? " (from the header)" : " (from the first vector)"));
            for (int k = 1; k < parts.Length; k++)
            {
                if (!float.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw DataFormatException.AtLine(name, lineNo, $"value {k} of word '{parts[0]}' is not a number: '{Shorten(parts[k])}'");
                data.Add(v);
            }
            words.Add(parts[0]);
        }
        if (words.Count == 0) throw DataFormatException.For(name, "no word vectors found");
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

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
