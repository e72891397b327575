namespace Nabla.Data.Text;

/// <summary>
/// Token ⇄ index map built from training text: index 0 is <see cref="PadToken"/>, 1 is <see cref="UnkToken"/>, then
/// the tokens seen at least <c>minFrequency</c> times, most frequent first (ties in order of first appearance, so the
/// numbering is deterministic). Unknown tokens encode as <see cref="UnkIndex"/>.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>The padding token, always at <see cref="PadIndex"/>.</summary>
    public const string PadToken = "<pad>";
    /// <summary>The token that stands for every word not in the vocabulary, always at <see cref="UnkIndex"/>.</summary>
    public const string UnkToken = "<unk>";
    /// <summary>Index of <see cref="PadToken"/> (0, so zero-padding of token tensors means padding).</summary>
    public const int PadIndex = 0;
    /// <summary>Index of <see cref="UnkToken"/>.</summary>
    public const int UnkIndex = 1;

    private readonly List<string> _tokens;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int> _frequency;

    private Vocabulary(List<string> tokens, Dictionary<string, int> frequency)
    {
        _tokens = tokens;
        _frequency = frequency;
        _index = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++) _index[tokens[i]] = i;
    }

    /// <summary>Number of entries including &lt;pad&gt; and &lt;unk&gt;.</summary>
    public int Count => _tokens.Count;

    /// <summary>The tokens in index order (0 = &lt;pad&gt;, 1 = &lt;unk&gt;).</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Builds the vocabulary of <paramref name="sentences"/>: tokens seen fewer than
    /// <paramref name="minFrequency"/> times are left out (they will map to &lt;unk&gt;); with
    /// <paramref name="maxSize"/>, only the most frequent ones are kept so that Count ≤ maxSize.</summary>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> sentences, int minFrequency = 1, int? maxSize = null)
    {
        if (minFrequency < 1) throw new ArgumentException($"Vocabulary: minFrequency must be at least 1, got {minFrequency}", nameof(minFrequency));
        if (maxSize is < 2) throw new ArgumentException($"Vocabulary: maxSize must be at least 2 (<pad> and <unk>), got {maxSize}", nameof(maxSize));
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (var sentence in sentences)
            foreach (var token in sentence)
            {
                if (token is PadToken or UnkToken) continue;
                if (frequency.TryGetValue(token, out int f)) frequency[token] = f + 1;
                else { frequency[token] = 1; firstSeen.Add(token); }
            }
        var order = firstSeen.Select((t, i) => (Token: t, First: i))
            .Where(p => frequency[p.Token] >= minFrequency)
            .OrderByDescending(p => frequency[p.Token]).ThenBy(p => p.First)
            .Select(p => p.Token);
        if (maxSize is int m) order = order.Take(m - 2);
        return new Vocabulary([PadToken, UnkToken, .. order], frequency);
    }

    /// <summary>A vocabulary with exactly these tokens after &lt;pad&gt; and &lt;unk&gt; (duplicates are an error).</summary>
    public static Vocabulary FromTokens(IEnumerable<string> tokens)
    {
        var list = new List<string> { PadToken, UnkToken };
        var seen = new HashSet<string>(list, StringComparer.Ordinal);
        foreach (var t in tokens)
            if (!seen.Add(t)) throw new ArgumentException($"Vocabulary: duplicate token '{t}'", nameof(tokens));
            else list.Add(t);
        return new Vocabulary(list, new Dictionary<string, int>(StringComparer.Ordinal));
    }

    /// <summary>The index of <paramref name="token"/>, or <see cref="UnkIndex"/> when it is not in the vocabulary.</summary>
    public int IndexOf(string token) => _index.TryGetValue(token, out int i) ? i : UnkIndex;

    /// <summary>True when <paramref name="token"/> has its own index.</summary>
    public bool Contains(string token) => _index.ContainsKey(token);

    /// <summary>The token at <paramref name="index"/>.</summary>
    public string this[int index] => index >= 0 && index < _tokens.Count ? _tokens[index]
        : throw new ArgumentOutOfRangeException(nameof(index), $"Vocabulary: index {index} is outside [0, {_tokens.Count})");

    /// <summary>How often <paramref name="token"/> occurred in the text the vocabulary was built from (0 if never).</summary>
    public int Frequency(string token) => _frequency.GetValueOrDefault(token);

    /// <summary>The indices of <paramref name="tokens"/>.</summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        var ids = new int[tokens.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = IndexOf(tokens[i]);
        return ids;
    }

    /// <summary>The tokens of <paramref name="indices"/>; with <paramref name="skipPadding"/>, &lt;pad&gt; is dropped.</summary>
    public string[] Decode(IEnumerable<int> indices, bool skipPadding = true) =>
        indices.Where(i => !skipPadding || i != PadIndex).Select(i => this[i]).ToArray();
}
