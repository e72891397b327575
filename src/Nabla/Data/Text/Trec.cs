using System.Text;

namespace Nabla.Data.Text;

/// <summary>One TREC question: its coarse class (ABBR, DESC, ENTY, HUM, LOC, NUM), its fine class ("HUM:ind"),
/// the question text as in the file, and its line number there.</summary>
public sealed record TrecQuestion(string Coarse, string Fine, string Text, int Line);

/// <summary>The TREC training (5,452 questions) and test (500) sets.</summary>
public sealed record TrecSplits(IReadOnlyList<TrecQuestion> Train, IReadOnlyList<TrecQuestion> Test)
{
    /// <summary>The coarse classes present, sorted (index = class label).</summary>
    public IReadOnlyList<string> CoarseClasses => Train.Concat(Test).Select(q => q.Coarse).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The fine classes present, sorted.</summary>
    public IReadOnlyList<string> FineClasses => Train.Concat(Test).Select(q => q.Fine).Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// The TREC question-classification data of Li &amp; Roth (2002): files train_5500.label and TREC_10.label with one
/// question per line, "COARSE:fine question words". The files are Latin-1 (one training line holds the byte 0xF0),
/// so they are read as Latin-1, never as UTF-8. Folder: &lt;data root&gt;/text/trec.
/// </summary>
public static class Trec
{
    public const string TrainFile = "train_5500.label";
    public const string TestFile = "TREC_10.label";

    /// <summary>The six coarse classes in label order.</summary>
    public static IReadOnlyList<string> CoarseClassNames { get; } = ["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"];

    /// <summary>Both splits from the TREC folder under the data root (explicit &gt; NABLA_DATA &gt; ~/.nabla/data);
    /// <see cref="DatasetNotFoundException"/> when absent.</summary>
    public static TrecSplits Load(string? root = null)
    {
        string dir = DataRoot.Locate(DatasetSpec.Trec, root);
        return new TrecSplits(ReadFile(Path.Combine(dir, TrainFile)), ReadFile(Path.Combine(dir, TestFile)));
    }

    /// <summary>Reads one .label file (Latin-1); a file without any question is an error, as is a line longer
    /// than <see cref="ReadLimits.MaxLineLength"/>.</summary>
    public static List<TrecQuestion> ReadFile(string path, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        if (!File.Exists(path)) throw DataFormatException.For(path, "file not found");
        var list = new List<TrecQuestion>();
        using var stream = new StreamReader(path, Encoding.Latin1);
        var reader = new BoundedLineReader(stream, limits.MaxLineLength, path);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            list.Add(ParseLine(line, path, (int)Math.Min(reader.LineNumber, int.MaxValue)));
        }
        if (list.Count == 0) throw DataFormatException.For(path, "holds no questions (expected lines 'COARSE:fine question')");
        return list;
    }

    /// <summary>Parses "COARSE:fine words..." (the label ends at the first space).</summary>
    public static TrecQuestion ParseLine(string line, string file = "<trec>", int lineNo = 0)
    {
        int space = line.IndexOf(' ');
        int colon = line.IndexOf(':');
        if (space <= 0 || colon <= 0 || colon > space || colon == space - 1)
            throw DataFormatException.AtLine(file, lineNo, $"expected 'COARSE:fine question', got '{(line.Length > 60 ? line[..57] + "..." : line)}'");
        string coarse = line[..colon];
        if (!CoarseClassNames.Contains(coarse))
            throw DataFormatException.AtLine(file, lineNo, $"unknown coarse class '{coarse}' (expected one of {string.Join(", ", CoarseClassNames)})");
        return new TrecQuestion(coarse, line[..space], line[(space + 1)..].Trim(), lineNo);
    }

    /// <summary>The coarse label index (0..5) of a question.</summary>
    public static int CoarseLabel(TrecQuestion q) => IndexOf(CoarseClassNames, q.Coarse);

    private static int IndexOf(IReadOnlyList<string> list, string s)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == s) return i;
        return -1;
    }
}
