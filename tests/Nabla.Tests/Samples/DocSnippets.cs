using System.Text;
using System.Text.RegularExpressions;

namespace Nabla.Tests.Samples;

/// <summary>One ```csharp block of a Markdown file: where it is, its code and the words after "csharp" on its fence.</summary>
internal sealed record CodeBlock(string File, int FirstLine, IReadOnlyList<string> Lines, string Info)
{
    /// <summary>Marked <c>```csharp no-compile</c>: deliberately not compiled.</summary>
    public bool NoCompile => Words.Contains("no-compile");

    /// <summary>Marked <c>```csharp continues</c>: the same scope as the block before it in the file (its variables).</summary>
    public bool Continues => Words.Contains("continues");

    /// <summary>Marked <c>```csharp given: model, x</c>: variables the page assumes (see <see cref="DocSnippets.Ambient"/>).</summary>
    public IReadOnlyList<string> Given
    {
        get
        {
            int i = Info.IndexOf("given:", StringComparison.Ordinal);
            if (i < 0) return [];
            return Info[(i + "given:".Length)..].Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(w => !w.Contains(':') && w != "no-compile" && w != "continues").ToArray();
        }
    }

    private string[] Words => Info.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"{File}:{FirstLine}";
}

/// <summary>
/// Turns the ```csharp blocks of Markdown files into one compilable C# project. Each block (with the blocks marked
/// <c>continues</c> after it) becomes one static class in its own file: its leading <c>using</c> directives at the
/// top of the file, its statements in one method whose parameters are the block's <c>given:</c> variables, and its
/// type declarations nested in the class. <c>#line</c> directives map every line back to the Markdown file, so a
/// compiler error names the page and line of the snippet.
/// </summary>
internal static class DocSnippets
{
    private static readonly Regex Fence = new(@"^```csharp\b(?<info>.*)$", RegexOptions.Compiled);
    private static readonly Regex UsingDirective = new(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;\s*(//.*)?$", RegexOptions.Compiled);
    private static readonly Regex TypeStart = new(@"^\s*((public|internal|private|sealed|static|abstract|partial|file|readonly)\s+)*(class|record|struct|interface|enum)\s+\w", RegexOptions.Compiled);

    /// <summary>The variables a block may assume with <c>given:</c>, and their types (the everyday namespaces resolve them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Ambient = new Dictionary<string, string>
    {
        ["model"] = "Module", ["cnn"] = "Module", ["backbone"] = "Module", ["head"] = "Module",
        ["x"] = "Tensor", ["y"] = "Tensor", ["loss"] = "Tensor",
        ["optimizer"] = "Optimizer", ["trainer"] = "Trainer", ["fit"] = "FitResult",
        ["mnist"] = "MnistSplits", ["data"] = "MnistSplits", ["batch"] = "Batch",
        ["rates"] = "double[]", ["counts"] = "int[,]",
    };

    /// <summary>The ```csharp blocks of a Markdown file, in order. <paramref name="displayName"/> is the path used in messages.</summary>
    public static List<CodeBlock> Parse(string markdown, string displayName)
    {
        var blocks = new List<CodeBlock>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var m = Fence.Match(lines[i]);
            if (!m.Success) continue;
            int start = i + 1;
            int end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal)) end++;
            if (end == lines.Length) throw new FormatException($"{displayName}:{i + 1}: the ```csharp block is never closed");
            blocks.Add(new CodeBlock(displayName, start + 1, lines[start..end], m.Groups["info"].Value.Trim()));
            i = end;
        }
        return blocks;
    }

    /// <summary>The compiled blocks grouped: each group is a block and the <c>continues</c> blocks after it.</summary>
    public static List<List<CodeBlock>> Group(IEnumerable<CodeBlock> blocks)
    {
        var groups = new List<List<CodeBlock>>();
        CodeBlock? previous = null;
        foreach (var b in blocks)
        {
            if (b.Continues)
            {
                if (previous is null || previous.File != b.File || previous.NoCompile || groups.Count == 0)
                    throw new FormatException($"{b}: marked 'continues' but no compiled block precedes it in {b.File}");
                groups[^1].Add(b);
            }
            else if (!b.NoCompile) groups.Add([b]);
            previous = b;
        }
        return groups;
    }

    /// <summary>The using directives a block starts with (comments and blank lines between them allowed).</summary>
    public static List<string> LeadingUsings(CodeBlock b)
    {
        var usings = new List<string>();
        foreach (var line in b.Lines)
        {
            if (UsingDirective.IsMatch(line)) usings.Add(line.Trim());
            else if (line.Trim().Length == 0 || line.TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
            else break;
        }
        return usings;
    }

    /// <summary>One C# file for a group: <paramref name="defaultUsings"/> plus the blocks' own, then the class.</summary>
    public static string Generate(IReadOnlyList<CodeBlock> group, string className, IEnumerable<string> defaultUsings)
    {
        var usings = new List<string>(defaultUsings);
        foreach (var b in group) foreach (var u in LeadingUsings(b)) if (!usings.Contains(u)) usings.Add(u);

        var given = group.SelectMany(b => b.Given).Distinct().ToList();
        foreach (var g in given)
            if (!Ambient.ContainsKey(g))
                throw new FormatException($"{group[0]}: 'given: {g}' is not one of the variables the test knows ({string.Join(", ", Ambient.Keys)})");

        var body = new StringBuilder();
        var types = new StringBuilder();
        foreach (var b in group) Split(b, body, types);

        var sb = new StringBuilder();
        sb.AppendLine("// <auto-generated> from " + group[0] + " </auto-generated>");
        sb.AppendLine("#nullable enable");
        foreach (var u in usings) sb.AppendLine(u);
        sb.AppendLine("#pragma warning disable CS0219, CS0168, CS8321 // a snippet may declare a variable it does not use");
        sb.AppendLine($"internal static class {className}");
        sb.AppendLine("{");
        string parameters = string.Join(", ", given.Select(g => $"{Ambient[g]} {g}"));
        sb.AppendLine($"    public static void Run({parameters})");
        sb.AppendLine("    {");
        sb.Append(body);
        sb.AppendLine("#line default");
        sb.AppendLine("    }");
        sb.Append(types);
        sb.AppendLine("#line default");
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Sends a block's statements to <paramref name="body"/> and its type declarations to <paramref name="types"/>,
    /// each run of lines preceded by a #line directive naming its place in the Markdown file.</summary>
    private static void Split(CodeBlock b, StringBuilder body, StringBuilder types)
    {
        int skip = LastUsingIndex(b) + 1;   // the leading using directives go to the top of the file
        StringBuilder? current = null;
        int depth = 0;
        bool inType = false, typeOpened = false;
        for (int i = skip; i < b.Lines.Count; i++)
        {
            string line = b.Lines[i];
            bool startsType = !inType && depth == 0 && TypeStart.IsMatch(line);
            if (startsType) { inType = true; typeOpened = false; }
            var target = inType ? types : body;
            if (!ReferenceEquals(target, current))
            {
                target.AppendLine($"#line {b.FirstLine + i} \"{b.File}\"");
                current = target;
            }
            target.AppendLine(line);
            int opens = line.Count(c => c == '{'), closes = line.Count(c => c == '}');
            if (inType)
            {
                depth += opens - closes;
                if (opens > 0) typeOpened = true;
                if (depth == 0 && (typeOpened || line.TrimEnd().EndsWith(';'))) { inType = false; current = null; }
            }
        }
    }

    private static int LastUsingIndex(CodeBlock b)
    {
        int last = -1;
        for (int i = 0; i < b.Lines.Count; i++) if (UsingDirective.IsMatch(b.Lines[i])) last = i; else if (b.Lines[i].Trim().Length > 0 && !b.Lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) break;
        return last;
    }
}
