using Nabla.Tests.Architecture;
using Xunit.Abstractions;

namespace Nabla.Tests.Samples;

/// <summary>
/// Every ```csharp block of README.md and docs/**/*.md compiles, in one generated project referencing src/Nabla and
/// src/Nabla.Plots (see <see cref="DocSnippets"/> for how a block becomes C#), so the documentation cannot rot.
/// Markers after "csharp" on the fence (invisible when the Markdown is rendered): <c>no-compile</c> (skipped; the
/// list below must name it), <c>continues</c> (the same scope as the block before it), <c>given: a, b</c> (variables
/// the page assumes, typed in <see cref="DocSnippets.Ambient"/>). README.md and the package READMEs
/// (docs/packages) are read on their own, so their blocks compile with their own using directives only; the other
/// pages' blocks get the namespaces that docs/getting-started.md lists in its block of using directives.
/// </summary>
[Collection(DotnetChildCollection.Name)]
public class DocSnippetTests(ITestOutputHelper output)
{
    /// <summary>The blocks deliberately not compiled (file:line of their first code line). Adding a no-compile marker
    /// means adding it here: a visible diff.</summary>
    private static readonly string[] ExpectedNoCompile = [];

    private static readonly string[] SelfContained = ["README.md", "docs/packages/"];

    internal static List<CodeBlock> AllBlocks()
    {
        string root = LayeringTests.RepoRoot();
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (var f in files)
        {
            // C# under another fence name would escape the test.
            var other = File.ReadLines(f).Select((l, i) => (l, i)).FirstOrDefault(x => System.Text.RegularExpressions.Regex.IsMatch(x.l, @"^```(cs|c#|C#)(\s|$)"));
            Assert.True(other.l is null, $"{Path.GetRelativePath(root, f)}:{other.i + 1}: C# blocks are fenced ```csharp (so that DocSnippetTests compiles them), not '{other.l}'");
        }
        return files.SelectMany(f => DocSnippets.Parse(File.ReadAllText(f), Path.GetRelativePath(root, f).Replace('\\', '/'))).ToList();
    }

    /// <summary>The using directives of getting-started's block that holds nothing else.</summary>
    internal static List<string> EverydayUsings(IEnumerable<CodeBlock> blocks)
    {
        var block = blocks.Where(b => b.File == "docs/getting-started.md")
            .FirstOrDefault(b => b.Lines.All(l => l.Trim().Length == 0 || l.TrimStart().StartsWith("//", StringComparison.Ordinal)
                                                  || DocSnippets.LeadingUsings(b).Contains(l.Trim())));
        Assert.True(block is not null, "docs/getting-started.md has no ```csharp block made of using directives only (the pages' everyday namespaces)");
        var usings = DocSnippets.LeadingUsings(block!);
        Assert.NotEmpty(usings);
        return usings;
    }

    [Fact]
    public void Every_csharp_block_of_the_readme_and_docs_compiles()
    {
        var blocks = AllBlocks();
        var everyday = EverydayUsings(blocks);
        var noCompile = blocks.Where(b => b.NoCompile).Select(b => b.ToString()).ToArray();
        foreach (var b in noCompile) output.WriteLine($"not compiled (marked no-compile): {b}");
        Assert.Equal(ExpectedNoCompile.Order(StringComparer.Ordinal), noCompile.Order(StringComparer.Ordinal));

        var groups = DocSnippets.Group(blocks);
        using var project = new GeneratedProject("nabla-doc-snippets-");
        project.ReferenceSource("Nabla");
        project.ReferenceSource("Nabla.Plots");
        foreach (var g in groups)
        {
            string name = "Snippet_" + new string(g[0].File.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray()) + "_" + g[0].FirstLine;
            bool selfContained = SelfContained.Any(s => g[0].File.StartsWith(s, StringComparison.Ordinal));
            project.AddFile(name + ".cs", DocSnippets.Generate(g, name, selfContained ? [] : everyday));
        }
        project.WriteProject(executable: false);
        output.WriteLine($"{blocks.Count} blocks in {blocks.Select(b => b.File).Distinct().Count()} files, {groups.Count} groups compiled");

        var (code, log) = project.Build();
        var errors = log.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal))
            .Select(l => l.Replace(project.Folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Trim()).Distinct().ToList();
        Assert.True(code == 0, $"the docs' C# does not compile ({errors.Count} errors; file:line are the Markdown's):\n" +
                               string.Join('\n', errors.Count > 0 ? errors : [log]));
    }

    [Fact]
    public void Every_block_is_found_and_grouped_as_marked()
    {
        const string md = """
            # page
            ```csharp
            using Nabla.Plots;
            var a = 1;
            ```
            text
            ```csharp continues
            sealed class C : object
            {
                public int F() => 1;
            }
            var b = a + new C().F();
            ```
            ```csharp no-compile
            this is not C#
            ```
            ```csharp given: model, x
            var y = model.Forward(x);
            ```
            """;
        var blocks = DocSnippets.Parse(md, "page.md");
        Assert.Equal(4, blocks.Count);
        Assert.Equal(new[] { 3, 8, 15, 18 }, blocks.Select(b => b.FirstLine));
        Assert.True(blocks[2].NoCompile);
        Assert.Equal(new[] { "model", "x" }, blocks[3].Given);
        var groups = DocSnippets.Group(blocks);
        Assert.Equal(new[] { 2, 1 }, groups.Select(g => g.Count));

        string first = DocSnippets.Generate(groups[0], "S1", ["using Nabla.NN;"]);
        // The usings at the top; statements of both blocks in Run; the class nested after it; #line maps to the page.
        Assert.Contains("using Nabla.NN;\nusing Nabla.Plots;\n", first.Replace("\r\n", "\n"));
        int run = first.IndexOf("public static void Run()", StringComparison.Ordinal);
        int a = first.IndexOf("var a = 1;", StringComparison.Ordinal), b = first.IndexOf("var b = a", StringComparison.Ordinal);
        int c = first.IndexOf("sealed class C", StringComparison.Ordinal);
        Assert.True(run < a && a < b && b < c, first);
        Assert.Contains("#line 4 \"page.md\"", first);
        Assert.Contains("#line 8 \"page.md\"", first);
        Assert.Contains("#line 12 \"page.md\"", first);
        Assert.Contains("public static void Run(Module model, Tensor x)", DocSnippets.Generate(groups[1], "S2", []));

        var unknown = DocSnippets.Parse("```csharp given: nope\nvar a = 1;\n```\n", "p.md");
        Assert.Contains("'given: nope'", Assert.Throws<FormatException>(() => DocSnippets.Generate(unknown, "S", [])).Message);
        var orphan = DocSnippets.Parse("```csharp continues\nvar a = 1;\n```\n", "p.md");
        Assert.Contains("p.md:2", Assert.Throws<FormatException>(() => DocSnippets.Group(orphan)).Message);
        Assert.Contains("never closed", Assert.Throws<FormatException>(() => DocSnippets.Parse("```csharp\nvar a = 1;\n", "p.md")).Message);
    }
}
